"""The case workflow as services: transitions, the second-person rule, status rules, audit.

Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.review import workflow
from monitor.review.bulk import bulk_apply
from monitor.review.errors import CaseNotFound, InvalidInput, InvalidTransition, NotAllowed
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CaseRow
from monitor.store.db import Database
from monitor.store.review import ClarificationRow, LabelRow
from monitor.store.users import UserRow
from tests.web.world import World

DRAFT = workflow.DraftInput(
    claim="Beredar pesan bahwa vaksin palsu beredar di Bandung.",
    facts="Dinas Kesehatan Jawa Barat memastikan semua vaksin berasal dari distribusi resmi.",
    sources="https://example.org/dinkes",
    contact="Hotline Dinkes 119",
)


def _user(session: Session, world: World, name: str) -> UserRow:
    user = session.get(UserRow, world.users[name])
    assert user is not None
    return user


def _case(db: Database, case_id: int) -> CaseRow:
    with db.session() as session:
        case = session.get(CaseRow, case_id)
        assert case is not None
        return case


def _actions(db: Database, case_id: int) -> list[tuple[str, str]]:
    with db.session() as session:
        return [
            (e.actor, e.action)
            for e in session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.entity_type == "case", AuditEventRow.entity_id == str(case_id))
                .order_by(AuditEventRow.id)
            )
        ]


def _draft(db: Database, world: World, case: str, author: str) -> None:
    with db.transaction() as session:
        workflow.draft(session, _user(session, world, author), world.cases[case], DRAFT)


def test_a_case_goes_from_new_to_published_with_a_second_approver(
    db: Database, world: World
) -> None:
    case_id = world.cases["jabar"]
    with db.transaction() as session:
        reviewer = _user(session, world, "reviewer")
        workflow.assign(session, reviewer, case_id, reviewer.id)
        workflow.label(session, reviewer, case_id, verdict="hoax", category="fabricated", note="")
        workflow.draft(session, reviewer, case_id, DRAFT)
    assert _case(db, case_id).status == "draft"
    with db.transaction() as session:
        workflow.approve(session, _user(session, world, "approver"), case_id)
    assert _case(db, case_id).status == "approved"
    when = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    with db.transaction() as session:
        workflow.publish(
            session,
            _user(session, world, "reviewer"),
            case_id,
            channel="website",
            url="https://ppid.jabarprov.test/klarifikasi/1",
            published_at=when,
        )
    case = _case(db, case_id)
    assert case.status == "published"
    assert case.assignee_id == world.users["reviewer"]
    with db.session() as session:
        clarification = session.scalar(select(ClarificationRow))
        assert clarification is not None
        assert clarification.author_id == world.users["reviewer"]
        assert clarification.approved_by_id == world.users["approver"]
        assert clarification.published_at == when
        assert clarification.url == "https://ppid.jabarprov.test/klarifikasi/1"
    reviewer_email, approver_email = world.emails["reviewer"], world.emails["approver"]
    assert _actions(db, case_id)[1:] == [
        (reviewer_email, "case.assign"),
        (reviewer_email, "case.label"),
        (reviewer_email, "case.draft"),
        (approver_email, "case.approve"),
        (reviewer_email, "case.publish"),
    ]


def test_nobody_approves_their_own_draft(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    _draft(db, world, "jabar", "reviewer")
    with pytest.raises(NotAllowed) as refused, db.transaction() as session:
        workflow.approve(session, _user(session, world, "reviewer"), case_id)
    assert refused.value.key == "error.own_draft"
    assert _case(db, case_id).status == "draft"
    with db.session() as session:
        assert "approve" not in workflow.allowed_actions(
            session, _user(session, world, "reviewer"), _case(db, case_id)
        )
        assert "approve" in workflow.allowed_actions(
            session, _user(session, world, "approver"), _case(db, case_id)
        )


def test_editing_an_approved_draft_needs_a_new_approval(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    _draft(db, world, "jabar", "reviewer")
    with db.transaction() as session:
        workflow.approve(session, _user(session, world, "approver"), case_id)
    _draft(db, world, "jabar", "approver")
    assert _case(db, case_id).status == "draft"
    with pytest.raises(NotAllowed), db.transaction() as session:
        workflow.approve(session, _user(session, world, "approver"), case_id)
    with pytest.raises(InvalidTransition), db.transaction() as session:
        workflow.publish(
            session,
            _user(session, world, "reviewer"),
            case_id,
            channel="website",
            url="https://example.org/x",
        )
    with db.transaction() as session:
        approved = workflow.approve(session, _user(session, world, "reviewer"), case_id)
    assert approved.version == 2


def test_publication_needs_an_http_url_and_a_known_channel(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    _draft(db, world, "jabar", "reviewer")
    with db.transaction() as session:
        workflow.approve(session, _user(session, world, "approver"), case_id)
    for channel, url in (
        ("website", "javascript:alert(1)"),
        ("website", "ftp://example.org/x"),
        ("website", "https://"),
        ("carrier-pigeon", "https://example.org/x"),
    ):
        with pytest.raises(InvalidInput), db.transaction() as session:
            workflow.publish(
                session, _user(session, world, "reviewer"), case_id, channel=channel, url=url
            )
    assert _case(db, case_id).status == "approved"


def test_a_hoax_label_needs_a_category_and_others_drop_it(db: Database, world: World) -> None:
    case_id = world.cases["central"]
    with pytest.raises(InvalidInput), db.transaction() as session:
        workflow.label(session, _user(session, world, "reviewer"), case_id, verdict="hoax")
    with pytest.raises(InvalidInput), db.transaction() as session:
        workflow.label(session, _user(session, world, "reviewer"), case_id, verdict="fake")
    with db.transaction() as session:
        workflow.label(
            session,
            _user(session, world, "reviewer"),
            case_id,
            verdict="not_hoax",
            category="satire",
            note="berita resmi",
        )
    with db.session() as session:
        label = session.scalar(select(LabelRow))
        assert label is not None
        assert (label.verdict, label.category, label.note) == ("not_hoax", None, "berita resmi")
        event = session.scalar(select(AuditEventRow).where(AuditEventRow.action == "case.label"))
        assert event is not None
        assert event.details["verdict"] == "not_hoax"
        assert event.details["note"] == "berita resmi"


def test_closed_cases_take_no_work_until_reopened(db: Database, world: World) -> None:
    case_id = world.cases["central"]
    with db.transaction() as session:
        workflow.dismiss(session, _user(session, world, "reviewer"), case_id, note="bukan hoaks")
    for step in (
        lambda s, u: workflow.label(s, u, case_id, verdict="unsure"),
        lambda s, u: workflow.assign(s, u, case_id, u.id),
        lambda s, u: workflow.draft(s, u, case_id, DRAFT),
        lambda s, u: workflow.dismiss(s, u, case_id),
    ):
        with pytest.raises(InvalidTransition), db.transaction() as session:
            step(session, _user(session, world, "reviewer"))
    with db.transaction() as session:
        workflow.reopen(session, _user(session, world, "approver"), case_id, note="muncul lagi")
    assert _case(db, case_id).status == "in_review"
    with pytest.raises(InvalidTransition), db.transaction() as session:
        workflow.reopen(session, _user(session, world, "approver"), case_id)


def test_a_regional_officer_escalates_once_and_then_only_reads(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    with pytest.raises(NotAllowed), db.transaction() as session:
        workflow.escalate(session, _user(session, world, "reviewer"), case_id)
    with db.transaction() as session:
        workflow.escalate(session, _user(session, world, "jabar"), case_id, note="lintas provinsi")
    assert _case(db, case_id).escalated_at is not None
    with pytest.raises(NotAllowed), db.transaction() as session:
        workflow.escalate(session, _user(session, world, "jabar"), case_id)
    with pytest.raises(NotAllowed), db.transaction() as session:
        workflow.label(session, _user(session, world, "jabar"), case_id, verdict="unsure")
    with db.transaction() as session:
        workflow.label(session, _user(session, world, "reviewer"), case_id, verdict="unsure")


def test_cases_outside_the_officers_region_do_not_exist_for_them(
    db: Database, world: World
) -> None:
    with db.transaction() as session:
        officer = _user(session, world, "jabar")
        for name in ("papua", "central"):
            with pytest.raises(CaseNotFound):
                workflow.load_case(session, officer, world.cases[name])
            with pytest.raises(CaseNotFound):
                workflow.dismiss(session, officer, world.cases[name])
        with pytest.raises(CaseNotFound):
            workflow.load_case(session, officer, 10**9)


def test_an_officer_assigns_only_people_who_cover_the_case(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    with pytest.raises(InvalidInput), db.transaction() as session:
        workflow.assign(session, _user(session, world, "reviewer"), case_id, world.users["papua"])
    with pytest.raises(InvalidInput), db.transaction() as session:
        workflow.assign(session, _user(session, world, "reviewer"), case_id, world.users["analyst"])
    with pytest.raises(InvalidInput), db.transaction() as session:
        workflow.assign(session, _user(session, world, "jabar"), case_id, world.users["reviewer"])
    with db.transaction() as session:
        workflow.assign(session, _user(session, world, "reviewer"), case_id, world.users["jabar"])
    case = _case(db, case_id)
    assert (case.assignee_id, case.status) == (world.users["jabar"], "in_review")


def test_a_stale_view_loses_to_a_concurrent_change(db: Database, world: World) -> None:
    case_id = world.cases["jabar"]
    with db.session() as first:
        reviewer = _user(first, world, "reviewer")
        stale = workflow.load_case(first, reviewer, case_id)
        first.commit()
        assert stale.status == "new"
        with db.transaction() as second:
            workflow.dismiss(second, _user(second, world, "approver"), case_id)
        with pytest.raises(InvalidTransition):
            workflow.assign(first, reviewer, case_id, reviewer.id)
        first.rollback()
    case = _case(db, case_id)
    assert (case.status, case.assignee_id) == ("dismissed", None)


def test_bulk_actions_change_what_they_may_and_report_the_rest(db: Database, world: World) -> None:
    ids = [world.cases["jabar"], world.cases["xss"], world.cases["papua"], 10**9]
    with db.transaction() as session:
        workflow.dismiss(session, _user(session, world, "reviewer"), world.cases["xss"])
    with db.transaction() as session:
        result = bulk_apply(
            session, _user(session, world, "jabar"), ids, "assign", assignee_id=world.users["jabar"]
        )
    assert result.done == [world.cases["jabar"]]
    assert result.refused == {
        world.cases["xss"]: "error.transition",
        world.cases["papua"]: "error.not_found",
        10**9: "error.not_found",
    }
    assert _case(db, world.cases["jabar"]).assignee_id == world.users["jabar"]
    with pytest.raises(ValueError), db.transaction() as session:
        bulk_apply(session, _user(session, world, "jabar"), ids, "delete")
