"""The review queue: filters, sorting, paging and text search over the cases a user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true
from sqlalchemy.orm import Session

from monitor.review.cache import cached
from monitor.review.deadlines import (
    BANDS,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    band_clause,
    band_of,
    due_at,
    is_overdue,
    overdue_clause,
)
from monitor.review.permissions import is_regional, visible_cases
from monitor.store.base import utcnow
from monitor.store.cases import CASE_STATUSES, CasePostRow, CaseRow
from monitor.store.posts import PostRow, WatchlistMatchRow
from monitor.store.users import UserRow
from monitor.web.settings import WebSettings

SORTS: dict[str, tuple[Any, ...]] = {
    "priority": (CaseRow.priority.desc(), CaseRow.id.desc()),
    "newest": (CaseRow.opened_at.desc(), CaseRow.id.desc()),
    "oldest": (CaseRow.opened_at.asc(), CaseRow.id.asc()),
    "last_seen": (CaseRow.last_seen_at.desc(), CaseRow.id.desc()),
    "posts": (CaseRow.post_count.desc(), CaseRow.id.desc()),
    "engagement": (CaseRow.engagement.desc(), CaseRow.id.desc()),
    "score": (CaseRow.max_probability.desc(), CaseRow.id.desc()),
}
#: Status the claims package gives a case merged into another one.
MERGED = "merged"
#: Every status a queue filter can name.
ALL_STATUSES = (*CASE_STATUSES, MERGED)
#: ``status`` filter values besides the statuses themselves.
STATUS_GROUPS = {"open": OPEN_STATUSES, "closed": (*CLOSED_STATUSES, MERGED), "all": ALL_STATUSES}
MAX_PER_PAGE = 500


@dataclass(slots=True)
class QueueFilters:
    """What the queue shows. Empty fields do not filter.

    ``status`` is a status or a group (open, closed, all); ``assignee`` is ``me``, ``none``
    or a user id; dates bound the case's first post (inclusive, UTC days); ``q`` searches
    the claim text case-insensitively.
    """

    status: str = "open"
    band: str | None = None
    topic: str | None = None
    watchlist_id: int | None = None
    region: str | None = None
    source_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    score_min: float | None = None
    score_max: float | None = None
    assignee: str | None = None
    overdue: bool = False
    escalated: bool = False
    q: str | None = None

    def as_params(self) -> dict[str, str]:
        """The filters as query-string parameters (only the ones that filter)."""
        params: dict[str, str] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if value is None or value is False or value == "":
                continue
            params[name] = "1" if value is True else str(value)
        return params


@dataclass(slots=True)
class QueueItem:
    """One row of the queue."""

    case: CaseRow
    assignee_name: str | None
    band: str
    due_at: datetime
    overdue: bool


@dataclass(slots=True)
class QueuePage:
    """One page of the queue.

    ``total`` is exact unless ``total_capped``: then at least that many cases match, and
    ``has_next`` still tells whether another page follows.
    """

    items: list[QueueItem]
    total: int
    page: int
    per_page: int
    sort: str
    filters: QueueFilters = field(default_factory=QueueFilters)
    total_capped: bool = False
    has_next: bool = False

    @property
    def pages(self) -> int:
        """How many pages the counted cases fill (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=utcnow().tzinfo)


def filter_clauses(
    session: Session,
    user: UserRow,
    filters: QueueFilters,
    settings: WebSettings,
    now: datetime,
) -> list[ColumnElement[bool]]:
    """The WHERE clauses for ``filters``, always including the user's visibility rule."""
    clauses: list[ColumnElement[bool]] = [visible_cases(session, user)]
    statuses = STATUS_GROUPS.get(filters.status)
    if statuses is not None:
        if statuses != ALL_STATUSES:
            clauses.append(CaseRow.status.in_(statuses))
    elif filters.status in ALL_STATUSES:
        clauses.append(CaseRow.status == filters.status)
    if filters.band in BANDS:
        clauses.append(band_clause(filters.band, settings))
    if filters.topic:
        clauses.append(CaseRow.topic == filters.topic)
    if filters.region:
        clauses.append(
            CaseRow.region.is_(None) if filters.region == "-" else CaseRow.region == filters.region
        )
    if filters.watchlist_id is not None:
        clauses.append(
            exists()
            .where(CasePostRow.case_id == CaseRow.id)
            .where(WatchlistMatchRow.post_id == CasePostRow.post_id)
            .where(WatchlistMatchRow.watchlist_id == filters.watchlist_id)
        )
    if filters.source_id is not None:
        clauses.append(
            exists()
            .where(CasePostRow.case_id == CaseRow.id)
            .where(PostRow.id == CasePostRow.post_id)
            .where(PostRow.source_id == filters.source_id)
        )
    if filters.date_from is not None:
        clauses.append(CaseRow.first_seen_at >= _day_start(filters.date_from))
    if filters.date_to is not None:
        clauses.append(CaseRow.first_seen_at < _day_start(filters.date_to) + timedelta(days=1))
    if filters.score_min is not None:
        clauses.append(CaseRow.max_probability >= filters.score_min)
    if filters.score_max is not None:
        clauses.append(CaseRow.max_probability <= filters.score_max)
    if filters.assignee == "me":
        clauses.append(CaseRow.assignee_id == user.id)
    elif filters.assignee == "none":
        clauses.append(CaseRow.assignee_id.is_(None))
    elif filters.assignee and filters.assignee.isdigit():
        clauses.append(CaseRow.assignee_id == int(filters.assignee))
    if filters.overdue:
        clauses.append(overdue_clause(settings, now))
    if filters.escalated:
        clauses.append(CaseRow.escalated_at.is_not(None))
    if filters.q and filters.q.strip():
        clauses.append(search_clause(filters.q))
    return clauses


_WORD = re.compile(r"\w+")


def search_clause(q: str) -> ColumnElement[bool]:
    """Cases whose claim contains every word of ``q`` (case-insensitive substrings).

    Punctuation is ignored; at most eight words count.
    """
    words = [w.lower() for w in _WORD.findall(q)][:8]
    if not words:
        return true()
    return and_(*(func.lower(CaseRow.title).contains(w, autoescape=True) for w in words))


def queue_statement(clauses: list[ColumnElement[bool]], sort: str) -> Select[CaseRow]:
    """The SELECT of the queue's cases for ``clauses`` in ``sort`` order."""
    return select(CaseRow).where(*clauses).order_by(*SORTS.get(sort, SORTS["priority"]))


def query_queue(
    session: Session,
    user: UserRow,
    filters: QueueFilters,
    settings: WebSettings,
    *,
    sort: str = "priority",
    page: int = 1,
    per_page: int | None = None,
    now: datetime | None = None,
    count_limit: int | None = None,
) -> QueuePage:
    """One page of the queue for ``user``: only cases they may see, filtered and sorted.

    With ``count_limit`` the cases are counted only up to that many (``total_capped`` says
    when there are more): counting a whole large queue costs more than showing a page. A
    text search (``filters.q``) is always counted exactly.
    """
    now = now or utcnow()
    sort = sort if sort in SORTS else "priority"
    per_page = max(1, min(per_page or settings.page_size, MAX_PER_PAGE))
    page = max(1, page)
    clauses = filter_clauses(session, user, filters, settings, now)
    window = queue_statement(clauses, sort).offset((page - 1) * per_page).limit(per_page + 1)
    rows = list(session.scalars(window))
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    if filters.q and filters.q.strip():
        # Searches are counted exactly: how many claims mention the words is the answer.
        # Counted apart from the page (not with count(*) OVER () in the page's query):
        # that window function made PostgreSQL walk the priority index over every case
        # instead of asking the title trigram index for the few matches.
        count_limit = None
    # When the whole result is on the first page there is nothing left to count.
    whole = page == 1 and not has_next
    total = len(rows) if whole else _count(session, clauses, count_limit)
    capped = count_limit is not None and total > count_limit
    if capped:
        total = max(count_limit or 0, (page - 1) * per_page + len(rows) + int(has_next))
    names = _names(session, {row.assignee_id for row in rows if row.assignee_id})
    items = [
        QueueItem(
            case=row,
            assignee_name=names.get(row.assignee_id) if row.assignee_id else None,
            band=band_of(row.priority, settings),
            due_at=due_at(row, settings),
            overdue=is_overdue(row, settings, now),
        )
        for row in rows
    ]
    return QueuePage(
        items=items,
        total=total,
        page=page,
        per_page=per_page,
        sort=sort,
        filters=filters,
        total_capped=capped,
        has_next=has_next,
    )


def _count(session: Session, clauses: list[ColumnElement[bool]], limit: int | None) -> int:
    """How many cases match, counting at most ``limit`` + 1 when a limit is given."""
    if limit is None:
        return int(session.scalar(select(func.count()).select_from(CaseRow).where(*clauses)) or 0)
    limited = select(CaseRow.id).where(*clauses).limit(limit + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(limited)) or 0)


def _names(session: Session, user_ids: set[int | None]) -> dict[int | None, str]:
    ids = [i for i in user_ids if i is not None]
    if not ids:
        return {}
    return dict(session.execute(select(UserRow.id, UserRow.name).where(UserRow.id.in_(ids))).all())


#: Seconds the filter drop-downs' values are reused.
FACETS_SECONDS = 60.0


def facet_values(session: Session, user: UserRow) -> dict[str, list[Any]]:
    """Values the filter drop-downs offer: topics and regions in use among visible cases.

    Cached for FACETS_SECONDS per store and visibility scope.
    """
    scope = f"region:{user.region}" if is_regional(user) else "central"

    def compute() -> dict[str, list[Any]]:
        visible = visible_cases(session, user)
        topics = session.scalars(
            select(CaseRow.topic).where(visible, CaseRow.topic.is_not(None)).distinct()
        )
        regions = session.scalars(
            select(CaseRow.region).where(visible, CaseRow.region.is_not(None)).distinct()
        )
        return {
            "topics": sorted(t for t in topics if t),
            "regions": sorted(r for r in regions if r),
        }

    return cached(session, ("facets", scope), FACETS_SECONDS, compute)
