"""`pantau user add|list|disable|enable|reset-password` and `pantau token add|list|revoke`.

Passwords and tokens are printed once, to stdout, and never logged.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from monitor.auth.tokens import TokenError, create_token, list_tokens, revoke_token
from monitor.auth.users import UserError, create_user, get_user_by_email, reset_password, set_active
from monitor.cli.common import console, fail, load_settings, open_database
from monitor.store.db import Database
from monitor.store.review import TOKEN_SCOPES
from monitor.store.users import ROLES, UserRow

user_app = typer.Typer(help="Accounts of the review web app.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens (partner offices, integrations).", no_args_is_help=True)


@contextmanager
def _store() -> Iterator[Database]:
    """The initialised store, disposed of when the command is done."""
    db = open_database(load_settings())
    try:
        yield db
    finally:
        db.dispose()


def _read_password(from_stdin: bool) -> str | None:
    """The password given on stdin (first line), or None to generate one."""
    if not from_stdin:
        return None
    return sys.stdin.readline().rstrip("\r\n")


@user_app.command("add")
def add_user(
    email: Annotated[str, typer.Argument(help="Login e-mail address.")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(ROLES)}.")] = "central_reviewer",
    name: Annotated[str, typer.Option(help="Display name (default: the e-mail).")] = "",
    region: Annotated[
        str | None, typer.Option(help="Province or regency of a regional officer.")
    ] = None,
    language: Annotated[str, typer.Option(help="Interface language: id or en.")] = "id",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create an account and print its password once (generated unless given on stdin)."""
    try:
        with _store() as db, db.transaction() as session:
            user, password = create_user(
                session,
                email=email,
                name=name,
                role=role,
                region=region,
                language=language,
                password=_read_password(password_stdin),
            )
            created = user.email
    except UserError as exc:
        fail(str(exc))
    console.print(f"Created {role} {created}.")
    if not password_stdin:
        console.print("Password (shown once):", highlight=False)
        typer.echo(password)


@user_app.command("list")
def list_users() -> None:
    """Every account with its role, region and state."""
    with _store() as db, db.session() as session:
        rows = list(session.scalars(select(UserRow).order_by(UserRow.email)))
    table = Table(title=f"{len(rows)} user(s)", title_justify="left")
    for column in ("id", "email", "name", "role", "region", "language", "active"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.id),
            row.email,
            row.name,
            row.role,
            row.region or "",
            row.language,
            "yes" if row.active else "no",
        )
    console.print(table)


def _set_active(email: str, active: bool) -> None:
    try:
        with _store() as db, db.transaction() as session:
            set_active(session, email, active)
    except UserError as exc:
        fail(str(exc))
    console.print(f"{'Enabled' if active else 'Disabled'} {email}.")


@user_app.command("disable")
def disable_user(email: Annotated[str, typer.Argument(help="The account's e-mail.")]) -> None:
    """Disable an account: its sessions and API tokens stop working at once."""
    _set_active(email, False)


@user_app.command("enable")
def enable_user(email: Annotated[str, typer.Argument(help="The account's e-mail.")]) -> None:
    """Enable a disabled account again."""
    _set_active(email, True)


@user_app.command("reset-password")
def reset(
    email: Annotated[str, typer.Argument(help="The account's e-mail.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the new password from stdin.")
    ] = False,
) -> None:
    """Give an account a new password (printed once unless given) and end its sessions."""
    try:
        with _store() as db, db.transaction() as session:
            password = reset_password(session, email, _read_password(password_stdin))
    except UserError as exc:
        fail(str(exc))
    console.print(f"New password set for {email}.")
    if not password_stdin:
        console.print("Password (shown once):", highlight=False)
        typer.echo(password)


@token_app.command("add")
def add_token(
    name: Annotated[str, typer.Argument(help="What the token is for, e.g. 'Diskominfo Sleman'.")],
    user: Annotated[str, typer.Option("--user", help="E-mail of the owner (acts with its role).")],
    scope: Annotated[
        list[str], typer.Option("--scope", help=f"Repeatable: {', '.join(TOKEN_SCOPES)}.")
    ],
) -> None:
    """Create an API token and print it once."""
    try:
        with _store() as db, db.transaction() as session:
            owner = get_user_by_email(session, user)
            if owner is None:
                fail(f"no user with e-mail {user}")
            row, token = create_token(session, user=owner, name=name, scopes=scope, actor="cli")
            token_id = row.id
    except TokenError as exc:
        fail(str(exc))
    console.print(f"Created token {token_id} ({', '.join(sorted(set(scope)))}). Shown once:")
    typer.echo(token)


@token_app.command("list")
def list_token_rows() -> None:
    """Every token: name, owner, scopes, last use (never the secret)."""
    with _store() as db, db.session() as session:
        rows = list_tokens(session)
    table = Table(title=f"{len(rows)} token(s)", title_justify="left")
    for column in ("id", "name", "prefix", "owner", "scopes", "last used", "revoked"):
        table.add_column(column, overflow="fold")
    for row, email in rows:
        table.add_row(
            str(row.id),
            row.name,
            f"pnt_{row.prefix}_…",
            email,
            ",".join(row.scopes),
            row.last_used_at.isoformat(timespec="seconds") if row.last_used_at else "",
            row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else "",
        )
    console.print(table)


@token_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `token list`).")],
) -> None:
    """Revoke a token."""
    try:
        with _store() as db, db.transaction() as session:
            revoke_token(session, token_id, actor="cli")
    except TokenError as exc:
        fail(str(exc))
    console.print(f"Revoked token {token_id}.")


def register(app: typer.Typer) -> None:
    """Add the `user` and `token` command groups to ``app``."""
    app.add_typer(user_app, name="user")
    app.add_typer(token_app, name="token")
