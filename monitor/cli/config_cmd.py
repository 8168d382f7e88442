"""`pantau config show`: the effective configuration, secrets masked."""

from __future__ import annotations

import json

import typer

from monitor.cli.common import load_settings
from monitor.config import masked_settings, settings_reference

config_app = typer.Typer(help="Configuration.", no_args_is_help=True)


@config_app.command("show")
def show() -> None:
    """Print the effective configuration as JSON with every secret masked."""
    typer.echo(json.dumps(masked_settings(load_settings()), indent=2, ensure_ascii=False))


@config_app.command("docs")
def docs() -> None:
    """Print the Markdown reference of every setting (the source of docs/configuration.md)."""
    typer.echo(settings_reference())


def register(app: typer.Typer) -> None:
    """Add the configuration commands to ``app``."""
    app.add_typer(config_app, name="config")
