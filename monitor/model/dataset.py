"""Labelled training/evaluation data assembled from one or more tables.

Text columns are joined, the label column is mapped to hoax (1) / valid (0), and the optional
grouping columns (topic, claim group, date) are kept for leakage-free validation. Every row
that cannot be used is reported with its file and line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from monitor.model.tables import RowProblem, Table, TableError, read_table


class DataError(Exception):
    """The data cannot be used at all (a required column is missing, no usable rows)."""


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """How to read labelled files; the defaults fit ``training_data/corpus/*.csv``."""

    text_columns: tuple[str, ...] = ("text",)
    label_column: str = "label"
    hoax_value: str = "hoax"
    valid_values: tuple[str, ...] = ()
    topic_column: str | None = "topic"
    group_column: str | None = "claim_group"
    date_column: str | None = "date"
    rows_per_topic: int | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the options as a JSON-ready dict (recorded in model cards)."""
        return {
            "text_columns": list(self.text_columns),
            "label_column": self.label_column,
            "hoax_value": self.hoax_value,
            "valid_values": list(self.valid_values),
            "topic_column": self.topic_column,
            "group_column": self.group_column,
            "date_column": self.date_column,
            "rows_per_topic": self.rows_per_topic,
        }


@dataclass(frozen=True, slots=True)
class FileSummary:
    """What was read from one file (recorded in model cards)."""

    path: str
    sha256: str
    format: str
    encoding: str | None
    delimiter: str | None
    rows_read: int
    rows_used: int
    rows_skipped: int

    def to_json(self) -> dict[str, Any]:
        """Return the summary as a JSON-ready dict."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_skipped": self.rows_skipped,
        }


@dataclass(slots=True)
class LabelledData:
    """Usable rows in file order, with their origin and optional grouping information."""

    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    topics: list[str | None] = field(default_factory=list)
    claim_groups: list[str | None] = field(default_factory=list)
    dates: list[date | None] = field(default_factory=list)
    origins: list[tuple[str, int]] = field(default_factory=list)
    files: list[FileSummary] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    label_values: Counter[str] = field(default_factory=Counter)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def y(self) -> np.ndarray:
        """Labels as an int array (1 = hoax, 0 = valid)."""
        return np.asarray(self.labels, dtype=np.int64)

    def label_counts(self) -> dict[str, int]:
        """Return ``{"hoax": n, "valid": m}``."""
        hoax = int(sum(self.labels))
        return {"hoax": hoax, "valid": len(self.labels) - hoax}

    def subset(self, index: Sequence[int] | np.ndarray) -> LabelledData:
        """Return the rows at ``index`` (files and problems are kept as they are)."""
        idx = [int(i) for i in index]
        return LabelledData(
            texts=[self.texts[i] for i in idx],
            labels=[self.labels[i] for i in idx],
            topics=[self.topics[i] for i in idx],
            claim_groups=[self.claim_groups[i] for i in idx],
            dates=[self.dates[i] for i in idx],
            origins=[self.origins[i] for i in idx],
            files=list(self.files),
            problems=list(self.problems),
        )


def parse_date(value: str) -> date | None:
    """Return the date in an ISO ``YYYY-MM-DD[...]`` value, or ``None`` when there is none."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None


def _optional(table: Table, column: str | None) -> str | None:
    return column if column is not None and column in table.columns else None


def _cell_or_none(cells: dict[str, str], column: str | None) -> str | None:
    if column is None:
        return None
    return cells.get(column, "").strip() or None


def _add_table(data: LabelledData, table: Table, options: LoadOptions) -> None:
    missing = [c for c in (*options.text_columns, options.label_column) if c not in table.columns]
    if missing:
        raise DataError(
            f"{table.path.name}: missing column(s) {missing}; columns are {table.columns}"
        )
    hoax = options.hoax_value.strip().casefold()
    valid = {v.strip().casefold() for v in options.valid_values}
    topic_col = _optional(table, options.topic_column)
    group_col = _optional(table, options.group_column)
    date_col = _optional(table, options.date_column)
    problems = list(table.problems)
    used = 0
    for position, record in enumerate(table.records):
        cells = record.cells
        text = "\n".join(cells[c].strip() for c in options.text_columns if cells.get(c, "").strip())
        raw_label = cells.get(options.label_column, "").strip()
        data.label_values[raw_label] += 1
        label = raw_label.casefold()
        reason = None
        if not text:
            reason = "empty text"
        elif not label:
            reason = "missing label"
        elif label != hoax and valid and label not in valid:
            reason = f"unknown label {raw_label!r}"
        if reason is not None:
            problems.append(RowProblem(table.path.name, record.line, reason))
            continue
        used += 1
        data.texts.append(text)
        data.labels.append(1 if label == hoax else 0)
        if options.rows_per_topic:
            # Files stored in topic order (e.g. 50 articles per keyword): topic = row // n,
            # counted over the file's data rows, readable or not.
            data.topics.append(f"{table.path.name}#{position // options.rows_per_topic}")
        else:
            data.topics.append(_cell_or_none(cells, topic_col))
        data.claim_groups.append(_cell_or_none(cells, group_col))
        date_text = _cell_or_none(cells, date_col)
        data.dates.append(parse_date(date_text) if date_text else None)
        data.origins.append((table.path.name, record.line))
    data.problems.extend(problems)
    data.files.append(
        FileSummary(
            path=str(table.path),
            sha256=table.sha256,
            format=table.format,
            encoding=table.encoding,
            delimiter=table.delimiter,
            rows_read=len(table.records) + len(table.problems),
            rows_used=used,
            rows_skipped=len(problems),
        )
    )


def load_labelled(paths: Sequence[Path], options: LoadOptions | None = None) -> LabelledData:
    """Read every file in ``paths`` and return their usable rows in order.

    Raises:
        DataError: a file lacks a text or label column, cannot be read, or no row is usable.
    """
    options = options or LoadOptions()
    if not paths:
        raise DataError("no data files given")
    data = LabelledData()
    for path in paths:
        try:
            table = read_table(Path(path), delimiter=options.delimiter, sheet=options.sheet)
        except TableError as exc:
            raise DataError(str(exc)) from exc
        _add_table(data, table, options)
    if not data.texts:
        raise DataError("no usable rows in " + ", ".join(str(p) for p in paths))
    return data
