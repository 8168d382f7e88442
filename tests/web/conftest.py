"""Fixtures of the web tests: the world, the app, and logged-in clients per role."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

from monitor.config import Settings
from monitor.store.db import Database
from monitor.web.app import create_app
from tests.auth.fast_hashing import fast_password_hashing
from tests.web.client import TestClient, log_in
from tests.web.world import World, build_world

__all__ = ["fast_password_hashing"]


@dataclass
class StoredWorld:
    """A SQLite file holding the world, in a folder of its own (for a served app)."""

    folder: Path
    url: str
    db: Database
    world: World


@pytest.fixture(scope="module")
def stored_world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[StoredWorld]:
    """The world in a migrated SQLite file shared by one test module (disposed after it)."""
    folder = tmp_path_factory.mktemp("stored-world")
    shutil.copy(sqlite_template, folder / "pantau.db")
    url = f"sqlite:///{folder / 'pantau.db'}"
    db = Database(url)
    try:
        yield StoredWorld(folder, url, db, build_world(db))
    finally:
        db.dispose()


@pytest.fixture
def world(db: Database) -> World:
    """The review world in this test's store (SQLite and PostgreSQL in turn)."""
    return build_world(db)


@pytest.fixture
def app(settings: Settings, db: Database, world: World) -> FastAPI:
    """The app over the world's store."""
    return create_app(settings, db)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """A client that has not logged in."""
    with TestClient(app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def client_for(app: FastAPI, world: World) -> Iterator[Callable[[str], TestClient]]:
    """``client_for("jabar")``: a new client logged in as that person of the world."""
    clients: list[TestClient] = []

    def make(name: str) -> TestClient:
        client = TestClient(app, base_url="https://testserver")
        client.__enter__()
        clients.append(client)
        return log_in(client, world.emails[name])

    yield make
    for client in clients:
        client.__exit__(None, None, None)
