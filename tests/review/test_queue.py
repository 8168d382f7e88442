"""The queue: filters, sorting, paging, search and deadlines, over visible cases only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from monitor.review import workflow
from monitor.review.queue import QueueFilters, query_queue
from monitor.store.base import utcnow
from monitor.store.cases import CaseRow
from monitor.store.db import Database
from monitor.store.users import UserRow
from monitor.web.settings import WebSettings
from tests.web.world import World

SETTINGS = WebSettings()


def _ids(
    db: Database, world: World, who: str, sort: str = "priority", **filters: object
) -> list[int]:
    with db.session() as session:
        user = session.get(UserRow, world.users[who])
        assert user is not None
        page = query_queue(session, user, QueueFilters(**filters), SETTINGS, sort=sort)  # type: ignore[arg-type]
        return [item.case.id for item in page.items]


def test_the_default_queue_is_open_cases_by_priority(db: Database, world: World) -> None:
    c = world.cases
    assert _ids(db, world, "reviewer") == [c["jabar"], c["papua"], c["xss"], c["central"], c["low"]]
    assert _ids(db, world, "jabar") == [c["jabar"], c["xss"]]


def test_filters_narrow_the_queue(db: Database, world: World) -> None:
    c = world.cases
    assert _ids(db, world, "reviewer", band="high") == [c["jabar"], c["papua"]]
    assert _ids(db, world, "reviewer", band="low") == [c["low"]]
    assert _ids(db, world, "reviewer", status="in_review") == [c["central"]]
    assert _ids(db, world, "reviewer", region="-") == [c["central"], c["low"]]
    assert _ids(db, world, "reviewer", topic="bansos") == [c["papua"]]
    assert _ids(db, world, "reviewer", watchlist_id=world.watchlists["banjir"]) == [c["central"]]
    assert _ids(db, world, "reviewer", source_id=world.sources["jabar-feed"]) == [
        c["jabar"],
        c["xss"],
    ]
    assert _ids(db, world, "reviewer", score_min=0.85) == [c["jabar"], c["papua"]]
    assert _ids(db, world, "reviewer", score_max=0.6) == [c["low"]]
    assert _ids(db, world, "reviewer", q="BANJIR jakarta") == [c["central"]]
    assert _ids(db, world, "reviewer", q="100%_") == []
    assert _ids(db, world, "jabar", region="Papua") == []


def test_assignee_and_escalation_filters(db: Database, world: World) -> None:
    c = world.cases
    with db.transaction() as session:
        officer = session.get(UserRow, world.users["jabar"])
        assert officer is not None
        workflow.assign(session, officer, c["xss"], officer.id)
        workflow.escalate(session, officer, c["jabar"])
    assert _ids(db, world, "jabar", assignee="me") == [c["xss"]]
    assert _ids(db, world, "reviewer", assignee=str(world.users["jabar"])) == [c["xss"]]
    assert c["xss"] not in _ids(db, world, "reviewer", assignee="none")
    assert _ids(db, world, "reviewer", escalated=True) == [c["jabar"]]


def test_overdue_cases_follow_their_band_deadline(db: Database, world: World) -> None:
    c = world.cases
    # World cases opened 2-6 hours ago; high-priority ones are due within 4 hours.
    assert _ids(db, world, "reviewer", overdue=True) == [c["papua"]]
    with db.transaction() as session:
        session.execute(
            update(CaseRow)
            .where(CaseRow.id == c["low"])
            .values(due_at=utcnow() - timedelta(minutes=1))
        )
    assert _ids(db, world, "reviewer", overdue=True) == [c["papua"], c["low"]]
    with db.session() as session:
        user = session.get(UserRow, world.users["reviewer"])
        assert user is not None
        page = query_queue(session, user, QueueFilters(), SETTINGS)
        overdue = {item.case.id for item in page.items if item.overdue}
    assert overdue == {c["papua"], c["low"]}


def test_sorting_and_paging(db: Database, world: World) -> None:
    c = world.cases
    assert _ids(db, world, "reviewer", sort="newest") == [
        c["jabar"],
        c["xss"],
        c["papua"],
        c["central"],
        c["low"],
    ]
    assert _ids(db, world, "reviewer", sort="engagement")[0] == c["low"]
    with db.session() as session:
        user = session.get(UserRow, world.users["reviewer"])
        assert user is not None
        second = query_queue(
            session, user, QueueFilters(status="all"), SETTINGS, page=2, per_page=2
        )
    assert second.total == 5 and second.pages == 3
    assert [item.case.id for item in second.items] == [c["xss"], c["central"]]


def test_a_capped_count_still_pages_to_the_end(db: Database, world: World) -> None:
    with db.session() as session:
        user = session.get(UserRow, world.users["reviewer"])
        assert user is not None

        def page(number: int) -> tuple[int, bool, bool, int]:
            result = query_queue(
                session,
                user,
                QueueFilters(status="all"),
                SETTINGS,
                page=number,
                per_page=2,
                count_limit=2,
            )
            return result.total, result.total_capped, result.has_next, len(result.items)

        assert page(1) == (3, True, True, 2)
        assert page(2) == (5, True, True, 2)
        assert page(3) == (5, True, False, 1)
        exact = query_queue(session, user, QueueFilters(status="all"), SETTINGS, count_limit=10)
        assert (exact.total, exact.total_capped, exact.has_next) == (5, False, False)


def test_a_search_is_counted_exactly_on_every_page(db: Database, world: World) -> None:
    c = world.cases
    with db.session() as session:
        user = session.get(UserRow, world.users["reviewer"])
        assert user is not None

        def page(q: str, number: int) -> tuple[list[int], int, bool, bool]:
            result = query_queue(
                session,
                user,
                QueueFilters(q=q),
                SETTINGS,
                page=number,
                per_page=1,
                count_limit=1,
            )
            ids = [item.case.id for item in result.items]
            return ids, result.total, result.total_capped, result.has_next

        assert page("vaksin palsu", 1) == ([c["jabar"]], 2, False, True)
        assert page("vaksin palsu", 2) == ([c["xss"]], 2, False, False)
        assert page("vaksin palsu", 3) == ([], 2, False, False)
        assert page("jayapura", 1) == ([c["papua"]], 1, False, False)
        assert page("tidak ada", 1) == ([], 0, False, False)
