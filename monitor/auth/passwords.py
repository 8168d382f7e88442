"""Password hashing with argon2id (argon2-cffi) and random password generation."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: argon2-cffi's RFC 9106 "low memory" profile: argon2id, 64 MiB, 3 passes.
_HASHER = PasswordHasher()
# Verified against when no account matches, so a miss costs as much as a wrong password
# and response times do not reveal which e-mail addresses exist. Made on first use.
_dummy_hash: str | None = None

#: Shortest password accepted when a person chooses one.
MIN_PASSWORD_LENGTH = 10


def configure_hasher(*, time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
    """Use other argon2id parameters for new hashes (existing hashes keep verifying).

    Logins rehash a password made with different parameters. Tests use cheap parameters;
    production keeps the defaults.
    """
    global _HASHER, _dummy_hash
    _HASHER = PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
    )
    _dummy_hash = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _HASHER.hash(secrets.token_urlsafe(16))
    return _dummy_hash


class WeakPasswordError(ValueError):
    """The password is too short (or empty)."""


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``. Raises WeakPasswordError below the minimum length."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``password_hash``; never raises for a bad hash.

    With ``password_hash`` None a dummy hash is checked, so the time taken is the same.
    """
    try:
        return _HASHER.verify(password_hash or _dummy(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    try:
        return _HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def random_password() -> str:
    """A new random password (about 96 bits), for first admins and resets."""
    return secrets.token_urlsafe(12)
