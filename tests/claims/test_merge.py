"""Reviewers' merges and splits: posts move, later copies follow, history is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from monitor.claims.merge import merge_cases, merged_into, split_posts
from monitor.pipeline.flag import flag_into_cases
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import ClaimOverrideRow
from monitor.store.db import Database
from tests.claims.builders import candidates, store_posts

TOKEN = (
    "Tarif token listrik 900 VA naik 40 persen mulai bulan depan! Isi token sebanyak-banyaknya "
    "sebelum tanggal 1."
)
TOKEN_COPY = "token listrik 900VA naik 40% bulan depan!! buruan isi token sebelum tgl 1 ⚡⚡"
PLN = (
    "PLN siapkan tarif baru untuk pelanggan 900 VA bulan depan, tagihan rumah tangga dipastikan "
    "naik 40 persen."
)
PLN_COPY = (
    "Fwd: PLN siapkan tarif baru untuk pelanggan 900 VA, tagihan rumah tangga naik 40 persen."
)


def _case_of(db: Database) -> dict[int, int]:
    with db.session() as session:
        return dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())


def _flag(db: Database, ids: list[int]) -> None:
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids))


def test_merging_moves_the_posts_and_later_copies_follow(db: Database) -> None:
    ids = store_posts(db, [TOKEN, PLN, TOKEN_COPY, PLN_COPY])
    _flag(db, ids[:2])
    case_of = _case_of(db)
    keep, other = case_of[ids[0]], case_of[ids[1]]
    assert keep != other
    with db.transaction() as session:
        merge_cases(session, keep, [other], "reviewer@example.org")
    _flag(db, ids[2:])
    assert set(_case_of(db).values()) == {keep}
    with db.session() as session:
        kept = session.get(CaseRow, keep)
        gone = session.get(CaseRow, other)
        assert kept is not None and gone is not None
        assert kept.post_count == 4
        assert (gone.status, gone.post_count, gone.priority) == ("merged", 0, 0.0)
        assert merged_into(session, other) == keep
        assert merged_into(session, keep) is None
        actions = set(session.scalars(select(AuditEventRow.action)))
        assert {"case.merge", "case.merged_into"} <= actions
        override = session.scalar(select(ClaimOverrideRow))
        assert override is not None
        assert (override.kind, override.case_id, override.other_case_id) == ("merge", keep, other)
        assert override.actor == "reviewer@example.org"


def test_a_merge_that_makes_no_sense_is_refused(db: Database) -> None:
    ids = store_posts(db, [TOKEN, PLN])
    _flag(db, ids)
    keep, other = sorted(set(_case_of(db).values()))
    with db.transaction() as session:
        with pytest.raises(ValueError):
            merge_cases(session, keep, [], "r")
        with pytest.raises(ValueError):
            merge_cases(session, keep, [keep], "r")
        with pytest.raises(LookupError):
            merge_cases(session, keep, [999], "r")
        merge_cases(session, keep, [other], "r")
        with pytest.raises(LookupError, match="already merged"):
            merge_cases(session, other, [keep], "r")


def test_splitting_opens_a_case_that_later_copies_of_the_split_wording_join(
    db: Database,
) -> None:
    ids = store_posts(db, [TOKEN, TOKEN_COPY, PLN, TOKEN, PLN_COPY])
    _flag(db, ids[:3])
    with db.transaction() as session:
        original = session.scalar(select(CaseRow.id))
        assert original is not None
        merge_cases(
            session,
            original,
            sorted(set(_case_of(db).values()) - {original}),
            "r",
        )
    with db.transaction() as session:
        new_case = split_posts(session, original, [ids[2]], "reviewer@example.org")
    _flag(db, ids[3:])
    case_of = _case_of(db)
    assert case_of[ids[2]] == new_case
    assert case_of[ids[4]] == new_case
    assert case_of[ids[3]] == original
    with db.session() as session:
        split_case = session.get(CaseRow, new_case)
        kept = session.get(CaseRow, original)
        assert split_case is not None and kept is not None
        assert split_case.title == PLN[:200]
        assert (split_case.post_count, kept.post_count) == (2, 3)
        override = session.scalar(select(ClaimOverrideRow).where(ClaimOverrideRow.kind == "split"))
        assert override is not None and override.post_ids == [ids[2]]
        opened = session.scalar(
            select(AuditEventRow).where(
                AuditEventRow.action == "case.open", AuditEventRow.entity_id == str(new_case)
            )
        )
        assert opened is not None and opened.details["split_from"] == original


def test_a_split_that_makes_no_sense_is_refused(db: Database) -> None:
    ids = store_posts(db, [TOKEN, TOKEN_COPY, PLN])
    _flag(db, ids)
    case_of = _case_of(db)
    case_id = case_of[ids[0]]
    with db.transaction() as session:
        with pytest.raises(ValueError, match="no posts"):
            split_posts(session, case_id, [], "r")
        with pytest.raises(ValueError, match="not in case"):
            split_posts(session, case_id, [ids[2]], "r")
        with pytest.raises(ValueError, match="at least one post"):
            split_posts(session, case_id, [ids[0], ids[1]], "r")
        with pytest.raises(LookupError):
            split_posts(session, 999, [ids[0]], "r")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 2
