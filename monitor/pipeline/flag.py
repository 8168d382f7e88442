"""Flag: open cases for flagged posts and group posts that repeat one claim.

A post's *claim key* hashes its content words after normalization, as a set: reordering,
repeated words, emoji, links, mentions and hashtags do not change it, so copies of one
message (exact or near-exact after normalization) land in one case. The clustering issue
adds fuzzy near-duplicate matching on top of this.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.pipeline.priority import case_priority
from monitor.store.audit import record
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.posts import PostRow, ScoreRow

#: Fewer content words than this and a post is too short to stand for a claim by its words
#: alone (e.g. "hoaks!!"): its key then also covers its exact normalized text.
_MIN_CLAIM_WORDS = 3
_TITLE_CHARS = 200


def _is_content_token(token: str) -> bool:
    return token.isalnum() or ("-" in token and token.replace("-", "").isalnum())


def claim_key(tokens: Sequence[str]) -> str:
    """A stable key shared by posts that say the same thing in the same words."""
    words = sorted({t for t in tokens if _is_content_token(t)})
    basis = " ".join(words)
    if len(words) < _MIN_CLAIM_WORDS:
        basis = "short:" + " ".join(tokens)
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CaseCandidate:
    """A processed post as the flag step sees it."""

    post_id: int
    claim_key: str
    flagged: bool
    text: str
    topic: str | None
    region: str | None
    seen_at: datetime


@dataclass(frozen=True, slots=True)
class FlagStats:
    """What one flag call did."""

    opened: int
    joined: int


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (both backends support it)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _open_cases(session: Session, candidates: Sequence[CaseCandidate], known: set[str]) -> int:
    """Insert one case per new flagged claim; concurrent workers share the unique key."""
    fresh: dict[str, CaseCandidate] = {}
    for item in candidates:
        if item.flagged and item.claim_key not in known:
            fresh.setdefault(item.claim_key, item)
    if not fresh:
        return 0
    rows = [
        {
            "claim_key": key,
            "title": item.text[:_TITLE_CHARS],
            "status": "new",
            "first_seen_at": item.seen_at,
            "last_seen_at": item.seen_at,
            "topic": item.topic,
            "region": item.region,
        }
        for key, item in fresh.items()
    ]
    statement = (
        _insert(session)(CaseRow)
        .on_conflict_do_nothing(index_elements=["claim_key"])
        .returning(CaseRow.id, CaseRow.claim_key)
    )
    opened = session.execute(statement, rows).all()
    for case_id, key in opened:
        record(
            session,
            actor="system",
            action="case.open",
            entity_type="case",
            entity_id=case_id,
            details={"claim_key": key, "first_post_id": fresh[key].post_id},
        )
    return len(opened)


def _refresh_aggregates(session: Session, case_ids: Sequence[int]) -> None:
    """Recompute counts, reach, time span, strongest score and priority from the members."""
    members = (
        select(
            CasePostRow.case_id,
            func.count(PostRow.id),
            func.coalesce(func.sum(PostRow.likes + PostRow.shares + PostRow.comments), 0),
            func.min(func.coalesce(PostRow.published_at, PostRow.fetched_at)),
            func.max(func.coalesce(PostRow.published_at, PostRow.fetched_at)),
            func.count(func.distinct(PostRow.author)),
            func.count(func.distinct(PostRow.source_id)),
        )
        .join(PostRow, PostRow.id == CasePostRow.post_id)
        .where(CasePostRow.case_id.in_(case_ids))
        .group_by(CasePostRow.case_id)
    )
    strongest = dict(
        session.execute(
            select(CasePostRow.case_id, func.max(ScoreRow.probability))
            .join(ScoreRow, ScoreRow.post_id == CasePostRow.post_id)
            .where(CasePostRow.case_id.in_(case_ids))
            .group_by(CasePostRow.case_id)
        ).all()
    )
    for case_id, count, engagement, first, last, authors, sources in session.execute(
        members
    ).all():
        probability = float(strongest.get(case_id) or 0.0)
        session.execute(
            update(CaseRow)
            .where(CaseRow.id == case_id)
            .values(
                post_count=count,
                engagement=int(engagement),
                first_seen_at=_as_utc(first),
                last_seen_at=_as_utc(last),
                author_count=authors,
                source_count=sources,
                max_probability=probability,
                priority=case_priority(probability, int(engagement), count),
                priority_parts={
                    "probability": probability,
                    "engagement": int(engagement),
                    "posts": count,
                },
            )
        )


def _as_utc(value: datetime) -> datetime:
    """Aggregates bypass the column type on SQLite and come back naive: they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def flag_into_cases(session: Session, candidates: Sequence[CaseCandidate]) -> FlagStats:
    """Open a case per new flagged claim and add every post of a known claim to its case.

    A flagged post whose claim has no case opens one; any post (flagged or not) whose claim
    already has a case joins it, since a copy with a lower score is still the same claim.
    Idempotent per post (a post belongs to at most one case). Runs in the caller's
    transaction.
    """
    if not candidates:
        return FlagStats(0, 0)
    keys = {item.claim_key for item in candidates}
    existing = set(session.scalars(select(CaseRow.claim_key).where(CaseRow.claim_key.in_(keys))))
    opened = _open_cases(session, candidates, existing)
    case_ids = dict(
        session.execute(
            select(CaseRow.claim_key, CaseRow.id).where(CaseRow.claim_key.in_(keys))
        ).all()
    )
    links = [
        {"post_id": item.post_id, "case_id": case_ids[item.claim_key]}
        for item in candidates
        if item.claim_key in case_ids
    ]
    if not links:
        return FlagStats(opened, 0)
    statement = (
        _insert(session)(CasePostRow)
        .on_conflict_do_nothing(index_elements=["post_id"])
        .returning(CasePostRow.case_id)
    )
    joined = session.execute(statement, links).scalars().all()
    _refresh_aggregates(session, sorted(set(joined)))
    return FlagStats(opened=opened, joined=len(joined))
