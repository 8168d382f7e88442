"""Read tabular files (CSV, TSV, JSONL, XLSX) into records that keep their line numbers.

Delimited files have their encoding (UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252) and
delimiter (``,``, ``;``, tab, ``|``) detected. Rows that cannot be read are reported as
:class:`RowProblem` with the line on which they start, never silently dropped.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

DELIMITERS = (",", ";", "\t", "|")
_JSONL_SUFFIXES = {".jsonl", ".ndjson"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class TableError(Exception):
    """A file cannot be read as a table at all (unknown format, no header, bad workbook)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be used: its file, the line (or sheet row) it starts on, why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Record:
    """One data row: the line it starts on and its cells by column name."""

    line: int
    cells: dict[str, str]


@dataclass(slots=True)
class Table:
    """A file read into records, with how it was read."""

    path: Path
    sha256: str
    format: str
    encoding: str | None
    delimiter: str | None
    columns: list[str]
    records: list[Record] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of the file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(data: bytes) -> str:
    """Return the codec name for ``data``: BOM first, then UTF-8, then cp1252, then latin-1.

    cp1252 leaves five bytes undefined; a file using them is read as latin-1, which decodes
    any byte, so this never fails.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def detect_delimiter(text: str) -> str:
    """Return the delimiter used by the header line of ``text`` (``,`` when none is seen).

    Only the header is counted, outside double quotes: data rows may hold free text full of
    commas and semicolons, the header of a table we can use does not.
    """
    header = text.split("\n", 1)[0]
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _read_delimited(path: Path, data: bytes, delimiter: str | None) -> Table:
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    delim = delimiter or detect_delimiter(text)
    table = Table(path, "", "csv" if delim != "\t" else "tsv", encoding, delim, [])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    previous_end = 0
    try:
        for row in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if not table.columns:
                table.columns = [c.strip() for c in row]
                continue
            if len(row) != len(table.columns):
                table.problems.append(
                    RowProblem(
                        path.name,
                        start,
                        f"expected {len(table.columns)} fields, found {len(row)}",
                    )
                )
                continue
            table.records.append(Record(start, dict(zip(table.columns, row, strict=True))))
    except csv.Error as exc:
        table.problems.append(
            RowProblem(path.name, previous_end + 1, f"unreadable from here on: {exc}")
        )
    return table


def _read_jsonl(path: Path, data: bytes) -> Table:
    encoding = detect_encoding(data)
    table = Table(path, "", "jsonl", encoding, None, [])
    seen: dict[str, None] = {}
    for number, line in enumerate(data.decode(encoding).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            table.problems.append(RowProblem(path.name, number, f"invalid JSON: {exc.msg}"))
            continue
        if not isinstance(item, dict):
            table.problems.append(RowProblem(path.name, number, "not a JSON object"))
            continue
        cells = {str(k): _cell(v) for k, v in item.items()}
        seen.update(dict.fromkeys(cells))
        table.records.append(Record(number, cells))
    table.columns = list(seen)
    return table


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl import load_workbook

    table = Table(path, "", "xlsx", None, None, [])
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; the cell values are intact.
        warnings.simplefilter("ignore", UserWarning)
        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise TableError(f"{path.name}: not a readable workbook ({exc})") from exc
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise TableError(f"{path.name}: no sheet {sheet!r} (have {book.sheetnames})")
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = [_cell(v) for v in values]
                if all(not c.strip() for c in cells):
                    continue
                if not table.columns:
                    # Sheets report their full width on every row; drop empty header cells
                    # at the end so values in those columns count as stray.
                    header = [c.strip() for c in cells]
                    while header and not header[-1]:
                        header.pop()
                    table.columns = header
                    continue
                cells += [""] * (len(table.columns) - len(cells))
                extra = [c for c in cells[len(table.columns) :] if c.strip()]
                if extra:
                    table.problems.append(
                        RowProblem(path.name, number, "values outside the header's columns")
                    )
                    continue
                table.records.append(Record(number, dict(zip(table.columns, cells, strict=False))))
        finally:
            book.close()
    return table


def read_table(path: Path, *, delimiter: str | None = None, sheet: str | None = None) -> Table:
    """Read ``path`` by its suffix (``.jsonl``/``.ndjson`` lines, ``.xlsx``, else
    delimited text) and return its records, problems and how it was read.

    Raises:
        TableError: the file is missing, empty, has no header, or is not a workbook.
    """
    if not path.is_file():
        raise TableError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in _XLSX_SUFFIXES:
        table = _read_xlsx(path, sheet)
    else:
        data = path.read_bytes()
        if not data.strip():
            raise TableError(f"{path.name}: file is empty")
        if suffix in _JSONL_SUFFIXES:
            table = _read_jsonl(path, data)
        else:
            if delimiter is None and suffix == ".tsv":
                delimiter = "\t"
            table = _read_delimited(path, data, delimiter)
    if not table.columns:
        raise TableError(f"{path.name}: no header row")
    table.sha256 = file_sha256(path)
    return table
