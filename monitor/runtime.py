"""One process's view of the pipeline: the database, caches, an HTTP client and counters.

`pantau run` (scheduler), `pantau worker` (claim loop) and `pantau run --once` all drive
the same two calls, :meth:`Runtime.fetch` and :meth:`Runtime.process`.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from dataclasses import dataclass, replace

import httpx
from sqlalchemy import select

from monitor import __version__
from monitor.config import Settings
from monitor.pipeline.fetch import (
    FetchOutcome,
    claim_due_source,
    claim_source,
    fetch_claimed_source,
)
from monitor.pipeline.process import Processor, ProcessStats
from monitor.store.db import Database
from monitor.store.sources import SourceRow


@dataclass(slots=True)
class SourceSummary:
    """Running totals for one source, shown live by `pantau run`."""

    name: str
    fetches: int = 0
    fetched: int = 0
    new: int = 0
    flagged: int = 0
    errors: int = 0
    last_error: str | None = None


def worker_identity() -> str:
    """A lease owner name unique to this process: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Runtime:
    """Pipeline operations plus the counters that summaries print. Thread-safe."""

    def __init__(self, settings: Settings, db: Database | None = None) -> None:
        self.settings = settings
        self.db = db or Database(settings.database_url_plain)
        self.owner = worker_identity()
        self.http = httpx.Client(
            timeout=settings.fetch_timeout_seconds,
            follow_redirects=True,
            headers={"User-Agent": f"Pantau/{__version__} (public-information monitoring)"},
        )
        self.processor = Processor(
            self.db,
            models_dir=settings.models_dir,
            batch_size=settings.batch_size,
            flag_threshold=settings.flag_threshold,
            flag_requires_watchlist=settings.flag_requires_watchlist,
        )
        self.summaries: dict[int, SourceSummary] = {}
        self.totals = ProcessStats()
        self._lock = threading.Lock()
        # Processing is serialised within a process; across processes the store does it.
        self._process_lock = threading.Lock()
        self.refresh_sources()

    def refresh_sources(self) -> list[SourceRow]:
        """Reload the source list (new sources get a summary row)."""
        with self.db.session() as session:
            rows = list(session.scalars(select(SourceRow).order_by(SourceRow.id)))
        with self._lock:
            for row in rows:
                self.summaries.setdefault(row.id, SourceSummary(row.name))
        return rows

    def enabled_sources(self) -> list[SourceRow]:
        """The sources the scheduler should run."""
        return [row for row in self.refresh_sources() if row.enabled]

    def fetch(self, source_id: int, *, when: str = "backoff") -> FetchOutcome | None:
        """Fetch one source if this process can lease it; None when it is busy or not due.

        ``when`` is passed to :func:`claim_source` (``"due"``, ``"backoff"`` or ``"now"``).
        """
        claimed = claim_source(
            self.db, source_id, self.owner, lease_seconds=self.settings.lease_seconds, when=when
        )
        if not claimed:
            return None
        outcome = fetch_claimed_source(self.db, source_id, self.owner, self.settings, self.http)
        self._count_fetch(outcome)
        return outcome

    def fetch_next_due(self) -> FetchOutcome | None:
        """Lease and fetch whichever source is most overdue (worker mode)."""
        source_id = claim_due_source(self.db, self.owner, lease_seconds=self.settings.lease_seconds)
        if source_id is None:
            return None
        outcome = fetch_claimed_source(self.db, source_id, self.owner, self.settings, self.http)
        self._count_fetch(outcome)
        return outcome

    def process(self, max_batches: int | None = None) -> ProcessStats:
        """Process pending posts (all of them, or ``max_batches`` batches)."""
        with self._process_lock:
            stats = self.processor.process_all(max_batches=max_batches)
        with self._lock:
            self.totals.add(stats)
            for source_id, count in stats.flagged_by_source.items():
                self._summary(source_id).flagged += count
        return stats

    def _summary(self, source_id: int) -> SourceSummary:
        return self.summaries.setdefault(source_id, SourceSummary(f"source {source_id}"))

    def _count_fetch(self, outcome: FetchOutcome) -> None:
        with self._lock:
            summary = self._summary(outcome.source_id)
            summary.fetches += 1
            if outcome.ok:
                summary.fetched += outcome.stats.received
                summary.new += outcome.stats.new
            else:
                summary.errors += 1
                summary.last_error = outcome.error

    def snapshot(self) -> list[SourceSummary]:
        """A copy of the per-source counters, for display."""
        with self._lock:
            return [replace(summary) for summary in self.summaries.values()]

    def close(self) -> None:
        """Release the HTTP client and the database pool."""
        self.http.close()
        self.db.dispose()
