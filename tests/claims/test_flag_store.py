"""Clustering through the store: copies join across batches, workers and restarts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from monitor.claims.index import reindex
from monitor.claims.settings import ClaimSettings
from monitor.pipeline.flag import flag_into_cases
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import ClaimBandRow, ClaimFingerprintRow
from monitor.store.db import Database
from tests.claims.builders import START, candidates, store_posts

HOAX = (
    "Kartu sembako baru dibagikan di kantor kelurahan hari Sabtu jam 8 pagi. Wajib bawa KK "
    "asli dan fotokopi KTP 3 lembar. Yang tidak datang dianggap mengundurkan diri."
)
COPIES = [
    "Fwd: " + HOAX,
    "Info dari grup sebelah: " + HOAX + " 🙏🙏 #sembako #kelurahan",
    "Sabtu jam 8 pagi kartu sembako baru dibagikan di kantor kelurahan. Bawa KK asli dan "
    "fotokopi KTP 3 lembar. Yang tidak datang dianggap mengundurkan diri.",
    "Kartu sembako baru dibagikan di kantor kelurahan hari Sabtu jam 8 pagi, wajib bawa KK asli "
    "dan fotokopi KTP 3 lembar",
]
CLARIFICATION = (
    "Klarifikasi Dinsos: tidak ada pembagian kartu sembako baru di kantor kelurahan hari Sabtu. "
    "Pesan yang meminta warga membawa KK asli dan fotokopi KTP itu hoaks."
)
UNRELATED = "Harga cabai rawit di Pasar Induk Kramat Jati tembus Rp 90 ribu per kilogram."


def _case_of(db: Database) -> dict[int, int]:
    with db.session() as session:
        return dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())


def test_copies_arriving_in_separate_batches_join_one_case(db: Database) -> None:
    ids = store_posts(db, [HOAX, *COPIES, CLARIFICATION, UNRELATED])
    with db.transaction() as session:
        first = flag_into_cases(session, candidates(db, ids[:2]))
    with db.transaction() as session:
        second = flag_into_cases(session, candidates(db, ids[2:]))
    assert (first.opened, first.joined) == (1, 2)
    assert (second.opened, second.joined) == (2, 5)
    case_of = _case_of(db)
    assert len({case_of[i] for i in ids[:5]}) == 1
    assert len({case_of[ids[0]], case_of[ids[5]], case_of[ids[6]]}) == 3
    with db.session() as session:
        case = session.get(CaseRow, case_of[ids[0]])
        assert case is not None
        assert case.post_count == 5
        assert case.engagement == 25
        assert case.author_count == 5
        assert case.source_count == 1
        assert case.first_seen_at == START
        assert case.last_seen_at == START + timedelta(minutes=40)
        assert case.title == HOAX[:200]


def test_the_index_lives_in_the_store_so_a_restarted_worker_finds_the_claim(
    db: Database, db_url: str
) -> None:
    ids = store_posts(db, [HOAX, COPIES[2]])
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[:1]))
    restarted = Database(db_url)
    try:
        with restarted.transaction() as session:
            stats = flag_into_cases(session, candidates(restarted, ids[1:], flagged=False))
    finally:
        restarted.dispose()
    assert (stats.opened, stats.joined) == (0, 1)
    assert len(set(_case_of(db).values())) == 1
    with db.session() as session:
        fingerprints = session.scalars(select(func.count()).select_from(ClaimFingerprintRow)).one()
        assert fingerprints >= 1
        bands = session.scalars(select(func.count()).select_from(ClaimBandRow)).one()
        assert bands == ClaimSettings().lsh_bands * fingerprints


def test_flagging_a_post_again_changes_nothing(db: Database) -> None:
    ids = store_posts(db, [HOAX, COPIES[0]])
    for _ in range(2):
        with db.transaction() as session:
            flag_into_cases(session, candidates(db, ids))
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert session.scalar(select(CaseRow.post_count)) == 2
        opened = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(AuditEventRow.action == "case.open")
        )
        assert opened == 1


def test_a_copy_of_a_published_claim_opens_a_new_case(db: Database) -> None:
    ids = store_posts(db, [HOAX, COPIES[0]])
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[:1]))
        session.execute(update(CaseRow).values(status="published"))
    with db.transaction() as session:
        stats = flag_into_cases(session, candidates(db, ids[1:]))
    assert stats.opened == 1
    assert len(set(_case_of(db).values())) == 2


def test_a_case_without_a_topic_takes_the_first_one_a_copy_brings(db: Database) -> None:
    ids = store_posts(db, [HOAX, COPIES[0]])
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[:1]))
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[1:], topic="social_aid"))
    with db.session() as session:
        assert session.scalar(select(CaseRow.topic)) == "social_aid"


def test_two_workers_flagging_copies_at_once_share_one_case(db: Database, db_url: str) -> None:
    if db.dialect != "postgresql":
        pytest.skip("concurrent workers share PostgreSQL; SQLite has a single writer")
    ids = store_posts(db, [HOAX, COPIES[0]])
    first_flagged = threading.Event()
    second_started = threading.Event()
    errors: list[BaseException] = []
    workers = [Database(db_url), Database(db_url)]

    def first() -> None:
        try:
            with workers[0].transaction() as session:
                flag_into_cases(session, candidates(workers[0], ids[:1]))
                first_flagged.set()
                # Hold the transaction open while the second worker clusters its batch.
                second_started.wait(timeout=30)
                threading.Event().wait(0.5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            first_flagged.set()

    def second() -> None:
        try:
            first_flagged.wait(timeout=30)
            with workers[1].transaction() as session:
                second_started.set()
                flag_into_cases(session, candidates(workers[1], ids[1:]))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        for worker in workers:
            worker.dispose()
    assert not errors
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CaseRow)) == 1
        assert session.scalar(select(CaseRow.post_count)) == 2


def test_after_a_layout_change_reindexing_lets_copies_find_the_claim_again(db: Database) -> None:
    ids = store_posts(db, [HOAX, COPIES[0], COPIES[2]])
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids[:1]))
    other_layout = ClaimSettings(lsh_bands=20, lsh_rows=4, minhash_seed=7)
    with db.transaction() as session:
        lost = flag_into_cases(session, candidates(db, ids[1:2]), other_layout)
    assert lost.opened == 1  # the stored band keys were made with the old layout
    with db.transaction() as session:
        assert reindex(session, other_layout) == 2
    with db.transaction() as session:
        found = flag_into_cases(session, candidates(db, ids[2:]), other_layout)
    assert (found.opened, found.joined) == (0, 1)
