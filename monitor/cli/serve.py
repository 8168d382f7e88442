"""`pantau serve`: the review web app and API."""

from __future__ import annotations

from typing import Annotated

import typer

from monitor.auth.first_admin import ensure_first_admin
from monitor.cli.common import console, load_settings, open_database


def announce_first_admin(created: tuple[str, str] | None) -> None:
    """Print the first admin's login once, when it was just created."""
    if created is None:
        return
    email, password = created
    console.print("[bold]First administrator created.[/] Log in with (shown only once):")
    console.print(f"  e-mail:   {email}", highlight=False)
    console.print(f"  password: {password}", highlight=False)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the review web app and API until interrupted (Ctrl-C)."""
    # Imported here: the web stack takes a noticeable share of every command's start-up.
    from monitor.web.server import build_server
    from monitor.web.settings import web_settings

    settings = load_settings()
    db = open_database(settings)
    with db.transaction() as session:
        created = ensure_first_admin(session)
    announce_first_admin(created)
    web = web_settings(settings)
    host = host or web.host
    port = port if port is not None else web.port
    console.print(f"Pantau web app on http://{host}:{port}/ (Ctrl-C stops it)")
    build_server(settings, host, port, db).run()


def register(app: typer.Typer) -> None:
    """Add the `serve` command to ``app``."""
    app.command()(serve)
