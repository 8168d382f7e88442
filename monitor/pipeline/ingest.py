"""Ingest: store fetched posts once, whatever how often they are fetched."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.sources.base import FetchedPost
from monitor.store.base import utcnow
from monitor.store.posts import STAGE_NEW, PostRow

log = logging.getLogger(__name__)

_WHITESPACE = re.compile(r"\s+")
# Keep individual string fields of the raw payload bounded too: a hostile source must not
# be able to fill the store through a field we never read.
_MAX_RAW_STRING = 20_000
_MAX_AUTHOR = 500
_MAX_EXTERNAL_ID = 500


@dataclass(frozen=True, slots=True)
class IngestStats:
    """What one ingest call did."""

    received: int
    new: int
    truncated: int

    @property
    def duplicates(self) -> int:
        """Posts already stored before this call."""
        return self.received - self.new


def content_hash(text: str) -> str:
    """sha256 of the lowercased, whitespace-folded text: equal for trivially equal posts."""
    folded = _WHITESPACE.sub(" ", text).strip().lower()
    return hashlib.sha256(folded.encode("utf-8", "replace")).hexdigest()


def _bounded(value: Any) -> Any:
    """A JSON-safe copy of ``value`` with long strings cut, for the raw payload column."""
    if isinstance(value, str):
        return value if len(value) <= _MAX_RAW_STRING else value[:_MAX_RAW_STRING]
    if isinstance(value, dict):
        return {str(k): _bounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def _clean_text(text: str) -> str:
    """Drop NUL characters, which PostgreSQL text columns refuse; keep everything else."""
    return text.replace("\x00", "")


def _row(source_id: int, post: FetchedPost, max_chars: int) -> dict[str, Any]:
    text = _clean_text(post.text)
    truncated = len(text) > max_chars
    raw = _bounded(dict(post.raw))
    if truncated:
        raw["_pantau"] = {"original_length": len(text)}
        text = text[:max_chars]
    return {
        "source_id": source_id,
        "external_id": post.external_id[:_MAX_EXTERNAL_ID],
        "url": post.url,
        "author": post.author[:_MAX_AUTHOR] if post.author else None,
        "text": text,
        "text_truncated": truncated,
        "published_at": post.published_at,
        "fetched_at": utcnow(),
        "likes": max(0, post.likes),
        "shares": max(0, post.shares),
        "comments": max(0, post.comments),
        "views": max(0, post.views),
        "raw": raw,
        "content_hash": content_hash(text),
        "stage": STAGE_NEW,
    }


def ingest(
    session: Session, source_id: int, posts: Sequence[FetchedPost], *, max_chars: int
) -> IngestStats:
    """Insert ``posts`` for ``source_id``, skipping any (source, external id) already stored.

    Idempotent: fetching the same post again, or re-running this call after a crash, never
    creates a second row. Posts longer than ``max_chars`` are truncated and flagged
    (``text_truncated``), never dropped. Runs in the caller's transaction.
    """
    if not posts:
        return IngestStats(received=0, new=0, truncated=0)
    # One batch may carry the same id twice (a feed repeating an entry): keep the first.
    unique: dict[str, dict[str, Any]] = {}
    for post in posts:
        row = _row(source_id, post, max_chars)
        unique.setdefault(row["external_id"], row)
    rows = list(unique.values())
    dialect = session.get_bind().dialect.name
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert_(PostRow)
        .on_conflict_do_nothing(index_elements=["source_id", "external_id"])
        .returning(PostRow.id)
    )
    new_ids = session.execute(statement, rows).scalars().all()
    truncated = sum(1 for row in rows if row["text_truncated"])
    if truncated:
        log.warning(
            "source %s: %d post(s) truncated at %d characters", source_id, truncated, max_chars
        )
    return IngestStats(received=len(posts), new=len(new_ids), truncated=truncated)
