"""JSON Lines / CSV file connector (``kind = "file"``): imports, demo streams, tailing a file.

Settings: ``path`` (required), ``format`` (``jsonl`` | ``csv`` | ``tsv``; by default from the
extension ``.jsonl``/``.ndjson``/``.csv``/``.tsv``), ``delimiter`` (CSV, one character),
``batch_size`` (most posts per fetch, default 500: this paces the demo stream), ``fields``
(our name -> the file's column name, e.g. ``{"text": "isi"}``), ``encoding`` (an
ASCII-compatible codec, default utf-8), ``timezone`` (IANA name for timestamps without an
offset, default UTC).

Our names and the columns they read by default: ``external_id`` (``id`` | ``external_id``),
``text``, ``url``, ``author``, ``published_at`` (``published_at`` | ``date`` | ``created_at``),
``likes``, ``shares``, ``comments``, ``views``. ``raw`` keeps the whole record.

Only complete records are consumed and the cursor records the bytes and lines consumed (see
:mod:`monitor.sources.textfile`), so a file that is being appended to is picked up where the
last committed cursor stopped, and a replaced file is read again from the start.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import IO, Any, ClassVar, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx

from monitor.sources.base import (
    FetchedPost,
    FetchResult,
    NotConfigured,
    SourceError,
    int_setting,
    parse_count,
    parse_timestamp,
    sha256_id,
    str_setting,
)
from monitor.sources.registry import register_source
from monitor.sources.textfile import (
    LineReader,
    Position,
    content_start,
    line_encoding,
    resume_position,
    write_cursor,
)

DEFAULT_BATCH_SIZE = 500
DEFAULT_FIELDS: Mapping[str, tuple[str, ...]] = {
    "external_id": ("id", "external_id"),
    "text": ("text",),
    "url": ("url",),
    "author": ("author",),
    "published_at": ("published_at", "date", "created_at"),
    "likes": ("likes",),
    "shares": ("shares",),
    "comments": ("comments",),
    "views": ("views",),
}
_COUNTS = ("likes", "shares", "comments", "views")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}


@register_source
class FileSource:
    """Reads posts from a JSONL or CSV file, ``batch_size`` at a time."""

    kind: ClassVar[str] = "file"

    def __init__(
        self,
        path: Path,
        *,
        format: str,
        delimiter: str = ",",
        batch_size: int = DEFAULT_BATCH_SIZE,
        fields: Mapping[str, tuple[str, ...]] = DEFAULT_FIELDS,
        encoding: str = "utf-8",
        timezone: tzinfo | None = None,
    ) -> None:
        self.path = path
        self.format = format
        self.delimiter = delimiter
        self.batch_size = batch_size
        self.fields = fields
        self.encoding = encoding
        self.timezone = timezone or ZoneInfo("UTC")

    def __repr__(self) -> str:
        return f"FileSource({str(self.path)!r}, format={self.format!r})"

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, http: httpx.Client | None = None
    ) -> Self:
        """Build from settings; raises NotConfigured for a missing or invalid setting."""
        path = Path(str_setting(settings, "path")).expanduser()
        fmt = settings.get("format") or _EXTENSIONS.get(path.suffix.lower())
        fmt = fmt.lower() if isinstance(fmt, str) else fmt
        if fmt not in ("jsonl", "csv", "tsv"):
            raise NotConfigured(
                f"setting 'format' must be 'jsonl' or 'csv' (cannot tell from {path.name!r})"
            )
        delimiter = settings.get("delimiter", "\t" if fmt == "tsv" else ",")
        if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
            raise NotConfigured("setting 'delimiter' must be one character other than a quote")
        return cls(
            path,
            format="jsonl" if fmt == "jsonl" else "csv",
            delimiter=delimiter,
            batch_size=int_setting(settings, "batch_size", default=DEFAULT_BATCH_SIZE),
            fields=_field_map(settings.get("fields")),
            encoding=line_encoding(str_setting(settings, "encoding", default="utf-8")),
            timezone=_zone(str_setting(settings, "timezone", default="UTC")),
        )

    def fetch(self, cursor: str | None) -> FetchResult:
        """Read up to ``batch_size`` posts after ``cursor``.

        Bad records are skipped and reported in ``problems`` with their line number.
        ``exhausted`` is False when complete records remain after this batch. Raises
        SourceError: permanent when the file is missing, unreadable for lack of permission,
        a directory, or a CSV without a usable header; transient for other I/O errors.
        """
        problems: list[str] = []
        try:
            with self.path.open("rb") as handle:
                start = resume_position(handle, cursor, problems)
                handle.seek(start.offset)
                batch = _Batch(problems=problems, position=start)
                if self.format == "jsonl":
                    self._read_jsonl(handle, batch)
                else:
                    self._read_csv(handle, batch)
                size = os.fstat(handle.fileno()).st_size
                exhausted = batch.reached_end or batch.position.offset >= size
                new_cursor = write_cursor(handle, batch.position)
        except FileNotFoundError:
            raise SourceError(f"file not found: {self.path}", permanent=True) from None
        except (IsADirectoryError, PermissionError) as exc:
            raise SourceError(f"cannot read {self.path}: {exc.strerror}", permanent=True) from None
        except OSError as exc:
            raise SourceError(f"cannot read {self.path}: {exc}") from None
        return FetchResult(
            posts=batch.posts, cursor=new_cursor, problems=problems, exhausted=exhausted
        )

    # -- JSON Lines ---------------------------------------------------------------------

    def _read_jsonl(self, handle: IO[bytes], batch: _Batch) -> None:
        lines = LineReader(handle, batch.position, self.encoding)
        while not batch.full(self.batch_size):
            text = next(lines, None)
            if text is None:
                batch.reached_end = True
                return
            record: object = None
            error = ""
            if text.strip():
                try:
                    record = json.loads(text, parse_constant=_reject_constant)
                except RecursionError:
                    error = "invalid JSON: nested too deeply"
                except ValueError as exc:
                    error = f"invalid JSON: {exc}"
            if not lines.terminated and error:
                # Most likely a line still being written: leave it for the next fetch.
                batch.problems.append(
                    f"line {lines.line}: incomplete last line (no newline yet); left for later"
                )
                batch.reached_end = True
                return
            batch.commit(lines)
            if not text.strip():
                continue
            if error:
                batch.skip(f"line {lines.line}: {error}")
            elif not isinstance(record, dict):
                batch.skip(f"line {lines.line}: not a JSON object")
            else:
                self._add(record, lines.line, batch)

    # -- CSV ----------------------------------------------------------------------------

    def _read_csv(self, handle: IO[bytes], batch: _Batch) -> None:
        header, header_end = self._header(handle, batch)
        if header is None:
            batch.reached_end = True
            return
        if batch.position.offset < header_end.offset:
            batch.position = header_end
        handle.seek(batch.position.offset)
        lines = LineReader(handle, batch.position, self.encoding)
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        while not batch.full(self.batch_size):
            first_line = lines.line + 1
            try:
                row = next(reader)
            except StopIteration:
                batch.reached_end = True
                return
            except csv.Error as exc:
                if lines.eof:  # a quoted field still open at the end: not fully written yet
                    batch.problems.append(
                        f"line {first_line}: incomplete record at end of file; left for later"
                    )
                    batch.reached_end = True
                    return
                batch.commit(lines)
                batch.skip(f"line {first_line}: malformed CSV row: {exc}")
                continue
            if row and not lines.terminated and len(row) != len(header):
                batch.problems.append(
                    f"line {first_line}: incomplete last line (no newline yet); left for later"
                )
                batch.reached_end = True
                return
            batch.commit(lines)
            if not row:
                continue
            if len(row) != len(header):
                batch.skip(f"line {first_line}: expected {len(header)} fields, found {len(row)}")
                continue
            self._add(dict(zip(header, row, strict=True)), first_line, batch)

    def _header(self, handle: IO[bytes], batch: _Batch) -> tuple[list[str] | None, Position]:
        """The column names and where the header ends; (None, _) when not written yet."""
        start = content_start(handle)
        handle.seek(start.offset)
        lines = LineReader(handle, start, self.encoding)
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        try:
            header: list[str] | None = []
            while header == []:  # blank lines before the header
                header = next(reader, None)
        except csv.Error as exc:
            if lines.eof:
                return None, start
            raise SourceError(
                f"{self.path}: unreadable CSV header: {exc}", permanent=True
            ) from None
        if not header or not lines.terminated:
            return None, start
        batch.problems.extend(lines.problems)
        header = [name.strip() for name in header]
        duplicates = sorted({name for name in header if header.count(name) > 1})
        if duplicates:
            raise SourceError(
                f"{self.path}: duplicate CSV column names: {', '.join(duplicates)}",
                permanent=True,
            )
        if not any(name in header for name in self.fields["text"]):
            raise SourceError(
                f"{self.path}: no text column (looked for {', '.join(self.fields['text'])}; "
                f"header has {', '.join(header)}); set fields.text",
                permanent=True,
            )
        return header, Position(lines.offset, lines.line)

    # -- records -> posts ---------------------------------------------------------------

    def _add(self, record: dict[str, Any], line: int, batch: _Batch) -> None:
        text = self._pick(record, "text")
        if not isinstance(text, str) or not text.strip():
            batch.skip(f"line {line}: missing text")
            return
        external_id = self._pick(record, "external_id")
        if isinstance(external_id, bool) or not isinstance(external_id, str | int):
            if external_id is not None:
                batch.problems.append(
                    f"line {line}: unusable id {_short(external_id)}; hashed text"
                )
            external_id = sha256_id(text)
        counts: dict[str, int] = {}
        for name in _COUNTS:
            value = self._pick(record, name)
            try:
                counts[name] = parse_count(value)
            except ValueError:
                batch.problems.append(f"line {line}: {name} {_short(value)} is not a count; used 0")
                counts[name] = 0
        published = self._pick(record, "published_at")
        try:
            published_at = parse_timestamp(published, self.timezone)
        except ValueError:
            batch.problems.append(f"line {line}: unreadable date {_short(published)}; left empty")
            published_at = None
        batch.posts.append(
            FetchedPost(
                external_id=str(external_id).strip() or sha256_id(text),
                text=text,
                url=_optional_str(self._pick(record, "url")),
                author=_optional_str(self._pick(record, "author")),
                published_at=published_at,
                raw=record,
                **counts,
            )
        )

    def _pick(self, record: Mapping[str, Any], name: str) -> Any:
        """The first non-empty value among the columns mapped to ``name``."""
        for column in self.fields[name]:
            value = record.get(column)
            if value is not None and value != "":
                return value
        return None


@dataclass(slots=True)
class _Batch:
    """What one fetch collected, and the end of the last record it consumed."""

    problems: list[str]
    position: Position
    posts: list[FetchedPost] = field(default_factory=list)
    skipped: int = 0
    reached_end: bool = False

    def full(self, batch_size: int) -> bool:
        # Skipped records are bounded too, so a file of garbage is still read in steps.
        return len(self.posts) >= batch_size or self.skipped >= batch_size

    def commit(self, lines: LineReader) -> None:
        """Mark everything ``lines`` has read as consumed, with its decoding problems."""
        self.position = Position(lines.offset, lines.line)
        self.problems.extend(lines.problems)
        lines.problems.clear()

    def skip(self, problem: str) -> None:
        self.problems.append(problem)
        self.skipped += 1


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def _short(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for problem lines."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _optional_str(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _field_map(setting: object) -> Mapping[str, tuple[str, ...]]:
    if setting is None:
        return DEFAULT_FIELDS
    if not isinstance(setting, Mapping):
        raise NotConfigured("setting 'fields' must be a mapping of our names to column names")
    fields = dict(DEFAULT_FIELDS)
    for name, column in setting.items():
        ours = "external_id" if name == "id" else name
        if ours not in DEFAULT_FIELDS:
            known = ", ".join(DEFAULT_FIELDS)
            raise NotConfigured(f"setting 'fields' has unknown name {name!r} (known: {known})")
        if not isinstance(column, str) or not column.strip():
            raise NotConfigured(f"setting 'fields.{name}' must be a column name")
        fields[ours] = (column.strip(),)
    return fields


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise NotConfigured(f"setting 'timezone': unknown time zone {name!r}") from None
