"""Fetch: claim a source, run its connector, ingest the posts and record its health.

A source is claimed with a lease (``lease_owner``/``lease_expires_at``) so that exactly one
process fetches it at a time; on PostgreSQL the claim uses ``SELECT … FOR UPDATE SKIP
LOCKED`` so competing workers never wait on each other. Posts and the new cursor are
committed in one transaction: a crash either keeps both or neither, and the next fetch
resumes from the last committed cursor (ingest is idempotent, so a repeat is harmless).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import ColumnElement, Select, or_, select, true, update
from sqlalchemy.orm import Session

from monitor.config import Settings
from monitor.pipeline.ingest import IngestStats, ingest
from monitor.pipeline.schedule import backoff_delay, next_regular_fetch
from monitor.sources import NotConfigured, SourceError, build_source
from monitor.store.base import utcnow
from monitor.store.db import Database
from monitor.store.sources import SourceRow

log = logging.getLogger(__name__)

#: Longest error text kept on a source row (the UI shows it).
_MAX_ERROR_CHARS = 2_000


@dataclass(slots=True)
class FetchOutcome:
    """What one fetch of one source did."""

    source_id: int
    source_name: str
    ok: bool
    stats: IngestStats = field(default_factory=lambda: IngestStats(0, 0, 0))
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    disabled: bool = False


def _lock(statement: Select[Any], session: Session) -> Select[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return statement.with_for_update(skip_locked=True)
    return statement


def _claimable(now: datetime) -> list[ColumnElement[bool]]:
    return [
        SourceRow.enabled.is_(True),
        or_(SourceRow.lease_expires_at.is_(None), SourceRow.lease_expires_at < now),
    ]


def _take_lease(session: Session, source: SourceRow, owner: str, now: datetime, lease: int) -> None:
    source.lease_owner = owner
    source.lease_expires_at = now + timedelta(seconds=lease)
    source.last_fetch_at = now


def claim_source(
    db: Database, source_id: int, owner: str, *, lease_seconds: int, when: str = "due"
) -> bool:
    """Lease one source for ``owner``. False when it is leased, disabled or not due.

    ``when`` says what "due" means: ``"due"`` honours the stored next fetch time (worker
    mode); ``"backoff"`` only honours a back-off after failures (the in-process scheduler,
    which keeps its own clock); ``"now"`` ignores both (an explicit ``run --once``).
    """
    now = utcnow()
    not_before = or_(SourceRow.next_fetch_at.is_(None), SourceRow.next_fetch_at <= now)
    due = {
        "due": not_before,
        "backoff": or_(SourceRow.consecutive_failures == 0, not_before),
        "now": true(),
    }[when]
    with db.transaction() as session:
        conditions = [SourceRow.id == source_id, *_claimable(now), due]
        source = session.scalar(_lock(select(SourceRow).where(*conditions), session))
        if source is None:
            return False
        _take_lease(session, source, owner, now, lease_seconds)
        return True


def claim_due_source(db: Database, owner: str, *, lease_seconds: int) -> int | None:
    """Lease the most overdue source for ``owner`` and return its id, or None if none is due."""
    now = utcnow()
    with db.transaction() as session:
        statement = (
            select(SourceRow)
            .where(
                *_claimable(now),
                or_(SourceRow.next_fetch_at.is_(None), SourceRow.next_fetch_at <= now),
            )
            .order_by(SourceRow.next_fetch_at.is_not(None), SourceRow.next_fetch_at, SourceRow.id)
            .limit(1)
        )
        source = session.scalar(_lock(statement, session))
        if source is None:
            return None
        _take_lease(session, source, owner, now, lease_seconds)
        return source.id


def _release_on_success(source: SourceRow, cursor: str | None, now: datetime) -> None:
    source.cursor = cursor
    source.last_success_at = now
    source.consecutive_failures = 0
    source.next_fetch_at = next_regular_fetch(source, now)
    source.lease_owner = None
    source.lease_expires_at = None


def _record_failure(
    db: Database, source_id: int, message: str, *, permanent: bool, settings: Settings
) -> bool:
    """Store the error, count it, back off; disable on a permanent error. Returns disabled."""
    now = utcnow()
    with db.transaction() as session:
        source = session.get(SourceRow, source_id)
        if source is None:
            return False
        source.last_error = message[:_MAX_ERROR_CHARS]
        source.last_error_at = now
        source.consecutive_failures += 1
        source.next_fetch_at = now + backoff_delay(
            source.consecutive_failures,
            base_seconds=settings.backoff_base_seconds,
            max_seconds=settings.backoff_max_seconds,
        )
        source.lease_owner = None
        source.lease_expires_at = None
        if permanent:
            source.enabled = False
        return permanent


def fetch_claimed_source(
    db: Database, source_id: int, owner: str, settings: Settings, http: httpx.Client
) -> FetchOutcome:
    """Fetch a source this process has leased, ingest its posts and release the lease.

    Never raises for a failing source: every error is recorded on the source row (message,
    time, consecutive failures, back-off) and returned in the outcome, so one broken source
    cannot stop the others.
    """
    with db.session() as session:
        source = session.get(SourceRow, source_id)
        if source is None or source.lease_owner != owner:
            return FetchOutcome(source_id, "?", ok=False, error="lease lost before fetch")
        name, kind, config, cursor = source.name, source.kind, dict(source.settings), source.cursor
    try:
        connector = build_source(kind, config, http=http)
        result = connector.fetch(cursor)
    except (SourceError, NotConfigured) as exc:
        permanent = isinstance(exc, NotConfigured) or getattr(exc, "permanent", False)
        message = f"{type(exc).__name__}: {exc}"
        log.warning("source %s failed%s: %s", name, " permanently" if permanent else "", message)
        disabled = _record_failure(db, source_id, message, permanent=permanent, settings=settings)
        return FetchOutcome(source_id, name, ok=False, error=message, disabled=disabled)
    except Exception as exc:  # a connector bug must not stop the scheduler
        message = f"unexpected {type(exc).__name__}: {exc}"
        log.exception("source %s crashed", name)
        _record_failure(db, source_id, message, permanent=False, settings=settings)
        return FetchOutcome(source_id, name, ok=False, error=message)

    for problem in result.problems:
        log.warning("source %s: %s", name, problem)
    now = utcnow()
    with db.transaction() as session:
        # Row lock on PostgreSQL: the lease check and the cursor write are one atomic step.
        source = session.get(SourceRow, source_id, with_for_update=True)
        if source is None:
            return FetchOutcome(source_id, name, ok=False, error="source deleted during fetch")
        if source.lease_owner != owner:
            # Our lease expired and another worker took over: drop this result; the other
            # worker fetches from the same committed cursor, so nothing is lost.
            log.warning("source %s: lease lost during fetch, result discarded", name)
            return FetchOutcome(source_id, name, ok=False, error="lease lost during fetch")
        stats = ingest(session, source_id, result.posts, max_chars=settings.max_post_chars)
        _release_on_success(source, result.cursor, now)
    return FetchOutcome(source_id, name, ok=True, stats=stats, problems=list(result.problems))


def release_lease(db: Database, source_id: int, owner: str) -> None:
    """Give up a lease without fetching (used on shutdown)."""
    with db.transaction() as session:
        session.execute(
            update(SourceRow)
            .where(SourceRow.id == source_id, SourceRow.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
        )
