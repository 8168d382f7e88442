"""The store: migrations, UTC times, uniqueness and the append-only audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from monitor.store.audit import AuditEventRow, record
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
    assert differences == []
