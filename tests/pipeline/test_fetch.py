"""Fetch: leases, cursors, failures recorded, back-off, permanent errors disable."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any, ClassVar, Self

import httpx
import pytest
from sqlalchemy import func, select

from monitor.config import Settings
from monitor.pipeline.fetch import claim_due_source, claim_source, fetch_claimed_source
from monitor.pipeline.schedule import backoff_delay
from monitor.sources import register_source
from monitor.sources.base import FetchResult
from monitor.store.base import utcnow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.sources import SourceRow
from tests.factories import add_source


@register_source
class ExplodingSource:
    """A connector with a bug: raises something that is not a SourceError."""

    kind: ClassVar[str] = "test-exploding"

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, http: httpx.Client | None = None
    ) -> Self:
        return cls()

    def fetch(self, cursor: str | None) -> FetchResult:
        raise ZeroDivisionError("connector bug")


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(503)
        self.end_headers()
        self.wfile.write(b"maintenance")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def failing_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()
    server.server_close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5) as client:
        yield client


def _jsonl(path: Path, count: int, start: int = 0) -> None:
    with path.open("a", encoding="utf-8") as handle:
        for i in range(start, start + count):
            handle.write(json.dumps({"id": f"p{i}", "text": f"kabar nomor {i}"}) + "\n")


def _source(db: Database, source_id: int) -> SourceRow:
    with db.session() as session:
        row = session.get(SourceRow, source_id)
        assert row is not None
        return row


def _fetch(db: Database, source_id: int, settings: Settings, http: httpx.Client) -> Any:
    assert claim_source(db, source_id, "me", lease_seconds=60, when="now")
    return fetch_claimed_source(db, source_id, "me", settings, http)


def test_it_resumes_from_the_committed_cursor(
    db: Database, settings: Settings, http: httpx.Client, tmp_path: Path
) -> None:
    feed = tmp_path / "stream.jsonl"
    _jsonl(feed, 5)
    source_id = add_source(db, settings={"path": str(feed), "batch_size": 3})
    first = _fetch(db, source_id, settings, http)
    second = _fetch(db, source_id, settings, http)
    _jsonl(feed, 2, start=5)
    third = _fetch(db, source_id, settings, http)
    assert [o.stats.new for o in (first, second, third)] == [3, 2, 2]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(PostRow)) == 7
    assert _source(db, source_id).last_success_at is not None


def test_a_leased_source_cannot_be_claimed_twice(db: Database) -> None:
    source_id = add_source(db)
    assert claim_source(db, source_id, "worker-a", lease_seconds=60, when="now")
    assert not claim_source(db, source_id, "worker-b", lease_seconds=60, when="now")
    assert claim_due_source(db, "worker-b", lease_seconds=60) is None


def test_an_expired_lease_is_taken_over(db: Database) -> None:
    source_id = add_source(db)
    assert claim_source(db, source_id, "dead-worker", lease_seconds=60, when="now")
    with db.transaction() as session:
        row = session.get(SourceRow, source_id)
        assert row is not None
        row.lease_expires_at = utcnow() - timedelta(seconds=1)
    assert claim_due_source(db, "worker-b", lease_seconds=60) == source_id


def test_a_transient_failure_is_recorded_and_backs_off(
    db: Database, settings: Settings, http: httpx.Client, failing_server: str
) -> None:
    source_id = add_source(db, kind="rss", settings={"url": failing_server})
    outcome = _fetch(db, source_id, settings, http)
    row = _source(db, source_id)
    assert not outcome.ok
    assert row.consecutive_failures == 1
    assert row.enabled
    assert row.last_error and "503" in row.last_error
    assert row.next_fetch_at is not None and row.next_fetch_at > utcnow() + timedelta(seconds=30)
    # Backing off: neither the worker loop nor the scheduler takes it before its time.
    assert claim_due_source(db, "w", lease_seconds=60) is None
    assert not claim_source(db, source_id, "w", lease_seconds=60, when="backoff")
    _fetch(db, source_id, settings, http)
    assert _source(db, source_id).consecutive_failures == 2


def test_a_permanent_failure_disables_the_source(
    db: Database, settings: Settings, http: httpx.Client, tmp_path: Path
) -> None:
    source_id = add_source(db, settings={"path": str(tmp_path / "missing.jsonl")})
    outcome = _fetch(db, source_id, settings, http)
    row = _source(db, source_id)
    assert outcome.disabled
    assert not row.enabled
    assert row.last_error and "missing.jsonl" in row.last_error


def test_a_connector_bug_is_recorded_not_raised(
    db: Database, settings: Settings, http: httpx.Client
) -> None:
    source_id = add_source(db, kind="test-exploding")
    outcome = _fetch(db, source_id, settings, http)
    assert not outcome.ok
    assert "ZeroDivisionError" in (_source(db, source_id).last_error or "")


def test_backoff_doubles_and_is_capped() -> None:
    delays = [backoff_delay(n, base_seconds=60, max_seconds=600) for n in range(1, 7)]
    assert [d.total_seconds() for d in delays] == [60, 120, 240, 480, 600, 600]
    assert backoff_delay(10_000, base_seconds=60, max_seconds=600).total_seconds() == 600
