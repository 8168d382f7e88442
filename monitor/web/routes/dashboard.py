"""The dashboard (server-rendered SVG charts) and the CSV exports of cases and labels."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse

from monitor.review import exports, stats
from monitor.review.permissions import DASHBOARD, EXPORT
from monitor.review.queue import filter_clauses
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


@router.get("/dashboard")
def dashboard(request: Request, session: DbSession, user: Viewer, days: Days = 14) -> Response:
    """Figures and charts over the cases (and posts) the user may see."""
    zone = request.app.state.web.zone
    everything = Translator(request.state.lang)("dashboard.all_posts")
    median, published = stats.median_hours_to_publication(session, user)
    return render(
        request,
        "dashboard.html",
        {
            "days": days,
            "charts": CHARTS,
            "by_status": stats.cases_by_status(session, user),
            "median_hours": median,
            "published_count": published,
            "sources": stats.top_sources(session, user),
            "regions": stats.cases_per_region(session, user),
            "posts": stats.posts_per_day(session, user, zone, days=days, all_label=everything),
            "flagged": stats.posts_per_day(
                session, user, zone, days=days, flagged=True, all_label=everything
            ),
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
    zone = request.app.state.web.zone
    empty = t("dashboard.no_data")
    if name in ("posts", "flagged"):
        daily = stats.posts_per_day(
            session,
            user,
            zone,
            days=days,
            flagged=name == "flagged",
            all_label=t("dashboard.all_posts"),
        )
        svg = line_chart(daily.days, daily.series, t(f"dashboard.chart.{name}"), empty)
    elif name == "status":
        items = [
            (t.maybe("status", s), float(n))
            for s, n in stats.cases_by_status(session, user).items()
        ]
        svg = bar_chart(items, t("dashboard.chart.status"), empty)
    elif name == "sources":
        items = [(s, float(n)) for s, n in stats.top_sources(session, user)]
        svg = bar_chart(items, t("dashboard.chart.sources"), empty)
    else:
        items = [
            (region or t("region.central"), float(n))
            for region, n, _ in stats.cases_per_region(session, user)
        ]
        svg = bar_chart(items, t("dashboard.chart.regions"), empty)
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
