"""`pantau user …` and `pantau token …` against a real store (in-process)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import typer
from sqlalchemy import select
from typer.testing import CliRunner

from monitor.auth.passwords import verify_password
from monitor.cli import users
from monitor.config import get_settings
from monitor.store.db import Database
from monitor.store.review import ApiTokenRow
from monitor.store.users import UserRow


@pytest.fixture
def pantau(db_url: str, db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """A `pantau` with the user commands, reading this test's store from the environment."""
    monkeypatch.setenv("PANTAU_DATABASE_URL", db_url)
    monkeypatch.setenv("PANTAU_CONFIG", os.devnull)
    get_settings.cache_clear()
    app = typer.Typer()
    users.register(app)
    yield app
    get_settings.cache_clear()


def _run(app: typer.Typer, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_user_add_prints_a_working_password_once(pantau: typer.Typer, db: Database) -> None:
    output = _run(
        pantau,
        "user",
        "add",
        "Humas@Sleman.test",
        "--role",
        "regional_officer",
        "--region",
        "Kabupaten Sleman",
    )
    password = output.strip().splitlines()[-1]
    with db.session() as session:
        user = session.scalar(select(UserRow))
        assert user is not None
        assert (user.email, user.role, user.region) == (
            "humas@sleman.test",
            "regional_officer",
            "Kabupaten Sleman",
        )
        assert verify_password(user.password_hash, password)
    assert "1 user(s)" in _run(pantau, "user", "list")


def test_user_add_refuses_bad_input_with_a_message(pantau: typer.Typer) -> None:
    result = CliRunner().invoke(pantau, ["user", "add", "x@y.test", "--role", "root"])
    assert result.exit_code == 1
    assert "unknown role" in result.output


def test_disable_and_reset_password(pantau: typer.Typer, db: Database) -> None:
    _run(pantau, "user", "add", "a@b.test", "--password-stdin", stdin="kata-sandi-awal-1\n")
    _run(pantau, "user", "disable", "a@b.test")
    with db.session() as session:
        assert session.scalar(select(UserRow.active)) is False
    _run(pantau, "user", "enable", "a@b.test")
    new = _run(pantau, "user", "reset-password", "a@b.test").strip().splitlines()[-1]
    with db.session() as session:
        user = session.scalar(select(UserRow))
        assert user is not None and user.active
        assert verify_password(user.password_hash, new)
        assert not verify_password(user.password_hash, "kata-sandi-awal-1")
    missing = CliRunner().invoke(pantau, ["user", "disable", "nobody@b.test"])
    assert missing.exit_code == 1 and "no user" in missing.output


def test_token_add_list_and_revoke(pantau: typer.Typer, db: Database) -> None:
    _run(pantau, "user", "add", "mitra@b.test", "--role", "analyst")
    token = (
        _run(pantau, "token", "add", "Mitra", "--user", "mitra@b.test", "--scope", "read")
        .strip()
        .splitlines()[-1]
    )
    assert token.startswith("pnt_")
    listed = _run(pantau, "token", "list")
    assert "mitra@b.test" in listed and token not in listed
    with db.session() as session:
        token_id = session.scalar(select(ApiTokenRow.id))
    _run(pantau, "token", "revoke", str(token_id))
    with db.session() as session:
        assert session.scalar(select(ApiTokenRow.revoked_at)) is not None
