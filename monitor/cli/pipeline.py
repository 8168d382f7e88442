"""Commands that run the pipeline: init, run, worker, import."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.live import Live

from monitor.auth.first_admin import ensure_first_admin
from monitor.bootstrap import initialise
from monitor.cli.common import console, fail, load_settings, open_database
from monitor.cli.display import summary_table
from monitor.cli.serve import announce_first_admin
from monitor.config import Settings
from monitor.pipeline.importer import import_file
from monitor.pipeline.score import NoModelError
from monitor.runtime import Runtime
from monitor.scheduler import build_scheduler
from monitor.sources import SourceError
from monitor.store.db import Database
from monitor.watchlists.query import QuerySyntaxError
from monitor.worker import work


def _stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask for a graceful stop: the current batch finishes first."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def init() -> None:
    """Create or upgrade the database schema and sync pantau.toml. Harmless to run twice."""
    settings = load_settings()
    db = Database(settings.database_url_plain)
    try:
        report = initialise(db, settings)
        with db.transaction() as session:
            first_admin = ensure_first_admin(session)
    except (QuerySyntaxError, ValueError) as exc:
        fail(f"pantau.toml: {exc}")
    finally:
        db.dispose()
    console.print(f"Database ready at schema revision {report.revision}.")
    if report.sources_added or report.watchlists_added:
        console.print(
            f"Added {report.sources_added} source(s) and {report.watchlists_added} "
            "watchlist(s) from the configuration."
        )
    if report.demo_seeded:
        console.print(
            "Added the offline demo source 'demo' (bundled demo stream) and "
            f"{report.demo_known_hoaxes} known clarified hoax(es) from the demo archive."
        )
    announce_first_admin(first_admin)


def _run_once(runtime: Runtime) -> None:
    for source in runtime.enabled_sources():
        runtime.fetch(source.id, when="now")
    runtime.process()
    console.print(summary_table(runtime.snapshot(), title="Pantau: one cycle"))
    totals = runtime.totals
    console.print(
        f"processed {totals.processed} post(s), flagged {totals.flagged}, "
        f"opened {totals.cases_opened} case(s)"
    )


def _start_web(settings: Settings, runtime: Runtime) -> Callable[[], None] | None:
    """Serve the review app beside the scheduler; a busy port is reported, not fatal."""
    from monitor.web.server import serve_in_thread  # the web stack: only when serving

    host, port = settings.web.host, settings.web.port
    try:
        _thread, stop = serve_in_thread(settings, host, port, runtime.db)
    except (RuntimeError, OSError) as exc:
        console.print(f"[yellow]web app not started:[/] {exc}", highlight=False)
        return None
    console.print(f"Review web app: http://{host}:{port}/", highlight=False)
    return stop


def run(
    once: Annotated[bool, typer.Option("--once", help="Run every source once and exit.")] = False,
    live: Annotated[
        bool, typer.Option("--live/--no-live", help="Redraw the summary in place.")
    ] = True,
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Also serve the review web app.")
    ] = True,
) -> None:
    """Run the monitor: fetch every enabled source on its schedule and process new posts.

    Stops on Ctrl-C or SIGTERM after finishing the current batch.
    """
    settings = load_settings()
    runtime = Runtime(settings, open_database(settings))
    try:
        if once:
            _run_once(runtime)
            return
        stop = threading.Event()
        _stop_on_signals(stop)
        scheduler = build_scheduler(runtime)
        scheduler.start()
        stop_web = _start_web(settings, runtime) if serve else None
        console.print("Pantau is running. Press Ctrl-C to stop.")
        try:
            if live and console.is_terminal:
                with Live(summary_table(runtime.snapshot()), console=console) as view:
                    while not stop.wait(1.0):
                        view.update(summary_table(runtime.snapshot()))
            else:
                last = 0.0
                while not stop.wait(1.0):
                    if time.monotonic() - last >= 30:
                        console.print(summary_table(runtime.snapshot()))
                        last = time.monotonic()
        finally:
            console.print("Stopping: finishing the current batch…")
            if stop_web is not None:
                stop_web()
            scheduler.shutdown(wait=True)
        console.print(summary_table(runtime.snapshot(), title="Pantau: stopped"))
    except NoModelError as exc:
        fail(str(exc))
    finally:
        runtime.close()


def worker(
    exit_when_idle: Annotated[
        bool, typer.Option("--exit-when-idle", help="Exit once no work is left.")
    ] = False,
) -> None:
    """Claim and run work from the shared database (scale-out: run any number of these)."""
    settings = load_settings()
    runtime = Runtime(settings, open_database(settings))
    stop = threading.Event()
    _stop_on_signals(stop)
    try:
        work(runtime, stop, exit_when_idle=exit_when_idle)
    except NoModelError as exc:
        fail(str(exc))
    finally:
        runtime.close()
    console.print(summary_table(runtime.snapshot(), title=f"worker {runtime.owner}"))


def import_command(
    path: Annotated[Path, typer.Argument(help="A JSONL or CSV file of posts.")],
    source: Annotated[str, typer.Option(help="Source name to file the posts under.")] = "import",
    process: Annotated[bool, typer.Option(help="Score and flag right away.")] = True,
) -> None:
    """Ingest a JSONL/CSV file once; bad lines are reported with their line numbers."""
    settings = load_settings()
    if not path.is_file():
        fail(f"no such file: {path}")
    db = open_database(settings)
    try:
        report = import_file(db, path, source, max_chars=settings.max_post_chars)
    except SourceError as exc:
        fail(str(exc))
    for problem in report.problems:
        console.print(f"[yellow]skipped[/] {problem}", highlight=False)
    console.print(
        f"{report.received} post(s) read, {report.new} new, {report.duplicates} already "
        f"stored, {len(report.problems)} problem(s)."
    )
    if process:
        runtime = Runtime(settings, db)
        try:
            stats = runtime.process()
        except NoModelError as exc:
            fail(str(exc))
        finally:
            runtime.close()
        console.print(f"processed {stats.processed}, flagged {stats.flagged}.")


def register(app: typer.Typer) -> None:
    """Add the pipeline commands to ``app``."""
    app.command()(init)
    app.command()(run)
    app.command()(worker)
    app.command("import")(import_command)
