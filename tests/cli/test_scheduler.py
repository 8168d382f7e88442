"""The scheduler's wiring: one job per enabled source, a processing job, quiet overlaps."""

from __future__ import annotations

import logging

import pytest

from monitor.bootstrap import initialise
from monitor.config import Settings
from monitor.runtime import Runtime
from monitor.scheduler import PROCESS_JOB_ID, build_scheduler
from monitor.store.db import Database


def test_a_skipped_overlapping_run_is_not_reported_as_a_fault(
    db: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    initialise(db, settings)
    runtime = Runtime(settings, db)
    try:
        scheduler = build_scheduler(runtime)
        assert scheduler.get_job(PROCESS_JOB_ID) is not None
        apscheduler_log = logging.getLogger("apscheduler.scheduler")
        with caplog.at_level(logging.WARNING, logger="apscheduler.scheduler"):
            apscheduler_log.warning(
                'Execution of job "%s" skipped: maximum number of running instances reached (%d)',
                "_safe_process",
                1,
            )
            apscheduler_log.warning("Run time of job %s was missed by %s", "x", "0:00:31")
        messages = [record.getMessage() for record in caplog.records]
        assert messages == ["Run time of job x was missed by 0:00:31"]
    finally:
        runtime.close()
