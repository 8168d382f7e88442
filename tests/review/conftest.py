"""Fixtures of the review-service tests: the same world as the web tests."""

from __future__ import annotations

import pytest

from monitor.store.db import Database
from tests.auth.fast_hashing import fast_password_hashing
from tests.web.world import World, build_world

__all__ = ["fast_password_hashing"]


@pytest.fixture
def world(db: Database) -> World:
    """The review world in this test's store (SQLite and PostgreSQL in turn)."""
    return build_world(db)
