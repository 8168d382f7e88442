"""Rich renderings shared by commands: the per-source run summary."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from monitor.runtime import SourceSummary


def summary_table(summaries: Sequence[SourceSummary], title: str = "Pantau") -> Table:
    """A table with one row per source: fetches, posts fetched and new, flagged, errors."""
    table = Table(title=title, title_justify="left")
    table.add_column("source")
    for column in ("fetches", "fetched", "new", "flagged", "errors"):
        table.add_column(column, justify="right")
    table.add_column("last error", overflow="fold", max_width=60)
    for s in summaries:
        table.add_row(
            s.name,
            str(s.fetches),
            str(s.fetched),
            str(s.new),
            str(s.flagged),
            str(s.errors),
            s.last_error or "",
        )
    return table
