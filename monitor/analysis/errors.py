"""Error analysis: where a model errs, and why it thought so.

:func:`score_frame` scores labelled rows with a model and keeps each row's explanation;
:func:`error_table` lists its false positives or false negatives, most confident first;
:func:`metrics_by` breaks precision and recall down by topic, register or source;
:func:`error_terms` counts the terms that pushed the errors.

Only rows the model was not trained on say anything about its errors:
:func:`unseen_rows` drops the others first.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from monitor.analysis.heldout import fingerprints
from monitor.model.evaluate import training_fingerprints
from monitor.model.explain import Explanation
from monitor.model.metrics import average_precision
from monitor.model.scorer import HOAX, Scorer
from monitor.text import normalize_many

ErrorKind = Literal["fp", "fn"]
#: Columns :func:`score_frame` adds.
SCORE_COLUMNS = (
    "probability",
    "predicted",
    "outcome",
    "towards_hoax",
    "towards_valid",
    "explanation",
)
_SHOWN_CHARS = 160


def unseen_rows(frame: pd.DataFrame, model_dir: Path) -> pd.DataFrame:
    """Return the rows of ``frame`` whose text the model in ``model_dir`` was not trained on."""
    seen = training_fingerprints(model_dir)
    return frame.loc[~fingerprints(frame["text"]).isin(seen)].reset_index(drop=True)


def _terms(pairs: list[tuple[str, float]]) -> str:
    return ", ".join(f"{label} ({weight:+.2f})" for label, weight in pairs)


def score_frame(scorer: Scorer, frame: pd.DataFrame, *, top_k: int = 5) -> pd.DataFrame:
    """Return ``frame`` with :data:`SCORE_COLUMNS` added.

    ``predicted`` is ``hoax``/``valid`` at the scorer's threshold; ``outcome`` is ``TP``,
    ``FP``, ``FN`` or ``TN`` (hoax is positive); ``towards_hoax``/``towards_valid`` are the
    ``top_k`` explanation items on each side as text, e.g. ``term:sebarkan (+1.20)``;
    ``explanation`` holds the :class:`~monitor.model.explain.Explanation` itself.
    """
    scored = frame.reset_index(drop=True).copy()
    texts = [str(t) for t in scored["text"]]
    results = scorer.score_many(texts, normalize_many(texts), top_k=top_k)
    scored["probability"] = [r.probability for r in results]
    scored["predicted"] = [r.label for r in results]
    flagged = scored["predicted"] == HOAX
    hoax = scored["y"] == 1
    scored["outcome"] = np.select(
        [flagged & hoax, flagged & ~hoax, ~flagged & hoax], ["TP", "FP", "FN"], default="TN"
    )
    scored["towards_hoax"] = [_terms(r.explanation.up) for r in results]
    scored["towards_valid"] = [_terms(r.explanation.down) for r in results]
    scored["explanation"] = pd.Series(
        [r.explanation for r in results], index=scored.index, dtype=object
    )
    return scored


def _shorten(text: str, limit: int = _SHOWN_CHARS) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def error_table(scored: pd.DataFrame, kind: ErrorKind, *, limit: int = 15) -> pd.DataFrame:
    """Return the ``limit`` most confident errors of one kind from :func:`score_frame` output.

    ``fp`` (valid rows flagged) are sorted by probability, highest first; ``fn`` (hoaxes
    missed) lowest first. Texts are shortened to one line.

    Raises:
        ValueError: ``kind`` is not ``fp`` or ``fn``.
    """
    if kind not in ("fp", "fn"):
        raise ValueError("kind must be 'fp' or 'fn'")
    rows = scored.loc[scored["outcome"] == kind.upper()]
    rows = rows.sort_values("probability", ascending=kind == "fn", kind="stable").head(limit)
    table = rows[
        [
            "text",
            "probability",
            "topic",
            "register",
            "source",
            "origin",
            "towards_hoax",
            "towards_valid",
        ]
    ].copy()
    table["text"] = table["text"].map(_shorten)
    table["probability"] = table["probability"].round(3)
    return table.reset_index(drop=True)


def _group_metrics(rows: pd.DataFrame) -> dict[str, float | int]:
    y = rows["y"].to_numpy(dtype=np.int64)
    flagged = (rows["predicted"] == HOAX).to_numpy()
    tp = int((flagged & (y == 1)).sum())
    fp = int((flagged & (y == 0)).sum())
    fn = int((~flagged & (y == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else math.nan
    recall = tp / (tp + fn) if tp + fn else math.nan
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else math.nan
    pr_auc = (
        average_precision(y, rows["probability"].to_numpy(dtype=np.float64))
        if 0 < y.sum() < len(y)
        else math.nan
    )
    return {
        "rows": len(rows),
        "hoax": int(y.sum()),
        "flagged": int(flagged.sum()),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pr_auc": pr_auc,
    }


def metrics_by(scored: pd.DataFrame, column: str) -> pd.DataFrame:
    """Return precision, recall, F1 and PR-AUC per value of ``column``, plus ``(all)``.

    Rows with no value in ``column`` form the group ``(none)``. Metrics that are undefined
    for a group (no flag, no hoax, a single class) are NaN. Groups are sorted by size.
    """
    keys = scored[column].map(lambda v: "(none)" if v is None or pd.isna(v) else str(v))
    rows = {str(key): _group_metrics(part) for key, part in scored.groupby(keys, sort=False)}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table = table.sort_values(["rows"], ascending=False, kind="stable")
    table.loc["(all)"] = pd.Series(_group_metrics(scored))
    table.index.name = column
    for name in ("rows", "hoax", "flagged", "tp", "fp", "fn"):
        table[name] = table[name].astype(np.int64)
    return table.round({"precision": 3, "recall": 3, "f1": 3, "pr_auc": 3})


def error_terms(scored: pd.DataFrame, kind: ErrorKind, *, top: int = 15) -> pd.DataFrame:
    """Return the explanation items that most often pushed errors of one kind.

    For false positives these are items towards hoax, for false negatives items towards
    valid: what misled the model. Columns: ``posts`` (errors the item appears in) and
    ``mean_weight``; sorted by ``posts``, then by weight.

    Raises:
        ValueError: ``kind`` is not ``fp`` or ``fn``.
    """
    if kind not in ("fp", "fn"):
        raise ValueError("kind must be 'fp' or 'fn'")
    weights: dict[str, list[float]] = defaultdict(list)
    explanation: Explanation
    for explanation in scored.loc[scored["outcome"] == kind.upper(), "explanation"]:
        for label, weight in explanation.up if kind == "fp" else explanation.down:
            weights[label].append(weight)
    rows = [
        {"item": label, "posts": len(values), "mean_weight": round(float(np.mean(values)), 3)}
        for label, values in weights.items()
    ]
    if not rows:
        return pd.DataFrame(columns=["posts", "mean_weight"]).rename_axis("item")
    table = pd.DataFrame(rows)
    table["strength"] = table["mean_weight"].abs()
    table = table.sort_values(["posts", "strength"], ascending=False, kind="stable").head(top)
    return table.drop(columns="strength").set_index("item")
