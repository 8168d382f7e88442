"""Dashboard figures, limited to what the user may see.

A regional officer's figures cover only their cases (and the posts in them); everyone
else sees the whole store. Days are counted in the display time zone.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.orm import Session

from monitor.review.deadlines import OPEN_STATUSES
from monitor.review.permissions import is_regional, visible_cases
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.posts import PostRow, WatchlistMatchRow
from monitor.store.review import ClarificationRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow

MEDIAN_WINDOW_DAYS = 90


@dataclass(slots=True)
class DailySeries:
    """Counts per day for several named series (missing days are zero)."""

    days: list[date]
    series: dict[str, list[int]]


def day_of(column: Any, dialect: str, zone: ZoneInfo) -> ColumnElement[Any]:
    """SQL for the calendar day of a UTC time column in ``zone``."""
    if dialect == "postgresql":
        return func.date(func.timezone(zone.key, column))
    offset = utcnow().astimezone(zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return func.date(column, f"{minutes:+d} minutes")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _posts_in_scope(session: Session, user: UserRow, statement: Select[Any]) -> Select[Any]:
    """Limit a posts query to posts in cases a regional officer may see."""
    if not is_regional(user):
        return statement
    return (
        statement.join(CasePostRow, CasePostRow.post_id == PostRow.id)
        .join(CaseRow, CaseRow.id == CasePostRow.case_id)
        .where(visible_cases(session, user))
    )


def posts_per_day(
    session: Session,
    user: UserRow,
    zone: ZoneInfo,
    *,
    days: int = 14,
    flagged: bool = False,
    all_label: str | None = None,
) -> DailySeries:
    """Posts (or flagged posts: those in a case) per day per watchlist, over ``days`` days.

    With ``all_label``, a first series of that name counts every post, watchlist or not.
    """
    dialect = session.get_bind().dialect.name
    today = utcnow().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    day = day_of(PostRow.published_at, dialect, zone).label("day")
    per_watchlist = (
        select(day, WatchlistRow.name, func.count(PostRow.id))
        .select_from(PostRow)
        .join(WatchlistMatchRow, WatchlistMatchRow.post_id == PostRow.id)
        .join(WatchlistRow, WatchlistRow.id == WatchlistMatchRow.watchlist_id)
        .where(PostRow.published_at >= since)
        .group_by(day, WatchlistRow.name)
    )
    statements = [per_watchlist]
    if all_label is not None:
        statements.insert(
            0,
            select(day, literal(all_label), func.count(PostRow.id))
            .select_from(PostRow)
            .where(PostRow.published_at >= since)
            .group_by(day),
        )
    axis = [first + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(axis)}
    series: dict[str, list[int]] = {}
    for statement in statements:
        if flagged and not is_regional(user):
            statement = statement.join(CasePostRow, CasePostRow.post_id == PostRow.id)
        statement = _posts_in_scope(session, user, statement)
        found: dict[str, list[int]] = defaultdict(lambda: [0] * days)
        for raw_day, name, count in session.execute(statement):
            position = index.get(_as_date(raw_day))
            if position is not None:
                found[name][position] = int(count)
        series.update(sorted(found.items()))
    if all_label is not None:
        series.setdefault(all_label, [0] * days)
    return DailySeries(days=axis, series=series)


def cases_by_status(session: Session, user: UserRow) -> dict[str, int]:
    """How many visible cases are in each status."""
    rows = session.execute(
        select(CaseRow.status, func.count())
        .where(visible_cases(session, user))
        .group_by(CaseRow.status)
    )
    return {status: int(count) for status, count in rows}


def median_hours_to_publication(session: Session, user: UserRow) -> tuple[float | None, int]:
    """Median hours from a case's first post to its published clarification, and how many.

    Over clarifications published in the last MEDIAN_WINDOW_DAYS days.
    """
    since = utcnow() - timedelta(days=MEDIAN_WINDOW_DAYS)
    rows = session.execute(
        select(CaseRow.first_seen_at, func.min(ClarificationRow.published_at))
        .join(ClarificationRow, ClarificationRow.case_id == CaseRow.id)
        .where(
            visible_cases(session, user),
            ClarificationRow.published_at.is_not(None),
            ClarificationRow.published_at >= since,
        )
        .group_by(CaseRow.id, CaseRow.first_seen_at)
    ).all()
    hours = [
        max(0.0, (_aware(published) - first).total_seconds() / 3600)
        for first, published in rows
        if published is not None
    ]
    return (statistics.median(hours) if hours else None), len(hours)


def _aware(value: datetime) -> datetime:
    """Aggregates skip the column type on SQLite and come back as naive UTC (or text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=utcnow().tzinfo)


def top_sources(
    session: Session, user: UserRow, zone: ZoneInfo, *, days: int = 14, limit: int = 10
) -> list[tuple[str, int]]:
    """Sources with the most posts in visible cases, among posts of the last ``days`` days."""
    since = datetime.combine(
        utcnow().astimezone(zone).date() - timedelta(days=days - 1), datetime.min.time(), zone
    )
    # From the period's posts (indexed by time) to their case membership, not the reverse.
    per_source = (
        select(PostRow.source_id, func.count(CasePostRow.post_id).label("n"))
        .select_from(PostRow)
        .join(CasePostRow, CasePostRow.post_id == PostRow.id)
        .where(PostRow.published_at >= since)
        .group_by(PostRow.source_id)
    )
    if is_regional(user):
        per_source = per_source.join(CaseRow, CaseRow.id == CasePostRow.case_id).where(
            visible_cases(session, user)
        )
    counts = per_source.subquery()
    statement = (
        select(SourceRow.name, counts.c.n)
        .join(counts, counts.c.source_id == SourceRow.id)
        .order_by(counts.c.n.desc(), SourceRow.name)
        .limit(limit)
    )
    return [(name, int(count)) for name, count in session.execute(statement)]


@dataclass(slots=True)
class Figures:
    """Everything the dashboard shows for one user scope and period."""

    days: int
    by_status: dict[str, int]
    median_hours: float | None
    published: int
    sources: list[tuple[str, int]]
    regions: list[tuple[str | None, int, int]]
    posts: DailySeries
    flagged: DailySeries
    computed_at: datetime


#: The name of the series that counts every post (watchlist or not).
ALL_POSTS = "*"


def figures(session: Session, user: UserRow, zone: ZoneInfo, days: int) -> Figures:
    """Compute every dashboard figure for ``user`` over the last ``days`` days."""
    median, published = median_hours_to_publication(session, user)
    return Figures(
        days=days,
        by_status=cases_by_status(session, user),
        median_hours=median,
        published=published,
        sources=top_sources(session, user, zone, days=days),
        regions=cases_per_region(session, user),
        posts=posts_per_day(session, user, zone, days=days, all_label=ALL_POSTS),
        flagged=posts_per_day(session, user, zone, days=days, flagged=True, all_label=ALL_POSTS),
        computed_at=utcnow(),
    )


def scope_key(user: UserRow) -> str:
    """Users with the same key see the same figures (everyone central, or one region)."""
    return f"region:{user.region}" if is_regional(user) else "central"


def cases_per_region(
    session: Session, user: UserRow, limit: int = 20
) -> list[tuple[str | None, int, int]]:
    """Visible cases per region: (region or None for central, all cases, open cases)."""
    totals = dict(
        session.execute(
            select(CaseRow.region, func.count())
            .where(visible_cases(session, user))
            .group_by(CaseRow.region)
        ).all()
    )
    opened = dict(
        session.execute(
            select(CaseRow.region, func.count())
            .where(visible_cases(session, user), CaseRow.status.in_(OPEN_STATUSES))
            .group_by(CaseRow.region)
        ).all()
    )
    ranked = sorted(totals.items(), key=lambda item: (-int(item[1]), item[0] or ""))[:limit]
    return [(region, int(count), int(opened.get(region, 0))) for region, count in ranked]
