"""The `pantau` command. Each command group lives in its own module and registers here."""

from __future__ import annotations

import typer

from monitor.cli import cases, config_cmd, known, model, pipeline, serve, users, watchlists

app = typer.Typer(
    name="pantau",
    help="Pantau: hoax monitoring for Indonesian public-information offices.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

for command_group in (pipeline, cases, watchlists, known, model, users, serve, config_cmd):
    command_group.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
