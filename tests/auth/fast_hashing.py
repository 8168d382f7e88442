"""Cheap argon2 parameters for tests: real argon2id, a fraction of production's cost.

Imported as an autouse fixture by the conftest of tests/auth, tests/review and tests/web.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.auth import passwords


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """Hash with 1 pass over 1 MiB for the whole test session, then restore the default."""
    passwords.configure_hasher(time_cost=1, memory_cost_kib=1024, parallelism=1)
    yield
    passwords.configure_hasher(time_cost=3, memory_cost_kib=65536, parallelism=4)
