"""Reading a text file that may grow, by physical lines, with byte offsets; and its cursor.

The cursor is JSON ``{"offset", "line", "head"}``: the bytes and physical lines already
consumed, and a fingerprint of the file's first bytes. A file that shrank below the offset or
whose first bytes changed was replaced (or rotated) and is read again from the start.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from monitor.sources.base import NotConfigured

BOM = codecs.BOM_UTF8
#: How many leading bytes identify the file (a replaced file differs in them).
HEAD_BYTES = 1024


@dataclass(frozen=True, slots=True)
class Position:
    """A point between records: ``offset`` bytes and ``line`` physical lines consumed."""

    offset: int = 0
    line: int = 0


def content_start(handle: IO[bytes]) -> Position:
    """Where the content of the file begins (after a UTF-8 byte order mark, if any)."""
    handle.seek(0)
    return Position(len(BOM) if handle.read(len(BOM)) == BOM else 0, 0)


def resume_position(handle: IO[bytes], cursor: str | None, problems: list[str]) -> Position:
    """Where to continue: the cursor's position, or the start when the file was replaced."""
    begin = content_start(handle)
    if not cursor:
        return begin
    stored = read_cursor(cursor)
    if stored is None:
        problems.append("stored cursor is unreadable; reading the file from the start")
        return begin
    position, head = stored
    size = os.fstat(handle.fileno()).st_size
    if position.offset > size:
        problems.append("file is shorter than the cursor (truncated?); reading from the start")
        return begin
    if head != fingerprint(handle, position.offset):
        problems.append("file start changed since the last fetch (replaced?); reading anew")
        return begin
    return max(position, begin, key=lambda p: p.offset)


def fingerprint(handle: IO[bytes], offset: int) -> str:
    """Short hex digest of the file's first ``min(offset, HEAD_BYTES)`` bytes."""
    handle.seek(0)
    return hashlib.sha256(handle.read(min(offset, HEAD_BYTES))).hexdigest()[:32]


def write_cursor(handle: IO[bytes], position: Position) -> str:
    """The cursor for ``position`` in the file open as ``handle``."""
    head = fingerprint(handle, position.offset)
    return json.dumps({"offset": position.offset, "line": position.line, "head": head})


def read_cursor(cursor: str) -> tuple[Position, str] | None:
    """(position, fingerprint) stored in ``cursor``; None when it is not a valid cursor."""
    try:
        data = json.loads(cursor)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    offset, line, head = data.get("offset"), data.get("line"), data.get("head")
    if not (isinstance(offset, int) and isinstance(line, int) and isinstance(head, str)):
        return None
    if offset < 0 or line < 0:
        return None
    return Position(offset, line), head


class LineReader(Iterator[str]):
    """Decoded physical lines of a binary file, tracking the bytes and lines read.

    Undecodable bytes are replaced with U+FFFD and noted in ``problems`` with the line number.
    """

    def __init__(self, handle: IO[bytes], start: Position, encoding: str) -> None:
        self._handle = handle
        self._encoding = encoding
        self.offset = start.offset
        self.line = start.line
        self.eof = False
        self.terminated = True
        self.problems: list[str] = []

    def __next__(self) -> str:
        data = self._handle.readline()
        if not data:
            self.eof = True
            raise StopIteration
        self.offset += len(data)
        self.line += 1
        self.terminated = data.endswith(b"\n")
        try:
            return data.decode(self._encoding)
        except UnicodeDecodeError:
            self.problems.append(
                f"line {self.line}: invalid {self._encoding} bytes replaced with U+FFFD"
            )
            return data.decode(self._encoding, errors="replace")


def line_encoding(name: str) -> str:
    """The canonical codec name for ``name``, which must be ASCII-compatible so that lines
    can be split on ``\n`` bytes. Raises NotConfigured otherwise (UTF-16, unknown codecs)."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        raise NotConfigured(f"setting 'encoding': unknown encoding {name!r}") from None
    if canonical == "utf-8-sig":  # the BOM is handled while reading
        return "utf-8"
    probe = 'id,text\t"{}:[]\r\n'
    try:
        ascii_compatible = probe.encode(canonical) == probe.encode("ascii")
    except UnicodeError:
        ascii_compatible = False
    if not ascii_compatible:
        raise NotConfigured(f"setting 'encoding': {name!r} is not ASCII-compatible (UTF-16?)")
    return canonical
