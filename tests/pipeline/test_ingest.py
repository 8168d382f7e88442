"""Ingest: idempotent, truncating, never dropping."""

from __future__ import annotations

from sqlalchemy import func, select

from monitor.pipeline.ingest import content_hash, ingest
from monitor.store.db import Database
from monitor.store.posts import PostRow
from tests.factories import add_source, post


def _count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(PostRow)) or 0


def test_it_stores_a_post_fetched_twice_once(db: Database) -> None:
    source_id = add_source(db)
    batch = [post("1", "Vaksin palsu beredar"), post("2", "Banjir di Bekasi")]
    with db.transaction() as session:
        first = ingest(session, source_id, batch, max_chars=1000)
    with db.transaction() as session:
        second = ingest(session, source_id, [*batch, post("3", "Harga beras naik")], max_chars=1000)
    assert (first.new, first.duplicates) == (2, 0)
    assert (second.new, second.duplicates) == (1, 2)
    assert _count(db) == 3


def test_the_same_id_from_two_sources_is_two_posts(db: Database) -> None:
    a, b = add_source(db, "a"), add_source(db, "b")
    with db.transaction() as session:
        ingest(session, a, [post("1", "teks")], max_chars=1000)
        ingest(session, b, [post("1", "teks")], max_chars=1000)
    assert _count(db) == 2


def test_a_repeated_id_within_one_batch_is_stored_once(db: Database) -> None:
    source_id = add_source(db)
    with db.transaction() as session:
        stats = ingest(session, source_id, [post("1", "a"), post("1", "a lagi")], max_chars=1000)
    assert stats.new == 1
    assert _count(db) == 1


def test_a_huge_post_is_truncated_and_flagged_not_dropped(db: Database) -> None:
    source_id = add_source(db)
    huge = "hoaks " * 10_000
    with db.transaction() as session:
        stats = ingest(session, source_id, [post("big", huge)], max_chars=500)
    assert stats.truncated == 1
    with db.session() as session:
        row = session.scalar(select(PostRow))
    assert row is not None
    assert row.text_truncated is True
    assert len(row.text) == 500
    assert row.raw["_pantau"]["original_length"] == len(huge)


def test_it_keeps_markup_and_odd_characters_verbatim(db: Database) -> None:
    source_id = add_source(db)
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(1)> \ud83d\ude00 nul\x00byte"
    with db.transaction() as session:
        ingest(
            session, source_id, [post("x", hostile.replace("\ud83d\ude00", "😀"))], max_chars=1000
        )
    with db.session() as session:
        row = session.scalar(select(PostRow))
    assert row is not None
    assert row.text.startswith("<script>alert(1)</script> <img src=x onerror=alert(1)>")
    assert "\x00" not in row.text


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("Vaksin  PALSU\n beredar") == content_hash("vaksin palsu beredar")
    assert content_hash("vaksin palsu") != content_hash("vaksin asli")
