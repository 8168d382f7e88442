"""Shared fixtures: a real store on SQLite and on PostgreSQL, settings, a shipped model.

Every test that takes ``db`` runs twice, once per backend. The PostgreSQL half is skipped
with a visible reason when no server answers at ``PANTAU_TEST_POSTGRES_URL`` (default: the
local server on 127.0.0.1:5432, database ``test``). Each test session gets its own schema,
and tables are emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# Tests never read the developer's pantau.toml; they pass their settings explicitly.
os.environ["PANTAU_CONFIG"] = os.devnull

from monitor.config import Settings
from monitor.store import Base
from monitor.store.db import Database

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "PANTAU_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
_SCHEMA = f"pantau_test_{uuid.uuid4().hex[:10]}"


def _postgres_reason() -> str | None:
    """Why PostgreSQL tests cannot run, or None when the server answers."""
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        return f"no PostgreSQL server at {make_url(POSTGRES_URL).render_as_string()}: {exc}"
    return None


_PG_SKIP = _postgres_reason()


def postgres_schema_url() -> str:
    """The PostgreSQL URL of this session's private schema."""
    url = make_url(POSTGRES_URL)
    query = dict(url.query)
    query["options"] = f"-csearch_path={_SCHEMA}"
    return url.set(query=query).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated private schema on the local PostgreSQL server (skips when none answers)."""
    if _PG_SKIP:
        pytest.skip(_PG_SKIP)
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{_SCHEMA}"'))
    url = postgres_schema_url()
    migrated = Database(url)
    migrated.upgrade()
    migrated.dispose()
    yield url
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{_SCHEMA}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite file that each test copies (migrating once is faster)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()
    return path


def _empty_postgres(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as connection:
        # The append-only trigger refuses TRUNCATE; tests (the table owner) lift it briefly.
        connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL of an empty, migrated store: a fresh SQLite file, or the PostgreSQL schema."""
    if request.param == "sqlite":
        path = tmp_path / "pantau.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    db = Database(url)
    _empty_postgres(db)
    db.dispose()
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """The store for one test, on each backend in turn."""
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for a test: this test's store, the shipped models, no demo seeding."""
    return Settings(
        database_url=db_url,
        data_dir=tmp_path / "var",
        models_dir=REPO / "models",
        seed_demo=False,
        backoff_base_seconds=60,
    )
