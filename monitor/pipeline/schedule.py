"""When a source is due, and how long it waits after failing."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from monitor.store.sources import SourceRow

#: Interval used when a source has neither an interval nor a cron expression.
DEFAULT_INTERVAL_SECONDS = 300


def next_regular_fetch(source: SourceRow, now: datetime) -> datetime:
    """The next fetch time by the source's own schedule (cron wins over interval)."""
    if source.cron:
        trigger = CronTrigger.from_crontab(source.cron, timezone="UTC")
        fire = trigger.get_next_fire_time(None, now)
        if fire is not None:
            return fire
    return now + timedelta(seconds=source.interval_seconds or DEFAULT_INTERVAL_SECONDS)


def backoff_delay(consecutive_failures: int, *, base_seconds: int, max_seconds: int) -> timedelta:
    """Exponential back-off: base, 2×base, 4×base … capped at ``max_seconds``."""
    exponent = max(0, consecutive_failures - 1)
    # Cap the exponent first so a long outage cannot overflow the multiplication.
    seconds = min(max_seconds, base_seconds * (2 ** min(exponent, 30)))
    return timedelta(seconds=seconds)


def validate_cron(expression: str) -> None:
    """Raise ValueError with the parser's reason when ``expression`` is not a 5-field crontab."""
    CronTrigger.from_crontab(expression, timezone="UTC")
