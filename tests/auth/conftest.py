"""Fixtures of the auth tests."""

from __future__ import annotations

from tests.auth.fast_hashing import fast_password_hashing

__all__ = ["fast_password_hashing"]
