"""Builders for the claims tests: stored posts and the candidates the flag step receives."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from monitor.pipeline.flag import CaseCandidate, claim_key
from monitor.pipeline.ingest import ingest
from monitor.store.db import Database
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow
from monitor.text import normalize
from tests.factories import add_source, post

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def store_posts(
    db: Database,
    texts: Sequence[str],
    *,
    source: str = "feed",
    probability: float = 0.9,
    start: datetime = START,
    step: timedelta = timedelta(minutes=10),
    shares: int = 5,
    authors: Sequence[str] | None = None,
) -> list[int]:
    """Store posts (published ``step`` apart) with a score and a normalized row; their ids."""
    source_id = add_source(db, name=source)
    with db.transaction() as session:
        ingest(
            session,
            source_id,
            [
                post(
                    f"{source}-{i}",
                    text,
                    published_at=start + i * step,
                    shares=shares,
                    author=authors[i] if authors else f"user{i}",
                )
                for i, text in enumerate(texts)
            ],
            max_chars=10_000,
        )
        rows = list(
            session.scalars(
                select(PostRow).where(PostRow.source_id == source_id).order_by(PostRow.id)
            )
        )
        for row in rows:
            norm = normalize(row.text)
            session.add(
                ScoreRow(
                    post_id=row.id,
                    model_version="t",
                    probability=probability,
                    label="hoax",
                    explanation={},
                )
            )
            session.add(
                NormalizedPostRow(
                    post_id=row.id,
                    text=norm.text,
                    language="id",
                    language_confidence=1.0,
                    features={},
                    normalizer_version="t",
                    claim_key=claim_key(norm.tokens),
                )
            )
        return [row.id for row in rows]


def candidates(
    db: Database, ids: Sequence[int], *, flagged: bool = True, topic: str | None = None
) -> list[CaseCandidate]:
    """The flag step's view of stored posts."""
    with db.session() as session:
        rows = {row.id: row for row in session.scalars(select(PostRow).where(PostRow.id.in_(ids)))}
    out = []
    for post_id in ids:
        row = rows[post_id]
        tokens = normalize(row.text).tokens
        out.append(
            CaseCandidate(
                post_id=post_id,
                claim_key=claim_key(tokens),
                flagged=flagged,
                text=row.text,
                topic=topic,
                region=None,
                seen_at=row.published_at or row.fetched_at,
                tokens=tokens,
            )
        )
    return out
