"""The users service: create, disable, reset passwords, authenticate, change preferences.

Every change is recorded in the audit log. Functions run in the caller's transaction and
raise :class:`UserError` (with a message safe to show) for invalid requests.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.auth.passwords import (
    WeakPasswordError,
    hash_password,
    needs_rehash,
    random_password,
    verify_password,
)
from monitor.auth.throttle import ThrottlePolicy, is_throttled, record_attempt
from monitor.store.audit import record
from monitor.store.users import ROLES, UserRow

LANGUAGES = ("id", "en")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserError(ValueError):
    """A user operation was refused; the message says why and is safe to display."""


def normalize_email(email: str) -> str:
    """The canonical form of an address: trimmed and lowercased."""
    return email.strip().lower()


def session_fingerprint(user: UserRow) -> str:
    """A short digest of the password hash, kept in the session cookie.

    Resetting or changing a password changes it, which ends every existing session.
    """
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def get_user_by_email(session: Session, email: str) -> UserRow | None:
    """The user with this e-mail (any case), or None."""
    return session.scalar(select(UserRow).where(UserRow.email == normalize_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str,
    region: str | None = None,
    language: str = "id",
    password: str | None = None,
    actor: str = "cli",
    actor_id: int | None = None,
) -> tuple[UserRow, str]:
    """Create an active user and return it with its password (generated when not given).

    Raises UserError for a malformed e-mail, an e-mail already taken, an unknown role or
    language, a regional officer without a region, or a password that is too short.
    """
    email = normalize_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise UserError(f"not an e-mail address: {email!r}")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; choose from {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise UserError(f"unknown language {language!r}; choose from {', '.join(LANGUAGES)}")
    region = (region or "").strip() or None
    if role == "regional_officer" and region is None:
        raise UserError("a regional officer needs a region (province or regency)")
    if role != "regional_officer":
        region = None
    if get_user_by_email(session, email) is not None:
        raise UserError(f"a user with e-mail {email} already exists")
    password = password if password is not None else random_password()
    try:
        password_hash = hash_password(password)
    except WeakPasswordError as exc:
        raise UserError(str(exc)) from exc
    user = UserRow(
        email=email,
        name=name.strip() or email,
        password_hash=password_hash,
        role=role,
        region=region,
        language=language,
        active=True,
    )
    session.add(user)
    session.flush()
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        details={"email": email, "role": role, "region": region},
    )
    return user, password


def _require(session: Session, email: str) -> UserRow:
    user = get_user_by_email(session, email)
    if user is None:
        raise UserError(f"no user with e-mail {normalize_email(email)}")
    return user


def set_active(
    session: Session, email: str, active: bool, *, actor: str = "cli", actor_id: int | None = None
) -> UserRow:
    """Enable or disable a user; a disabled user's sessions and tokens stop working at once."""
    user = _require(session, email)
    if user.active != active:
        user.active = active
        record(
            session,
            actor=actor,
            actor_id=actor_id,
            action="user.enable" if active else "user.disable",
            entity_type="user",
            entity_id=user.id,
            details={"email": user.email},
        )
    return user


def reset_password(
    session: Session,
    email: str,
    password: str | None = None,
    *,
    actor: str = "cli",
    actor_id: int | None = None,
) -> str:
    """Give the user a new password (random unless given) and return it; ends their sessions."""
    user = _require(session, email)
    password = password if password is not None else random_password()
    try:
        user.password_hash = hash_password(password)
    except WeakPasswordError as exc:
        raise UserError(str(exc)) from exc
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="user.reset_password",
        entity_type="user",
        entity_id=user.id,
        details={"email": user.email},
    )
    return password


def change_password(session: Session, user: UserRow, current: str, new: str) -> None:
    """The user changes their own password. Raises UserError on a wrong current password."""
    if not verify_password(user.password_hash, current):
        raise UserError("the current password is wrong")
    try:
        user.password_hash = hash_password(new)
    except WeakPasswordError as exc:
        raise UserError(str(exc)) from exc
    record(
        session,
        actor=user.email,
        actor_id=user.id,
        action="user.change_password",
        entity_type="user",
        entity_id=user.id,
    )


def set_language(session: Session, user: UserRow, language: str) -> None:
    """Set the user's interface language. Raises UserError for an unknown language."""
    if language not in LANGUAGES:
        raise UserError(f"unknown language {language!r}")
    user.language = language


def count_users(session: Session) -> int:
    """How many user accounts exist (active or not)."""
    return int(session.scalar(select(func.count()).select_from(UserRow)) or 0)


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The outcome of a login attempt: the user, or why not (``throttled``/``invalid``)."""

    user: UserRow | None
    reason: str | None = None


def authenticate(
    session: Session, email: str, password: str, *, address: str, policy: ThrottlePolicy
) -> LoginResult:
    """Check a login and record the attempt in the caller's transaction.

    Returns the user on success. A throttled e-mail or address is refused before the
    password is checked; unknown e-mail, wrong password and disabled account all give the
    same ``invalid`` answer (and take about the same time).
    """
    email = normalize_email(email)[:320]
    if is_throttled(session, policy, email=email, address=address):
        record_attempt(session, email=email, address=address, success=False)
        return LoginResult(None, "throttled")
    user = get_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        record_attempt(session, email=email, address=address, success=False)
        return LoginResult(None, "invalid")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_attempt(session, email=email, address=address, success=True)
    record(
        session,
        actor=user.email,
        actor_id=user.id,
        action="user.login",
        entity_type="user",
        entity_id=user.id,
    )
    return LoginResult(user)
