"""The `pantau` command. Each command group lives in its own module and registers here."""

from __future__ import annotations

import typer

from monitor.cli import cases, config_cmd, pipeline, watchlists

app = typer.Typer(
    name="pantau",
    help="Pantau: hoax monitoring for Indonesian public-information offices.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

pipeline.register(app)
cases.register(app)
watchlists.register(app)
config_cmd.register(app)

try:  # the model commands arrive with the classifier package
    from monitor.cli import model as model_commands
except ImportError:  # pragma: no cover - only while the package is incomplete
    model_commands = None  # type: ignore[assignment]
if model_commands is not None:
    model_commands.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
