"""`pantau worker`: claim and run work from the shared store until told to stop.

Any number of workers on any number of hosts can share one PostgreSQL database: sources
are leased one at a time and processing batches are claimed with SKIP LOCKED, so each
piece of work is done once.
"""

from __future__ import annotations

import logging
import threading

from monitor.runtime import Runtime

log = logging.getLogger(__name__)


def work(runtime: Runtime, stop: threading.Event, *, exit_when_idle: bool = False) -> None:
    """Fetch due sources and process pending posts until ``stop`` is set.

    With ``exit_when_idle`` the loop returns as soon as a round finds nothing to do.
    """
    while not stop.is_set():
        fetched = runtime.fetch_next_due()
        processed = runtime.process(max_batches=1)
        if fetched is None and processed.processed == 0:
            if exit_when_idle:
                return
            stop.wait(runtime.settings.worker_idle_seconds)
