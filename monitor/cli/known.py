"""`pantau known import|list`: the table of hoaxes already clarified."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import func, select

from monitor.claims.known import KnownHoaxFileError, import_known_hoaxes, read_known_hoaxes
from monitor.claims.settings import claim_settings
from monitor.cli.common import console, fail, load_settings, open_database
from monitor.store.claims import KnownHoaxMatchRow, KnownHoaxRow

known_app = typer.Typer(
    help="Known hoaxes: clarified claims matched against every new case.", no_args_is_help=True
)


@known_app.command("import")
def import_file(
    path: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A .csv (with header) or .jsonl file."
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="csv or jsonl (default: from the file name)."),
    ] = None,
) -> None:
    """Add or update known hoaxes from a file.

    Columns (CSV header or JSON keys): claim, verdict, clarification, clarified_on
    (YYYY-MM-DD) required; hoax_category, clarification_url, issuing_office optional. A row
    with the same claim text as a stored one updates it. Nothing is imported if any row is
    invalid.
    """
    settings = load_settings()
    try:
        records = read_known_hoaxes(path, fmt)
    except KnownHoaxFileError as exc:
        fail(f"{path}: nothing imported\n" + "\n".join(exc.errors))
    except (ValueError, UnicodeDecodeError) as exc:
        fail(f"{path}: {exc}")
    db = open_database(settings)
    try:
        with db.transaction() as session:
            result = import_known_hoaxes(session, records, claim_settings(settings), actor="cli")
    finally:
        db.dispose()
    console.print(
        f"Known hoaxes from {path.name}: {result.added} added, {result.updated} updated, "
        f"{result.unchanged} unchanged; {result.resurfaced} stored case(s) resurface one."
    )


@known_app.command("list")
def list_known(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many, newest first.")] = 50,
) -> None:
    """Known hoaxes, newest clarification first, with how many cases resurfaced each."""
    settings = load_settings()
    db = open_database(settings)
    try:
        with db.session() as session:
            total = session.scalar(select(func.count()).select_from(KnownHoaxRow)) or 0
            matches = (
                select(KnownHoaxMatchRow.known_hoax_id, func.count().label("cases"))
                .group_by(KnownHoaxMatchRow.known_hoax_id)
                .subquery()
            )
            rows = session.execute(
                select(KnownHoaxRow, func.coalesce(matches.c.cases, 0))
                .outerjoin(matches, matches.c.known_hoax_id == KnownHoaxRow.id)
                .order_by(KnownHoaxRow.clarified_at.desc(), KnownHoaxRow.id.desc())
                .limit(limit)
            ).all()
    finally:
        db.dispose()
    table = Table(title=f"{len(rows)} of {total} known hoax(es)", title_justify="left")
    for column in ("id", "clarified", "verdict", "category", "office", "cases", "claim", "url"):
        table.add_column(column, overflow="fold")
    for hoax, cases in rows:
        table.add_row(
            str(hoax.id),
            hoax.clarified_at.date().isoformat(),
            hoax.verdict,
            hoax.hoax_category or "",
            hoax.issuing_office or "",
            str(cases),
            hoax.claim,
            hoax.clarification_url or "",
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the ``known`` command group to ``app``."""
    app.add_typer(known_app, name="known")
