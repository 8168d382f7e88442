"""The first administrator: created on a new store with a random password, shown once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from monitor.auth.users import count_users, create_user

FIRST_ADMIN_EMAIL = "admin@pantau.local"


def ensure_first_admin(session: Session) -> tuple[str, str] | None:
    """Create an admin with a random password when no user exists at all.

    Returns ``(email, password)`` when it created the account (print it once: only its
    hash is stored), else None. There is no fixed default account. Runs in the caller's
    transaction.
    """
    if count_users(session) > 0:
        return None
    user, password = create_user(
        session,
        email=FIRST_ADMIN_EMAIL,
        name="Administrator",
        role="admin",
        actor="system",
    )
    return user.email, password
