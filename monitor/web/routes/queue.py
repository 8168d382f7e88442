"""The review queue page and its bulk actions."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from starlette.datastructures import QueryParams

from monitor.review.bulk import BULK_ACTIONS, MAX_BULK, bulk_apply
from monitor.review.deadlines import BANDS
from monitor.review.permissions import ASSIGNABLE_ROLES, is_regional
from monitor.review.queue import (
    ALL_STATUSES,
    SORTS,
    STATUS_GROUPS,
    QueueFilters,
    facet_values,
    query_queue,
)
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow
from monitor.web.deps import CurrentUser, DbSession
from monitor.web.i18n import Translator
from monitor.web.routes.auth import safe_next
from monitor.web.templating import Formatters, flash, render
from monitor.web.views import queue_rows

router = APIRouter(include_in_schema=False)

_MAX_ID = 2**63 - 1
#: The queue page counts matching cases up to this many ("1.000+" beyond).
COUNT_LIMIT = 1000


def _int(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    number = int(value.strip())
    return number if 0 < number <= _MAX_ID else None


def _float(value: str | None) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0.0 <= number <= 1.0 else None


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _text(value: str | None, limit: int = 200) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def parse_filters(params: QueryParams) -> QueueFilters:
    """Queue filters from a query string; values that make no sense are ignored."""
    status = params.get("status") or "open"
    if status not in STATUS_GROUPS and status not in ALL_STATUSES:
        status = "open"
    band = params.get("band")
    assignee = params.get("assignee")
    if assignee not in ("me", "none") and _int(assignee) is None:
        assignee = None
    return QueueFilters(
        status=status,
        band=band if band in BANDS else None,
        topic=_text(params.get("topic")),
        watchlist_id=_int(params.get("watchlist_id")),
        region=_text(params.get("region")),
        source_id=_int(params.get("source_id")),
        date_from=_date(params.get("date_from")),
        date_to=_date(params.get("date_to")),
        score_min=_float(params.get("score_min")),
        score_max=_float(params.get("score_max")),
        assignee=assignee,
        overdue=params.get("overdue") in ("1", "on", "true"),
        escalated=params.get("escalated") in ("1", "on", "true"),
        q=_text(params.get("q")),
    )


@router.get("/")
def home(user: CurrentUser) -> Response:
    """The queue is home."""
    return RedirectResponse("/queue", status_code=303)


@router.get("/queue")
def queue_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    """Cases the user may see, filtered, sorted and paged."""
    params = request.query_params
    filters = parse_filters(params)
    sort = params.get("sort") or "priority"
    page = _int(params.get("page")) or 1
    result = query_queue(
        session, user, filters, request.app.state.web, sort=sort, page=page, count_limit=COUNT_LIMIT
    )
    facets = facet_values(session, user)
    watchlists = session.execute(
        select(WatchlistRow.id, WatchlistRow.name).order_by(WatchlistRow.name)
    ).all()
    sources = session.execute(select(SourceRow.id, SourceRow.name).order_by(SourceRow.name)).all()
    people = list(
        session.scalars(
            select(UserRow)
            .where(UserRow.active.is_(True), UserRow.role.in_(ASSIGNABLE_ROLES))
            .order_by(UserRow.name)
        )
    )
    if is_regional(user):
        people = [p for p in people if p.role == "regional_officer" and p.region == user.region]
    query = filters.as_params() | ({"sort": sort} if sort != "priority" else {})
    lang = request.state.lang
    rows = queue_rows(result.items, Translator(lang), Formatters(request.app.state.web, lang))
    return render(
        request,
        "queue.html",
        {
            "result": result,
            "rows": rows,
            "filters": filters,
            "sort": sort,
            "sorts": list(SORTS),
            "statuses": [*STATUS_GROUPS, *ALL_STATUSES],
            "bands": BANDS,
            "facets": facets,
            "watchlists": watchlists,
            "sources": sources,
            "people": people,
            "query": query,
            "back": "/queue" + ("?" + urlencode(query | {"page": str(result.page)})),
            "bulk_actions": BULK_ACTIONS,
        },
    )


@router.post("/queue/bulk")
def queue_bulk(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    action: Annotated[str, Form(max_length=20)],
    case_id: Annotated[list[int], Form(max_length=MAX_BULK)] = [],  # noqa: B006  # FastAPI copies it
    assignee: Annotated[str, Form(max_length=30)] = "me",
    note: Annotated[str, Form(max_length=5000)] = "",
    back: Annotated[str, Form(max_length=4000)] = "/queue",
) -> Response:
    """Apply one action to the selected cases; report how many changed."""
    target = safe_next(back, "/queue")
    if action not in BULK_ACTIONS or not case_id:
        flash(request, "bulk.nothing", "error")
        return RedirectResponse(target, status_code=303)
    assignee_id = user.id if assignee == "me" else _int(assignee)
    ids = [i for i in case_id if 0 < i <= _MAX_ID]
    result = bulk_apply(session, user, ids, action, assignee_id=assignee_id, note=note)
    flash(
        request,
        "bulk.done",
        "info" if not result.refused else "error",
        done=len(result.done),
        refused=len(result.refused),
    )
    return RedirectResponse(target, status_code=303)
