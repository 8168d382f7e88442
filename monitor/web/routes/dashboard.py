"""The dashboard (server-rendered SVG charts) and the CSV exports of cases and labels.

Dashboard figures are computed once per user scope (central, or one region) and period and
kept for FIGURES_SECONDS; the page and its chart images share them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from sqlalchemy.orm import Session

from monitor.review import exports, stats
from monitor.review.permissions import DASHBOARD, EXPORT
from monitor.review.queue import filter_clauses
from monitor.review.stats import ALL_POSTS, DailySeries, Figures
from monitor.store.base import utcnow
from monitor.store.users import UserRow
from monitor.web.charts import bar_chart, line_chart
from monitor.web.deps import DbSession, database, require
from monitor.web.i18n import Translator
from monitor.web.routes.queue import parse_filters
from monitor.web.templating import render

router = APIRouter(include_in_schema=False)

Viewer = Annotated[UserRow, Depends(require(DASHBOARD))]
Exporter = Annotated[UserRow, Depends(require(EXPORT))]
Days = Annotated[int, Query(ge=1, le=90)]
CHARTS = ("posts", "flagged", "status", "sources", "regions")
_LOCK = threading.Lock()
#: How long computed figures are reused: over a million posts they take seconds to count.
FIGURES_SECONDS = 300.0


def cached_figures(request: Request, session: Session, user: UserRow, days: int) -> Figures:
    """The dashboard figures of the user's scope, from the cache while they are fresh."""
    cache: dict[tuple[str, int], tuple[float, Figures]] = request.app.state.dashboard_cache
    key = (stats.scope_key(user), days)
    with _LOCK:
        hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < FIGURES_SECONDS:
        return hit[1]
    computed = stats.figures(session, user, request.app.state.web.zone, days)
    with _LOCK:
        cache[key] = (time.monotonic(), computed)
    return computed


def _named(series: DailySeries, t: Translator) -> DailySeries:
    """The series with the all-posts series given its name in the user's language."""
    renamed = {
        t("dashboard.all_posts") if k == ALL_POSTS else k: v for k, v in series.series.items()
    }
    return DailySeries(days=series.days, series=renamed)


@router.get("/dashboard")
def dashboard(request: Request, session: DbSession, user: Viewer, days: Days = 14) -> Response:
    """Figures and charts over the cases (and posts) the user may see."""
    t = Translator(request.state.lang)
    figures = cached_figures(request, session, user, days)
    return render(
        request,
        "dashboard.html",
        {
            "days": days,
            "charts": CHARTS,
            "by_status": figures.by_status,
            "median_hours": figures.median_hours,
            "published_count": figures.published,
            "sources": figures.sources,
            "regions": figures.regions,
            "posts": _named(figures.posts, t),
            "flagged": _named(figures.flagged, t),
            "computed_at": figures.computed_at,
        },
    )


@router.get("/dashboard/charts/{name}.svg")
def chart(
    request: Request,
    session: DbSession,
    user: Viewer,
    name: Annotated[str, Path(pattern="^(posts|flagged|status|sources|regions)$")],
    days: Days = 14,
) -> Response:
    """One chart as an SVG image."""
    t = Translator(request.state.lang)
    figures = cached_figures(request, session, user, days)
    empty = t("dashboard.no_data")
    title = t(f"dashboard.chart.{name}")
    if name in ("posts", "flagged"):
        daily = _named(figures.posts if name == "posts" else figures.flagged, t)
        svg = line_chart(daily.days, daily.series, title, empty)
    elif name == "status":
        items = [(t.maybe("status", s), float(n)) for s, n in figures.by_status.items()]
        svg = bar_chart(items, title, empty)
    elif name == "sources":
        svg = bar_chart([(s, float(n)) for s, n in figures.sources], title, empty)
    else:
        items = [(region or t("region.central"), float(n)) for region, n, _ in figures.regions]
        svg = bar_chart(items, title, empty)
    return Response(svg, media_type="image/svg+xml")


def _stream(request: Request, user_id: int, kind: str) -> Iterator[str]:
    """CSV chunks from a session of its own (the request's session is closed by then)."""
    db = database(request)
    with db.session() as session:
        user = session.get(UserRow, user_id)
        if user is None:
            return
        if kind == "labels":
            yield from exports.labels_csv(session, user)
            return
        filters = parse_filters(request.query_params)
        clauses = filter_clauses(session, user, filters, request.app.state.web, utcnow())
        yield from exports.cases_csv(session, user, clauses)


def _csv(request: Request, user: UserRow, kind: str) -> Response:
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        _stream(request, user.id, kind),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="pantau-{kind}-{stamp}.csv"'},
    )


@router.get("/export/cases.csv")
def export_cases(request: Request, user: Exporter) -> Response:
    """The visible cases matching the queue filters in the query string, as CSV."""
    return _csv(request, user, "cases")


@router.get("/export/labels.csv")
def export_labels(request: Request, user: Exporter) -> Response:
    """Every label on a visible case, as CSV."""
    return _csv(request, user, "labels")
