"""Watchlist matching: which watchlists each normalized post satisfies."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.store.watchlists import WatchlistRow
from monitor.text import NormalizedText, normalize
from monitor.watchlists.query import CompiledQuery, QuerySyntaxError, compile_query

log = logging.getLogger(__name__)


def query_tokens(term: str) -> tuple[str, ...]:
    """Normalize a query term exactly as post text is normalized (one code path)."""
    return normalize(term).tokens


def compile_watchlist_query(query: str) -> CompiledQuery:
    """Compile ``query`` against the post normalizer; raises QuerySyntaxError with a position."""
    return compile_query(query, query_tokens)


@dataclass(frozen=True, slots=True)
class ActiveWatchlist:
    """A watchlist ready to match."""

    id: int
    name: str
    topic: str | None
    region: str | None
    query: CompiledQuery


class WatchlistCache:
    """Compiled watchlists, recompiled only when a query text changes."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[int, str], CompiledQuery] = {}

    def load(self, session: Session) -> list[ActiveWatchlist]:
        """The enabled watchlists; a stored query that no longer compiles is logged and skipped."""
        active: list[ActiveWatchlist] = []
        rows = session.scalars(select(WatchlistRow).where(WatchlistRow.enabled.is_(True)))
        for row in rows:
            key = (row.id, row.query)
            compiled = self._compiled.get(key)
            if compiled is None:
                try:
                    compiled = compile_watchlist_query(row.query)
                except QuerySyntaxError as exc:
                    log.error("watchlist %s has an invalid query: %s", row.name, exc)
                    continue
                self._compiled[key] = compiled
            active.append(ActiveWatchlist(row.id, row.name, row.topic, row.region, compiled))
        return active


def match_watchlists(
    normalized: Sequence[NormalizedText], watchlists: Sequence[ActiveWatchlist]
) -> list[list[ActiveWatchlist]]:
    """For each post (in order), the watchlists it matches."""
    return [[w for w in watchlists if w.query.matches(item.tokens)] for item in normalized]
