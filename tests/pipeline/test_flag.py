"""Flag: one case per claim, copies join it, counts and audit follow."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from monitor.pipeline.flag import CaseCandidate, claim_key, flag_into_cases
from monitor.pipeline.ingest import ingest
from monitor.pipeline.priority import PriorityInputs, case_priority
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.posts import PostRow, ScoreRow
from tests.factories import add_source, post

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _posts(db: Database, texts: list[str], shares: int = 10) -> list[int]:
    source_id = add_source(db)
    with db.transaction() as session:
        ingest(
            session,
            source_id,
            [post(str(i), t, shares=shares) for i, t in enumerate(texts)],
            max_chars=10_000,
        )
        ids = list(session.scalars(select(PostRow.id).order_by(PostRow.id)))
        for post_id in ids:
            session.add(
                ScoreRow(
                    post_id=post_id,
                    model_version="t",
                    probability=0.9,
                    label="hoax",
                    explanation={},
                )
            )
    return ids


def _candidate(post_id: int, tokens: list[str], flagged: bool = True) -> CaseCandidate:
    return CaseCandidate(
        post_id, claim_key(tokens), flagged, " ".join(tokens), None, None, WHEN, tuple(tokens)
    )


def _inputs(
    probability: float, engagement: int, authors: int = 1, **more: object
) -> PriorityInputs:
    fields: dict[str, object] = {
        "probability": probability,
        "engagement": engagement,
        "authors": authors,
        "posts": 1,
        "recent_posts": 1,
        "earlier_posts": 0,
        "earlier_hours": 0.0,
        "topic": None,
        "known_hoax": False,
    }
    fields.update(more)
    return PriorityInputs(**fields)  # type: ignore[arg-type]


def test_the_claim_key_ignores_order_repeats_links_and_emoji() -> None:
    base = claim_key(["vaksin", "isi", "chip", "pelacak", "pemerintah"])
    assert claim_key(["pemerintah", "chip", "vaksin", "isi", "pelacak", "vaksin"]) == base
    assert (
        claim_key(
            [
                "url:bit.ly",
                "vaksin",
                "isi",
                "chip",
                "emoji:fire",
                "pelacak",
                "pemerintah",
                "@mention",
            ]
        )
        == base
    )
    assert claim_key(["vaksin", "aman", "halal", "pemerintah"]) != base


def test_very_short_posts_do_not_collapse_into_one_claim() -> None:
    assert claim_key(["hoaks"]) != claim_key(["hoaks", "emoji:fire"])


def test_copies_of_one_flagged_claim_open_one_case(db: Database) -> None:
    ids = _posts(db, ["a", "b", "c"])
    words = ["bansos", "cair", "daftar", "link", "ini"]
    with db.transaction() as session:
        stats = flag_into_cases(
            session,
            [
                _candidate(ids[0], words),
                _candidate(ids[1], list(reversed(words))),
                _candidate(ids[2], ["banjir", "bekasi", "surut", "warga"]),
            ],
        )
    assert stats.opened == 2
    with db.session() as session:
        cases = list(session.scalars(select(CaseRow).order_by(CaseRow.id)))
        assert [c.post_count for c in cases] == [2, 1]
        assert cases[0].engagement == 20
        assert cases[0].max_probability == 0.9
        assert cases[0].priority == cases[0].priority_parts["priority"] > 0
        assert cases[0].priority_parts["engagement"] == 20
        assert cases[0].priority_parts["posts"] == 2
        events = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(AuditEventRow.action == "case.open")
        )
        assert events == 2


def test_an_unflagged_copy_joins_an_existing_case_but_opens_none(db: Database) -> None:
    ids = _posts(db, ["a", "b", "c"])
    words = ["bbm", "naik", "besok", "pagi", "pertamina"]
    with db.transaction() as session:
        flag_into_cases(session, [_candidate(ids[0], words)])
    with db.transaction() as session:
        stats = flag_into_cases(
            session,
            [
                _candidate(ids[1], words, flagged=False),
                _candidate(ids[2], ["cuaca", "cerah", "hari", "ini"], flagged=False),
            ],
        )
    assert (stats.opened, stats.joined) == (0, 1)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert session.scalar(select(func.count()).select_from(CasePostRow)) == 2


def test_flagging_the_same_post_again_changes_nothing(db: Database) -> None:
    ids = _posts(db, ["a"])
    words = ["gempa", "susulan", "besar", "malam", "ini"]
    for _ in range(2):
        with db.transaction() as session:
            flag_into_cases(session, [_candidate(ids[0], words)])
    with db.session() as session:
        case = session.scalar(select(CaseRow))
        assert case is not None and case.post_count == 1
        assert session.scalar(select(func.count()).select_from(CasePostRow)) == 1


def test_priority_grows_with_probability_reach_and_authors() -> None:
    assert case_priority(_inputs(0.9, 100)) > case_priority(_inputs(0.5, 100))
    assert case_priority(_inputs(0.9, 10_000)) > case_priority(_inputs(0.9, 10))
    assert case_priority(_inputs(0.9, 10, authors=20)) > case_priority(_inputs(0.9, 10))
    assert case_priority(_inputs(0.0, 10**9, authors=10**6)) == 0.0
