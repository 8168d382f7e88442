"""APScheduler wiring: one job per enabled source plus a processing job. No pipeline logic."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from monitor.pipeline.schedule import DEFAULT_INTERVAL_SECONDS
from monitor.runtime import Runtime
from monitor.store.sources import SourceRow

log = logging.getLogger(__name__)

PROCESS_JOB_ID = "process"
#: How often the scheduler looks for sources added or changed while it runs.
RESYNC_SECONDS = 30


class _OverlapNoticeFilter(logging.Filter):
    """Drops APScheduler's warning that a run was skipped because the previous one of the
    same job is still going.

    Every job here has ``max_instances=1`` on purpose: a processing run that outlasts its
    interval (the first one loads the model) must not start a second one. The warning
    would report that design as a fault, every two seconds, in the operator's terminal.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


_OVERLAP_FILTER = _OverlapNoticeFilter()


def source_trigger(source: SourceRow) -> BaseTrigger:
    """The source's cron expression if it has one, else its interval."""
    if source.cron:
        return CronTrigger.from_crontab(source.cron, timezone=UTC)
    return IntervalTrigger(seconds=source.interval_seconds or DEFAULT_INTERVAL_SECONDS)


def _job_id(source_id: int) -> str:
    return f"source:{source_id}"


def _safe_fetch(runtime: Runtime, source_id: int) -> None:
    try:
        runtime.fetch(source_id)
    except Exception:  # the job must survive a database hiccup; the next run retries
        log.exception("fetch job for source %s failed", source_id)


def _safe_process(runtime: Runtime) -> None:
    try:
        runtime.process()
    except Exception:
        log.exception("processing job failed")


def sync_jobs(scheduler: BackgroundScheduler, runtime: Runtime) -> None:
    """Add jobs for new sources, drop jobs of disabled ones, update changed schedules."""
    wanted = {_job_id(source.id): source for source in runtime.enabled_sources()}
    for job in scheduler.get_jobs():
        if job.id.startswith("source:") and job.id not in wanted:
            job.remove()
    for job_id, source in wanted.items():
        trigger = source_trigger(source)
        job = scheduler.get_job(job_id)
        if job is None:
            scheduler.add_job(
                _safe_fetch,
                trigger,
                args=(runtime, source.id),
                id=job_id,
                name=source.name,
                max_instances=1,
                coalesce=True,
                next_run_time=datetime.now(UTC),
            )
        elif str(job.trigger) != str(trigger):
            job.reschedule(trigger)


def build_scheduler(runtime: Runtime) -> BackgroundScheduler:
    """A scheduler with a fetch job per enabled source and the processing job."""
    logging.getLogger("apscheduler.scheduler").addFilter(_OVERLAP_FILTER)  # idempotent
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"misfire_grace_time": 30},
        timezone=UTC,
    )
    sync_jobs(scheduler, runtime)
    scheduler.add_job(
        _safe_process,
        IntervalTrigger(seconds=runtime.settings.process_interval_seconds),
        args=(runtime,),
        id=PROCESS_JOB_ID,
        max_instances=1,
        coalesce=True,
    )
    scheduler.add_job(
        sync_jobs,
        IntervalTrigger(seconds=RESYNC_SECONDS),
        args=(scheduler, runtime),
        id="resync",
        max_instances=1,
        coalesce=True,
    )
    return scheduler
