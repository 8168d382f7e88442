"""The store: migrations, UTC times, uniqueness and the append-only audit log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from monitor.store.audit import AuditEventRow, record
from monitor.store.cases import POSTGRES_ONLY_INDEXES, CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.sources import SourceRow
from tests.factories import add_source


def test_upgrade_is_harmless_to_run_twice(db: Database) -> None:
    before = db.current_revision()
    db.upgrade()
    db.upgrade()
    assert before is not None
    assert db.current_revision() == before


def test_times_come_back_aware_and_in_utc(db: Database) -> None:
    jakarta = timezone(timedelta(hours=7))
    source_id = add_source(db)
    with db.transaction() as session:
        session.add(
            PostRow(
                source_id=source_id,
                external_id="a",
                text="x",
                content_hash="h",
                published_at=datetime(2026, 11, 26, 9, 0, tzinfo=jakarta),
            )
        )
    with db.session() as session:
        stored = session.scalar(select(PostRow.published_at))
    assert stored == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert stored is not None and stored.utcoffset() == timedelta(0)


def test_naive_times_are_refused(db: Database) -> None:
    source_id = add_source(db)
    with pytest.raises(Exception, match="naive datetime"), db.transaction() as session:
        session.add(
            PostRow(
                source_id=source_id,
                external_id="a",
                text="x",
                content_hash="h",
                published_at=datetime(2026, 11, 26, 9, 0),
            )
        )


def test_a_post_is_unique_per_source_and_external_id(db: Database) -> None:
    source_id = add_source(db)
    with db.transaction() as session:
        session.add(PostRow(source_id=source_id, external_id="a", text="x", content_hash="h"))
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(PostRow(source_id=source_id, external_id="a", text="y", content_hash="h"))


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(PostRow(source_id=999, external_id="a", text="x", content_hash="h"))


def test_sqlite_runs_in_wal_mode(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        # A larger page cache and a memory map: index lookups on a grown store stay fast.
        assert connection.execute(text("PRAGMA cache_size")).scalar() == -32768
        assert connection.execute(text("PRAGMA mmap_size")).scalar() == 268435456


def test_postgres_refuses_to_change_the_audit_log(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL; SQLite relies on the code path")
    with db.transaction() as session:
        record(session, actor="system", action="x", entity_type="case", entity_id=1)
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
        session.execute(update(AuditEventRow).values(action="tampered"))
    with pytest.raises(DBAPIError, match="append-only"), db.transaction() as session:
        session.execute(delete(AuditEventRow))
    with db.session() as session:
        assert session.scalar(select(AuditEventRow.action)) == "x"


def test_source_health_columns_start_clean(db: Database) -> None:
    source_id = add_source(db)
    with db.session() as session:
        source = session.get(SourceRow, source_id)
        assert source is not None
        assert source.consecutive_failures == 0
        assert source.last_error is None
        assert source.cursor is None


def test_the_migrations_build_exactly_the_declared_tables(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from monitor.store import Base

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    differences = [
        d
        for d in differences
        if not (
            db.dialect == "postgresql"
            and d[0] == "remove_index"
            and d[1].name in POSTGRES_ONLY_INDEXES
        )
    ]
    assert differences == []


def _case(session: Session, key: str) -> int:
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    case = CaseRow(claim_key=key, title=key, first_seen_at=now, last_seen_at=now)
    session.add(case)
    session.flush()
    return case.id


def test_a_case_membership_copies_its_posts_engagement(db: Database) -> None:
    source_id = add_source(db)
    with db.transaction() as session:
        first, second = _case(session, "a"), _case(session, "b")
        posts = [
            PostRow(
                source_id=source_id,
                external_id=str(i),
                text="x",
                content_hash="h",
                likes=likes,
                shares=2,
                comments=1,
            )
            for i, likes in enumerate((10, 20))
        ]
        session.add_all(posts)
        session.flush()
        ids = [post.id for post in posts]
        # Writers never set the copy: an ORM add and a Core insert both get it filled.
        session.add(CasePostRow(post_id=ids[0], case_id=first))
        session.flush()
        session.execute(insert(CasePostRow).values(post_id=ids[1], case_id=first))

    def copies() -> dict[int, int]:
        with db.session() as session:
            return dict(session.execute(select(CasePostRow.post_id, CasePostRow.engagement)).all())

    assert copies() == {ids[0]: 13, ids[1]: 23}
    with db.transaction() as session:
        session.execute(update(PostRow).where(PostRow.id == ids[0]).values(likes=40, comments=5))
        session.execute(
            update(CasePostRow).where(CasePostRow.post_id == ids[1]).values(case_id=second)
        )
    assert copies() == {ids[0]: 47, ids[1]: 23}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def unmigrated_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A store with no tables yet: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.db'}")
        yield database
        database.dispose()
        return
    url = make_url(request.getfixturevalue("postgres_url"))  # skips without a server
    schema = f"pantau_upgrade_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(query={}))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = Database(
        url.set(query={"options": f"-csearch_path={schema}"}).render_as_string(False)
    )
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_upgrading_an_older_store_fills_the_engagement_copies(unmigrated_db: Database) -> None:
    db = unmigrated_db
    config = db._alembic_config()
    for revision in ("0002_claims", "0003_review"):  # every head before 0004
        command.upgrade(config, revision)
    source_id = add_source(db)
    now = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO posts (id, source_id, external_id, text, text_truncated, fetched_at,"
                " likes, shares, comments, views, raw, content_hash, stage) VALUES"
                " (1, :source, 'a', 'x', false, :now, 7, 3, 1, 0, '{}', 'h', 'processed')"
            ),
            {"source": source_id, "now": now},
        )
        connection.execute(
            text(
                "INSERT INTO cases (id, claim_key, title, status, opened_at, first_seen_at,"
                " last_seen_at, post_count, engagement, author_count, source_count,"
                " max_probability, priority, priority_parts, updated_at) VALUES"
                " (1, 'k', 't', 'new', :now, :now, :now, 1, 11, 1, 1, 0.9, 1.0, '{}', :now)"
            ),
            {"now": now},
        )
        connection.execute(
            text("INSERT INTO case_posts (post_id, case_id, added_at) VALUES (1, 1, :now)"),
            {"now": now},
        )
    db.upgrade()  # what `pantau init` does
    with db.session() as session:
        assert session.scalar(select(CasePostRow.engagement)) == 11
