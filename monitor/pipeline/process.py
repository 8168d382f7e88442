"""Process: normalize, match, score and flag one batch of newly ingested posts.

A batch is claimed, processed and marked ``processed`` in ONE transaction. On PostgreSQL
the claim is ``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent workers take disjoint
batches and a worker that dies mid-batch simply rolls back: its rows unlock and another
worker processes them. No post is scored twice (``scores`` is unique per post and model
version) and none is skipped.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from monitor.pipeline.flag import CaseCandidate, claim_key, flag_into_cases
from monitor.pipeline.match import ActiveWatchlist, WatchlistCache, match_watchlists
from monitor.pipeline.score import NoModelError, ScorerCache
from monitor.routing import route_region
from monitor.store.db import Database
from monitor.store.posts import (
    STAGE_FAILED,
    STAGE_NEW,
    STAGE_PROCESSED,
    NormalizedPostRow,
    PostRow,
    ScoreRow,
    WatchlistMatchRow,
)
from monitor.store.sources import SourceRow
from monitor.text import NORMALIZER_VERSION, normalize_many

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ProcessStats:
    """What processing did, in total and per source id."""

    processed: int = 0
    matched: int = 0
    flagged: int = 0
    cases_opened: int = 0
    flagged_by_source: Counter[int] = field(default_factory=Counter)
    processed_by_source: Counter[int] = field(default_factory=Counter)

    def add(self, other: ProcessStats) -> None:
        """Accumulate another batch's numbers into this one."""
        self.processed += other.processed
        self.matched += other.matched
        self.flagged += other.flagged
        self.cases_opened += other.cases_opened
        self.flagged_by_source.update(other.flagged_by_source)
        self.processed_by_source.update(other.processed_by_source)


class Processor:
    """Runs the processing stages with caches that live as long as the process."""

    def __init__(
        self,
        db: Database,
        *,
        models_dir: Path,
        batch_size: int,
        flag_threshold: float | None = None,
        flag_requires_watchlist: bool = True,
    ) -> None:
        self.db = db
        self.batch_size = batch_size
        self.flag_threshold = flag_threshold
        self.flag_requires_watchlist = flag_requires_watchlist
        self.scorers = ScorerCache(models_dir)
        self.watchlists = WatchlistCache()

    def _claim(self, session: Session) -> list[PostRow]:
        statement = (
            select(PostRow)
            .where(PostRow.stage == STAGE_NEW)
            .order_by(PostRow.id)
            .limit(self.batch_size)
        )
        if session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        return list(session.scalars(statement))

    def process_batch(self) -> ProcessStats:
        """Process one batch of new posts. Returns empty stats when there is nothing to do.

        If the batch fails as a whole, its posts are retried one by one so that a single
        poisonous post is marked ``failed`` (and logged) instead of blocking the queue.
        """
        try:
            with self.db.transaction() as session:
                posts = self._claim(session)
                if not posts:
                    return ProcessStats()
                return self._process(session, posts)
        except NoModelError:
            raise
        except Exception:
            log.exception("batch failed; retrying its posts one at a time")
        return self._process_one_by_one()

    def _process_one_by_one(self) -> ProcessStats:
        total = ProcessStats()
        with self.db.transaction() as session:
            ids = [post.id for post in self._claim(session)]
        for post_id in ids:
            try:
                with self.db.transaction() as session:
                    post = session.get(PostRow, post_id, with_for_update=True)
                    if post is not None and post.stage == STAGE_NEW:
                        total.add(self._process(session, [post]))
            except NoModelError:
                raise
            except Exception:
                log.exception("post %s cannot be processed; marked failed", post_id)
                with self.db.transaction() as session:
                    session.execute(
                        update(PostRow)
                        .where(PostRow.id == post_id, PostRow.stage == STAGE_NEW)
                        .values(stage=STAGE_FAILED)
                    )
        return total

    def process_all(self, max_batches: int | None = None) -> ProcessStats:
        """Process batches until no new post is left (or ``max_batches`` ran)."""
        total = ProcessStats()
        batches = 0
        while max_batches is None or batches < max_batches:
            stats = self.process_batch()
            if stats.processed == 0:
                break
            total.add(stats)
            batches += 1
        return total

    def _process(self, session: Session, posts: list[PostRow]) -> ProcessStats:
        scorer = self.scorers.get(session)
        threshold = self.flag_threshold if self.flag_threshold is not None else scorer.threshold
        watchlists = self.watchlists.load(session)
        texts = [post.text for post in posts]
        normalized = normalize_many(texts)
        matches = match_watchlists(normalized, watchlists)
        results = scorer.score_many(texts, normalized)
        regions = self._source_regions(session, {post.source_id for post in posts})

        stats = ProcessStats(processed=len(posts))
        norm_rows: list[dict[str, Any]] = []
        match_rows: list[dict[str, int]] = []
        score_rows: list[dict[str, Any]] = []
        candidates: list[CaseCandidate] = []
        for post, norm, matched, result in zip(posts, normalized, matches, results, strict=True):
            key = claim_key(norm.tokens)
            norm_rows.append(
                {
                    "post_id": post.id,
                    "text": norm.text,
                    "language": norm.language,
                    "language_confidence": norm.language_confidence,
                    "features": dict(norm.features),
                    "normalizer_version": NORMALIZER_VERSION,
                    "claim_key": key,
                }
            )
            match_rows.extend({"post_id": post.id, "watchlist_id": w.id} for w in matched)
            score_rows.append(
                {
                    "post_id": post.id,
                    "model_version": scorer.version,
                    "probability": result.probability,
                    "label": result.label,
                    "explanation": result.explanation.to_json(),
                }
            )
            flagged = result.probability >= threshold and self._relevant(matched, watchlists)
            stats.matched += bool(matched)
            stats.processed_by_source[post.source_id] += 1
            if flagged:
                stats.flagged += 1
                stats.flagged_by_source[post.source_id] += 1
            candidates.append(
                CaseCandidate(
                    post_id=post.id,
                    claim_key=key,
                    flagged=flagged,
                    text=post.text,
                    topic=next((w.topic for w in matched if w.topic), None),
                    # Places named in the text win; then the watchlist's, then the source's.
                    region=route_region(
                        [post.text],
                        next((w.region for w in matched if w.region), None)
                        or regions.get(post.source_id),
                    ),
                    seen_at=post.published_at or post.fetched_at,
                    tokens=norm.tokens,
                )
            )
            post.language = norm.language

        session.execute(insert(NormalizedPostRow), norm_rows)
        if match_rows:
            session.execute(insert(WatchlistMatchRow), match_rows)
        session.execute(insert(ScoreRow), score_rows)
        stats.cases_opened = flag_into_cases(session, candidates).opened
        session.execute(
            update(PostRow)
            .where(PostRow.id.in_([post.id for post in posts]))
            .values(stage=STAGE_PROCESSED)
        )
        return stats

    def _relevant(self, matched: list[ActiveWatchlist], watchlists: list[ActiveWatchlist]) -> bool:
        """A post counts for flagging when it matches a watchlist (if any are configured)."""
        return bool(matched) or not (self.flag_requires_watchlist and watchlists)

    @staticmethod
    def _source_regions(session: Session, source_ids: set[int]) -> dict[int, str]:
        rows = session.execute(
            select(SourceRow.id, SourceRow.region).where(SourceRow.id.in_(source_ids))
        ).all()
        return {source_id: region for source_id, region in rows if region}
