"""Labelled rows as one pandas table: the corpus, reviewers' labels, or both.

Every analysis works on a DataFrame with the columns in :data:`FRAME_COLUMNS`, one row per
labelled text, whatever its origin:

- ``text``: the post as written;
- ``label``: ``"hoax"`` or ``"valid"``; ``y``: 1 for hoax, 0 for valid;
- ``topic``: the corpus topic, or the topic of the case a stored post belongs to (or None);
- ``register``: the corpus register (``tweet``, ``whatsapp_forward``…) or the post's platform;
- ``claim_group``: shared by rows repeating one claim (corpus ``claim_group``, ``case:<id>``);
- ``date``: the :class:`datetime.date` of the post, or None;
- ``hoax_category``: the First Draft category of a hoax, else None;
- ``source``: ``"corpus"`` or ``"store"``; ``file``: the corpus file (None for posts);
- ``origin``: where to find the row again, ``social_aid.csv:12`` or ``post 17``.

Missing values are None (object columns), not NaN.

:func:`to_labelled` turns such a table into the :class:`~monitor.model.dataset.LabelledData`
that :func:`~monitor.model.train.train_model` takes, so the notebooks train through the same
code path as ``pantau train``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.model.dataset import FileSummary, LabelledData, LoadOptions, load_labelled
from monitor.model.tables import file_sha256, read_table

FRAME_COLUMNS = (
    "text",
    "label",
    "y",
    "topic",
    "register",
    "claim_group",
    "date",
    "hoax_category",
    "source",
    "file",
    "origin",
)
HOAX = "hoax"
VALID = "valid"
CORPUS = "corpus"
STORE = "store"
#: The pseudo file name stored posts carry in :class:`LabelledData` origins and model cards.
STORE_ORIGIN = "store"


def empty_frame(extra: Sequence[str] = ()) -> pd.DataFrame:
    """Return a frame with :data:`FRAME_COLUMNS` (plus ``extra``) and no rows."""
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in (*FRAME_COLUMNS, *extra)})
    frame["y"] = frame["y"].astype(np.int64)
    return frame


def _cell(cells: dict[str, str], column: str) -> str | None:
    return cells.get(column, "").strip() or None


def corpus_frame(paths: Sequence[Path], options: LoadOptions | None = None) -> pd.DataFrame:
    """Read labelled corpus files (``training_data/corpus/*.csv``) into one frame.

    Rows are read by :func:`~monitor.model.dataset.load_labelled`, so the rows kept and their
    labels are exactly those ``pantau train`` uses; ``register`` and ``hoax_category`` are
    added from the same lines.

    Raises:
        DataError: a file lacks a text or label column, cannot be read, or has no usable row.
    """
    options = options or LoadOptions()
    rows: list[dict[str, Any]] = []
    for path in paths:
        data = load_labelled([Path(path)], options)
        by_line = {record.line: record.cells for record in read_table(Path(path)).records}
        for i, text in enumerate(data.texts):
            name, line = data.origins[i]
            cells = by_line.get(line, {})
            rows.append(
                {
                    "text": text,
                    "label": HOAX if data.labels[i] else VALID,
                    "y": data.labels[i],
                    "topic": data.topics[i],
                    "register": _cell(cells, "register"),
                    "claim_group": data.claim_groups[i],
                    "date": data.dates[i],
                    "hoax_category": _cell(cells, "hoax_category") if data.labels[i] else None,
                    "source": CORPUS,
                    "file": str(path),
                    "origin": f"{name}:{line}",
                }
            )
    if not rows:
        return empty_frame()
    # object columns keep None as None (pandas would turn missing strings into NaN)
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS), dtype=object)
    frame["y"] = frame["y"].astype(np.int64)
    return frame


def training_frame(corpus_paths: Sequence[Path], store_labels: pd.DataFrame) -> pd.DataFrame:
    """Return the corpus rows followed by the reviewers' labelled posts, in one frame.

    ``store_labels`` is the output of :func:`monitor.analysis.labels.labels_from_store`
    (its extra columns are dropped). A stored post whose text equals a corpus text (case and
    whitespace folded) is kept once, with the reviewer's label: it is the newer judgement.

    Raises:
        DataError: a corpus file cannot be used (see :func:`corpus_frame`).
        ValueError: ``store_labels`` lacks one of :data:`FRAME_COLUMNS`.
    """
    missing = [c for c in FRAME_COLUMNS if c not in store_labels.columns]
    if missing:
        raise ValueError(f"store labels lack column(s) {missing}")
    corpus = corpus_frame(corpus_paths) if corpus_paths else empty_frame()
    store = store_labels.loc[:, list(FRAME_COLUMNS)]
    folded_store = {_fold(t) for t in store["text"]}
    keep = ~corpus["text"].map(_fold).isin(folded_store)
    parts = [part for part in (corpus.loc[keep], store) if len(part)]
    if not parts:
        return empty_frame()
    frame = pd.concat(parts, ignore_index=True)
    frame["y"] = frame["y"].astype(np.int64)
    return frame


def _fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _store_summary(rows: pd.DataFrame) -> FileSummary:
    digest = hashlib.sha256()
    for origin, label in zip(rows["origin"], rows["label"], strict=True):
        digest.update(f"{origin}\t{label}\n".encode())
    return FileSummary(
        path=f"{STORE_ORIGIN}: reviewer labels",
        sha256=digest.hexdigest(),
        format=STORE_ORIGIN,
        encoding=None,
        delimiter=None,
        rows_read=len(rows),
        rows_used=len(rows),
        rows_skipped=0,
    )


def _file_summary(path: str, rows: pd.DataFrame) -> FileSummary:
    file = Path(path)
    return FileSummary(
        path=path,
        sha256=file_sha256(file) if file.is_file() else "",
        format=file.suffix.lstrip(".").lower() or "csv",
        encoding=None,
        delimiter=None,
        rows_read=len(rows),
        rows_used=len(rows),
        rows_skipped=0,
    )


def _origin(row_origin: str, source: str) -> tuple[str, int]:
    """``social_aid.csv:12`` → ("social_aid.csv", 12); ``post 17`` → ("store", 17)."""
    if source == STORE:
        return STORE_ORIGIN, int(row_origin.split()[-1])
    name, _, line = row_origin.rpartition(":")
    return name, int(line) if line.isdigit() else 0


def _none_if_missing(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def to_labelled(frame: pd.DataFrame) -> LabelledData:
    """Return the rows of ``frame`` as :class:`LabelledData` for training or evaluation.

    ``files`` lists one summary per corpus file and one for the reviewers' labels; their
    ``rows_used`` count the rows of that origin in ``frame`` (a split uses part of a file).

    Raises:
        ValueError: ``frame`` is empty or lacks one of :data:`FRAME_COLUMNS`.
    """
    missing = [c for c in FRAME_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks column(s) {missing}")
    if frame.empty:
        raise ValueError("no labelled rows")
    files: list[FileSummary] = []
    corpus = frame.loc[frame["source"] == CORPUS]
    for path, rows in corpus.groupby("file", sort=True):
        files.append(_file_summary(str(path), rows))
    store = frame.loc[frame["source"] == STORE]
    if len(store):
        files.append(_store_summary(store))
    return LabelledData(
        texts=[str(t) for t in frame["text"]],
        labels=[int(v) for v in frame["y"]],
        topics=[_none_if_missing(v) for v in frame["topic"]],
        claim_groups=[_none_if_missing(v) for v in frame["claim_group"]],
        dates=[_none_if_missing(v) for v in frame["date"]],
        origins=[
            _origin(str(o), str(s)) for o, s in zip(frame["origin"], frame["source"], strict=True)
        ],
        files=files,
    )
