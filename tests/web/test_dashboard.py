"""The dashboard's figures and charts, and the CSV exports, scoped by role."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

from sqlalchemy import update

from monitor.review import workflow
from monitor.store.base import utcnow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.users import UserRow
from monitor.web.charts import MAX_SERIES, line_chart
from tests.web.client import TestClient
from tests.web.world import World

Clients = Callable[[str], TestClient]


def _publish(db: Database, world: World, case: str) -> None:
    with db.transaction() as session:
        reviewer = session.get(UserRow, world.users["reviewer"])
        approver = session.get(UserRow, world.users["approver"])
        assert reviewer is not None and approver is not None
        case_id = world.cases[case]
        workflow.draft(session, reviewer, case_id, workflow.DraftInput(claim="k", facts="f"))
        workflow.approve(session, approver, case_id)
        workflow.publish(session, reviewer, case_id, channel="website", url="https://example.org/k")


def test_the_dashboard_shows_status_counts_and_the_median_time(
    client_for: Clients, world: World, db: Database
) -> None:
    _publish(db, world, "jabar")
    html = client_for("analyst").get("/dashboard").text
    assert "Median waktu" in html
    assert "jam" in html and "Dari 1 klarifikasi" in html
    assert "Terbit" in html


def test_posts_per_day_are_counted_per_watchlist_in_local_days(
    client_for: Clients, world: World, db: Database
) -> None:
    zone = ZoneInfo("Asia/Jakarta")
    when = utcnow().replace(hour=12, minute=0) - timedelta(days=1)
    with db.transaction() as session:
        session.execute(
            update(PostRow).where(PostRow.id.in_(world.posts["central"])).values(published_at=when)
        )
    html = client_for("reviewer").get("/dashboard?days=7").text
    rows = [chunk.split("</tr>", 1)[0] for chunk in html.split("<th>banjir</th>")[1:]]
    column = 6 - (utcnow().astimezone(zone).date() - when.astimezone(zone).date()).days
    expected = ["0"] * 7
    expected[column] = "3"
    assert len(rows) == 2  # posts, and flagged posts (all three are in a case)
    for row in rows:
        assert re.findall(r'<td class="num">(\d+)</td>', row) == expected
    totals = [chunk.split("</tr>", 1)[0] for chunk in html.split("<th>Semua unggahan</th>")[1:]]
    all_posts = sum(len(ids) for ids in world.posts.values())
    flagged = all_posts  # every world post is in a case
    assert [sum(map(int, re.findall(r">(\d+)</td>", row))) for row in totals] == [
        all_posts,
        flagged,
    ]


def test_charts_are_well_formed_svg_with_escaped_labels(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("reviewer")
    for name in ("posts", "flagged", "status", "sources", "regions"):
        response = client.get(f"/dashboard/charts/{name}.svg?days=14")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        root = ElementTree.fromstring(response.text)
        assert root.tag.endswith("svg")
        assert "<script" not in response.text
    assert client.get("/dashboard/charts/evil.svg").status_code == 422
    assert "Jawa Barat" in client.get("/dashboard/charts/regions.svg").text


def test_a_regional_officer_sees_only_their_figures(client_for: Clients, world: World) -> None:
    client = client_for("papua")
    regions = client.get("/dashboard/charts/regions.svg").text
    assert "Papua" in regions and "Jawa Barat" not in regions and "Pusat" not in regions
    exported = list(csv.DictReader(io.StringIO(client.get("/export/cases.csv?status=all").text)))
    assert [row["region"] for row in exported] == ["Papua"]


def test_the_case_export_follows_the_queue_filters(client_for: Clients, world: World) -> None:
    client = client_for("reviewer")
    response = client.get("/export/cases.csv?band=high")
    assert response.headers["content-disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {int(r["id"]) for r in rows} == {world.cases["jabar"], world.cases["papua"]}


def test_every_line_of_a_full_chart_has_its_own_look() -> None:
    days = [date(2026, 11, d) for d in range(1, 8)]
    series = {f"sumber {n}": [n, n + 1, 0, 2, 3, 1, n] for n in range(MAX_SERIES + 3)}
    svg = line_chart(days, series, "Posts per hari", "kosong")
    strokes = re.findall(r'<polyline [^>]*?(stroke="[^"]+"[^/]*)/>', svg)
    assert len(strokes) == MAX_SERIES  # the rest are left out of a full legend
    assert len(set(strokes)) == MAX_SERIES
