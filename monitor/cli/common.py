"""Helpers shared by the command modules: settings, logging, the store, errors."""

from __future__ import annotations

import logging
import sys
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console

from monitor.config import Settings, get_settings
from monitor.store.db import Database

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` to stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def load_settings() -> Settings:
    """The effective settings; a bad value is a clear error, not a traceback."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        fail(f"invalid configuration:\n{exc}")
    configure_logging(settings.log_level)
    return settings


def configure_logging(level: str) -> None:
    """Plain, timestamped log lines on stderr."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger("monitor").setLevel(level)


def open_database(settings: Settings) -> Database:
    """The store, which must already be initialised (`pantau init`)."""
    db = Database(settings.database_url_plain)
    if db.current_revision() is None:
        fail("the database is not initialised; run `pantau init` first")
    return db
