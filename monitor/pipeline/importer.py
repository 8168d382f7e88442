"""One-off import of a JSONL/CSV file of posts, through the regular file connector."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from monitor.bootstrap import upsert_source
from monitor.config import SourceConfig
from monitor.pipeline.ingest import IngestStats, ingest
from monitor.sources import build_source
from monitor.store.db import Database
from monitor.store.sources import SourceRow

#: Rows read per transaction: bounds memory on large files.
IMPORT_CHUNK = 5_000


@dataclass(slots=True)
class ImportReport:
    """Totals of one import."""

    received: int = 0
    new: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Rows already stored before the import."""
        return self.received - self.new


def import_file(db: Database, path: Path, source_name: str, *, max_chars: int) -> ImportReport:
    """Ingest every post of ``path`` under the (disabled, manual) source ``source_name``.

    Bad lines are skipped and reported with their line numbers; running the same import
    twice stores nothing new. Raises SourceError for an unreadable file.
    """
    config = SourceConfig(
        name=source_name,
        kind="file",
        settings={"path": str(path.resolve()), "batch_size": IMPORT_CHUNK},
        interval_seconds=None,
        enabled=False,
    )
    with db.transaction() as session:
        upsert_source(session, config, "cli")
        source_id = session.scalar(select(SourceRow.id).where(SourceRow.name == source_name))
    assert source_id is not None  # just upserted
    connector = build_source("file", config.settings)
    report = ImportReport()
    cursor: str | None = None
    while True:
        result = connector.fetch(cursor)
        with db.transaction() as session:
            stats: IngestStats = ingest(session, source_id, result.posts, max_chars=max_chars)
        report.received += stats.received
        report.new += stats.new
        report.problems.extend(result.problems)
        cursor = result.cursor
        if result.exhausted:
            return report
