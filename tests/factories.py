"""Small builders for realistic test data (rows go through the real store)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from monitor.sources.base import FetchedPost
from monitor.store.db import Database
from monitor.store.sources import SourceRow


def add_source(db: Database, name: str = "feed", kind: str = "file", **fields: Any) -> int:
    """Insert a source row and return its id."""
    with db.transaction() as session:
        row = SourceRow(
            name=name,
            kind=kind,
            settings=fields.pop("settings", {}),
            consecutive_failures=0,
            enabled=fields.pop("enabled", True),
            interval_seconds=fields.pop("interval_seconds", 60),
            **fields,
        )
        session.add(row)
        session.flush()
        return row.id


def post(external_id: str, text: str, **fields: Any) -> FetchedPost:
    """A fetched post with a fixed publication time unless given."""
    fields.setdefault("published_at", datetime(2026, 11, 20, 8, 0, tzinfo=UTC))
    return FetchedPost(external_id=external_id, text=text, **fields)
