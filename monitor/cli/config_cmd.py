"""`pantau config show`: the effective configuration, secrets masked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from monitor.cli.common import load_settings
from monitor.config import masked_settings, render_settings_docs, settings_reference

config_app = typer.Typer(help="Configuration.", no_args_is_help=True)


@config_app.command("show")
def show() -> None:
    """Print the effective configuration as JSON with every secret masked."""
    typer.echo(json.dumps(masked_settings(load_settings()), indent=2, ensure_ascii=False))


@config_app.command("docs")
def docs(
    write: Annotated[
        Path | None,
        typer.Option("--write", help="Update the settings tables in this Markdown file."),
    ] = None,
) -> None:
    """Print the Markdown reference of every setting, or write it into docs/configuration.md."""
    if write is None:
        typer.echo(settings_reference())
        return
    write.write_text(render_settings_docs(write.read_text(encoding="utf-8")), encoding="utf-8")
    typer.echo(f"updated {write}")


def register(app: typer.Typer) -> None:
    """Add the configuration commands to ``app``."""
    app.add_typer(config_app, name="config")
