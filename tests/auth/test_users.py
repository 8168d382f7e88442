"""Accounts: creation rules, argon2 hashes, disabling, resets, login checks and throttling."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from monitor.auth.first_admin import ensure_first_admin
from monitor.auth.passwords import verify_password
from monitor.auth.throttle import ThrottlePolicy, record_attempt
from monitor.auth.users import (
    UserError,
    authenticate,
    change_password,
    create_user,
    reset_password,
    session_fingerprint,
    set_active,
)
from monitor.store.audit import AuditEventRow
from monitor.store.base import utcnow
from monitor.store.db import Database
from monitor.store.users import UserRow

POLICY = ThrottlePolicy(window=timedelta(minutes=15), max_per_email=3, max_per_address=5)


def _add(db: Database, email: str = "Siti@Kominfo.test", **fields: object) -> str:
    with db.transaction() as session:
        _, password = create_user(
            session,
            email=email,
            name=str(fields.pop("name", "Siti")),
            role=str(fields.pop("role", "central_reviewer")),
            **fields,  # type: ignore[arg-type]
        )
    return password


def test_a_new_user_gets_a_random_password_stored_only_as_argon2(db: Database) -> None:
    password = _add(db)
    with db.session() as session:
        user = session.scalar(select(UserRow))
        assert user is not None
        assert user.email == "siti@kominfo.test"
        assert user.password_hash.startswith("$argon2id$")
        assert password not in user.password_hash
        assert verify_password(user.password_hash, password)
        assert not verify_password(user.password_hash, password + "x")
        event = session.scalar(select(AuditEventRow).where(AuditEventRow.action == "user.create"))
        assert event is not None and password not in str(event.details)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "not-an-address"}, "not an e-mail"),
        ({"role": "superuser"}, "unknown role"),
        ({"role": "regional_officer"}, "needs a region"),
        ({"language": "fr"}, "unknown language"),
        ({"password": "short"}, "at least 10"),
    ],
)
def test_invalid_accounts_are_refused(
    db: Database, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(UserError, match=message):
        _add(db, **fields)  # type: ignore[arg-type]


def test_an_email_is_taken_whatever_its_case(db: Database) -> None:
    _add(db)
    with pytest.raises(UserError, match="already exists"):
        _add(db, email="SITI@kominfo.test")


def test_only_regional_officers_keep_a_region(db: Database) -> None:
    _add(db, email="a@x.test", role="analyst", region="Papua")
    _add(db, email="b@x.test", role="regional_officer", region=" Papua ")
    with db.session() as session:
        regions = dict(session.execute(select(UserRow.email, UserRow.region)).all())
    assert regions == {"a@x.test": None, "b@x.test": "Papua"}


def test_login_checks_password_and_active_flag_and_records_attempts(db: Database) -> None:
    password = _add(db)
    with db.transaction() as session:
        ok = authenticate(
            session, "SITI@kominfo.test ", password, address="10.0.0.1", policy=POLICY
        )
        assert ok.user is not None
        wrong = authenticate(
            session, "siti@kominfo.test", "nope", address="10.0.0.1", policy=POLICY
        )
        unknown = authenticate(session, "who@x.test", password, address="10.0.0.1", policy=POLICY)
        assert (wrong.user, wrong.reason) == (None, "invalid")
        assert (unknown.user, unknown.reason) == (None, "invalid")
    with db.transaction() as session:
        set_active(session, "siti@kominfo.test", False)
    with db.transaction() as session:
        disabled = authenticate(
            session, "siti@kominfo.test", password, address="10.0.0.2", policy=POLICY
        )
        assert (disabled.user, disabled.reason) == (None, "invalid")


def test_failed_logins_pause_the_email_and_then_the_address(db: Database) -> None:
    password = _add(db)
    with db.transaction() as session:
        for _ in range(3):
            authenticate(session, "siti@kominfo.test", "wrong", address="10.0.0.1", policy=POLICY)
        paused = authenticate(
            session, "siti@kominfo.test", password, address="10.0.0.9", policy=POLICY
        )
        assert paused.reason == "throttled"
        for name in ("a", "b", "c", "d"):
            authenticate(session, f"{name}@x.test", "wrong", address="10.0.0.7", policy=POLICY)
        other = authenticate(session, "other@x.test", "x", address="10.0.0.7", policy=POLICY)
        assert other.reason == "invalid"
        blocked = authenticate(session, "another@x.test", "x", address="10.0.0.7", policy=POLICY)
        assert blocked.reason == "throttled"


def test_old_failures_leave_the_window(db: Database) -> None:
    password = _add(db)
    with db.transaction() as session:
        for _ in range(3):
            record_attempt(
                session,
                email="siti@kominfo.test",
                address="10.0.0.1",
                success=False,
                at=utcnow() - timedelta(minutes=16),
            )
        assert authenticate(
            session, "siti@kominfo.test", password, address="10.0.0.1", policy=POLICY
        ).user


def test_a_reset_changes_the_password_and_the_session_fingerprint(db: Database) -> None:
    old = _add(db)
    with db.session() as session:
        user = session.scalar(select(UserRow))
        assert user is not None
        before = session_fingerprint(user)
    with db.transaction() as session:
        new = reset_password(session, "siti@kominfo.test")
    assert new != old
    with db.transaction() as session:
        user = session.scalar(select(UserRow))
        assert user is not None
        assert session_fingerprint(user) != before
        assert verify_password(user.password_hash, new)
        assert not verify_password(user.password_hash, old)
        with pytest.raises(UserError, match="current password"):
            change_password(session, user, "wrong-current", "another-long-password")
        change_password(session, user, new, "another-long-password")
    with pytest.raises(UserError, match="no user"), db.transaction() as session:
        reset_password(session, "nobody@x.test")


def test_the_first_admin_is_created_once_with_a_random_password(db: Database) -> None:
    with db.transaction() as session:
        created = ensure_first_admin(session)
    assert created is not None
    email, password = created
    with db.transaction() as session:
        assert ensure_first_admin(session) is None
        assert session.scalar(select(func.count()).select_from(UserRow)) == 1
        user = session.scalar(select(UserRow))
        assert user is not None and user.role == "admin" and user.email == email
        assert verify_password(user.password_hash, password)
    with db.transaction() as session:
        again = ensure_first_admin(session)
    assert again is None
