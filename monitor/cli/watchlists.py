"""`pantau watchlist add|list|remove`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from monitor.bootstrap import upsert_watchlist
from monitor.cli.common import console, fail, load_settings, open_database
from monitor.config import WatchlistConfig
from monitor.store.audit import record
from monitor.store.watchlists import WatchlistRow
from monitor.watchlists.query import QuerySyntaxError

watchlist_app = typer.Typer(help="Boolean keyword watchlists.", no_args_is_help=True)


@watchlist_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="Unique name.")],
    query: Annotated[str, typer.Argument(help="e.g. 'banjir AND (jakarta OR bekasi) -promo'")],
    topic: Annotated[str | None, typer.Option(help="Topic of the watchlist.")] = None,
    region: Annotated[str | None, typer.Option(help="Region it is about.")] = None,
) -> None:
    """Add a watchlist, or replace the query of an existing one with the same name."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.transaction() as session:
            created = upsert_watchlist(
                session, WatchlistConfig(name=name, query=query, topic=topic, region=region), "cli"
            )
    except QuerySyntaxError as exc:
        fail(f"invalid query:\n{exc}")
    console.print(f"{'Added' if created else 'Updated'} watchlist {name!r}.")


@watchlist_app.command("list")
def list_watchlists() -> None:
    """All watchlists."""
    settings = load_settings()
    db = open_database(settings)
    with db.session() as session:
        rows = list(session.scalars(select(WatchlistRow).order_by(WatchlistRow.name)))
    table = Table(title=f"{len(rows)} watchlist(s)", title_justify="left")
    for column in ("id", "name", "query", "topic", "region", "enabled"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.id),
            row.name,
            row.query,
            row.topic or "",
            row.region or "",
            "yes" if row.enabled else "no",
        )
    console.print(table)


@watchlist_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="Name of the watchlist.")]) -> None:
    """Disable a watchlist (its past matches stay for the record)."""
    settings = load_settings()
    db = open_database(settings)
    with db.transaction() as session:
        row = session.scalar(select(WatchlistRow).where(WatchlistRow.name == name))
        if row is None:
            fail(f"no watchlist named {name!r}")
        row.enabled = False
        record(
            session,
            actor="cli",
            action="watchlist.remove",
            entity_type="watchlist",
            entity_id=row.id,
            details={"name": name},
        )
    console.print(f"Removed watchlist {name!r}.")


def register(app: typer.Typer) -> None:
    """Add the watchlist commands to ``app``."""
    app.add_typer(watchlist_app, name="watchlist")
