"""Bring a store up to date: schema, declared sources and watchlists, the offline demo."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.config import Settings, SourceConfig, WatchlistConfig
from monitor.model.registry import newest_model
from monitor.pipeline.match import compile_watchlist_query
from monitor.pipeline.schedule import validate_cron
from monitor.store.audit import record
from monitor.store.db import Database
from monitor.store.models_registry import activate_model, active_model_version
from monitor.store.sources import SourceRow
from monitor.store.watchlists import WatchlistRow

log = logging.getLogger(__name__)

DEMO_STREAM = Path(__file__).parent / "demo" / "demo_stream.jsonl"
#: Clarifications issued before the demo stream starts; one of its claims resurfaces one.
DEMO_KNOWN_HOAXES = Path(__file__).parent / "demo" / "known_hoaxes.csv"
DEMO_SOURCE_NAME = "demo"
#: Ten posts every five seconds: cases open within the first minute of `make run`.
DEMO_BATCH_SIZE = 10
DEMO_INTERVAL_SECONDS = 5


@dataclass(frozen=True, slots=True)
class InitReport:
    """What :func:`initialise` did."""

    revision: str | None
    sources_added: int
    watchlists_added: int
    demo_seeded: bool
    demo_known_hoaxes: int = 0


def upsert_source(session: Session, declared: SourceConfig, actor: str) -> bool:
    """Create or update a source by name. Returns True when it was created."""
    if declared.cron:
        validate_cron(declared.cron)
    row = session.scalar(select(SourceRow).where(SourceRow.name == declared.name))
    created = row is None
    if row is None:
        row = SourceRow(name=declared.name, consecutive_failures=0)
        session.add(row)
    row.kind = declared.kind
    row.settings = dict(declared.settings)
    row.interval_seconds = declared.interval_seconds
    row.cron = declared.cron
    row.enabled = declared.enabled
    row.region = declared.region
    if created:
        session.flush()
        record(
            session,
            actor=actor,
            action="source.add",
            entity_type="source",
            entity_id=row.id,
            details={"name": row.name, "kind": row.kind},
        )
    return created


def upsert_watchlist(session: Session, declared: WatchlistConfig, actor: str) -> bool:
    """Create or update a watchlist by name after validating its query.

    Raises QuerySyntaxError (with the position) for a malformed query. Returns True when
    the watchlist was created.
    """
    compile_watchlist_query(declared.query)
    row = session.scalar(select(WatchlistRow).where(WatchlistRow.name == declared.name))
    created = row is None
    if row is None:
        row = WatchlistRow(name=declared.name, enabled=True)
        session.add(row)
    changed = created or row.query != declared.query or not row.enabled
    row.query = declared.query
    row.enabled = True
    row.topic = declared.topic
    row.region = declared.region
    if changed:
        session.flush()
        record(
            session,
            actor=actor,
            action="watchlist.save",
            entity_type="watchlist",
            entity_id=row.id,
            details={"name": row.name, "query": row.query},
        )
    return created


def demo_source() -> SourceConfig:
    """The bundled offline demo: the file source reading the demo stream at a steady pace."""
    return SourceConfig(
        name=DEMO_SOURCE_NAME,
        kind="file",
        settings={"path": str(DEMO_STREAM), "batch_size": DEMO_BATCH_SIZE},
        interval_seconds=DEMO_INTERVAL_SECONDS,
    )


def _activate_installed_model(session: Session, settings: Settings) -> None:
    """Record the newest installed model as active on a store that has none.

    Without a recorded activation a newly trained model would take over silently; after
    this, only `pantau model promote` changes the active model.
    """
    if active_model_version(session) is not None:
        return
    newest = newest_model(settings.models_dir)
    if newest is not None:
        activate_model(session, newest.version, "system", note="installed model at init")


def initialise(db: Database, settings: Settings) -> InitReport:
    """Create or upgrade the schema, sync pantau.toml, seed the demo. Harmless to repeat."""
    db.upgrade()
    sources_added = watchlists_added = 0
    demo_seeded = False
    with db.transaction() as session:
        for source in settings.sources:
            sources_added += upsert_source(session, source, "config")
        for watchlist in settings.watchlists:
            watchlists_added += upsert_watchlist(session, watchlist, "config")
        _activate_installed_model(session, settings)
        empty = not session.scalar(select(func.count()).select_from(SourceRow))
        known_added = 0
        if settings.seed_demo and empty and DEMO_STREAM.exists():
            upsert_source(session, demo_source(), "system")
            demo_seeded = True
            known_added = _seed_demo_known_hoaxes(session, settings)
    return InitReport(
        db.current_revision(), sources_added, watchlists_added, demo_seeded, known_added
    )


def _seed_demo_known_hoaxes(session: Session, settings: Settings) -> int:
    """Import the demo's archive of clarified hoaxes; returns how many were added.

    Without them the demo could not show a resurfacing hoax with its old clarification.
    """
    # Imported here: claim matching pulls in numpy, which plain `init` runs do not need.
    from monitor.claims.known import import_known_hoaxes, read_known_hoaxes
    from monitor.claims.settings import claim_settings

    if not DEMO_KNOWN_HOAXES.exists():
        return 0
    records = read_known_hoaxes(DEMO_KNOWN_HOAXES)
    result = import_known_hoaxes(session, records, claim_settings(settings), actor="system")
    return result.added
