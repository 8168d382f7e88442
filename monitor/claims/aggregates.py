"""A case's numbers: size, reach, time span, strongest score, velocity and priority.

They grow per batch (:func:`add_posts`) from the new posts alone: distinct authors and
sources are remembered in ``claim_reach`` and posts per hour in ``claim_activity``, so a
viral case with a hundred thousand copies costs no more per batch than a new one.
:func:`refresh_cases` recomputes everything from the members (after merges and splits);
:func:`reprioritize` only recomputes the priority, e.g. with ``as_of=now`` so claims that
stopped spreading lose their velocity.

Velocity is counted in whole UTC hours: the recent window is the ``velocity_window_hours``
hourly buckets that end with the reference hour (the case's newest post, or ``as_of``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.claims.index import table_of
from monitor.claims.priority import PriorityInputs, priority_parts
from monitor.claims.settings import ClaimSettings
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import ClaimActivityRow, ClaimReachRow, KnownHoaxMatchRow
from monitor.store.posts import PostRow, ScoreRow

#: When a post was seen: its publication time, else when it was fetched.
SEEN_AT = func.coalesce(PostRow.published_at, PostRow.fetched_at)
_CHUNK = 5_000


def as_utc(value: datetime) -> datetime:
    """Aggregates bypass the column type on SQLite and come back naive: they are UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def hour_of(moment: datetime) -> int:
    """Hours since the Unix epoch (UTC) of a moment."""
    return math.floor(moment.timestamp() / 3600)


@dataclass(slots=True)
class _Totals:
    """A case's running numbers."""

    posts: int = 0
    engagement: int = 0
    first: datetime | None = None
    last: datetime | None = None
    authors: int = 0
    sources: int = 0
    probability: float = 0.0
    hours: Counter[int] = field(default_factory=Counter)
    new_authors: set[str] = field(default_factory=set)
    new_sources: set[str] = field(default_factory=set)

    def see(self, moment: datetime) -> None:
        self.first = moment if self.first is None else min(self.first, moment)
        self.last = moment if self.last is None else max(self.last, moment)


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT (both backends support it)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def add_posts(
    session: Session,
    links: Sequence[tuple[int, int]],
    settings: ClaimSettings,
    *,
    fresh: Collection[int] = (),
) -> None:
    """Add the posts of ``links`` (``(post_id, case_id)``, already members) to their cases'
    numbers and recompute those cases' priority. Cases in ``fresh`` start from zero (their
    activity and reach rows must already be empty)."""
    if not links:
        return
    case_of = dict(links)
    post_ids = sorted(case_of)
    totals: dict[int, _Totals] = {case_id: _Totals() for case_id in set(case_of.values())}
    for chunk in _chunks(post_ids):
        for post_id, source_id, author, engagement, seen in session.execute(
            select(
                PostRow.id,
                PostRow.source_id,
                PostRow.author,
                PostRow.likes + PostRow.shares + PostRow.comments,
                SEEN_AT,
            ).where(PostRow.id.in_(chunk))
        ):
            case = totals[case_of[post_id]]
            moment = as_utc(seen)
            case.posts += 1
            case.engagement += int(engagement or 0)
            case.see(moment)
            case.hours[hour_of(moment)] += 1
            if author:
                case.new_authors.add(author[:500])
            case.new_sources.add(str(source_id))
        for post_id, probability in session.execute(
            select(ScoreRow.post_id, func.max(ScoreRow.probability))
            .where(ScoreRow.post_id.in_(chunk))
            .group_by(ScoreRow.post_id)
        ):
            case = totals[case_of[post_id]]
            case.probability = max(case.probability, float(probability or 0.0))

    new_reach = _remember_reach(session, totals)
    _count_activity(session, totals)
    stored = {
        row.id: row
        for row in session.execute(
            select(
                CaseRow.id,
                CaseRow.post_count,
                CaseRow.engagement,
                CaseRow.first_seen_at,
                CaseRow.last_seen_at,
                CaseRow.author_count,
                CaseRow.source_count,
                CaseRow.max_probability,
            ).where(CaseRow.id.in_(sorted(totals)))
        )
    }
    for case_id, case in totals.items():
        case.authors = new_reach[(case_id, "a")]
        case.sources = new_reach[(case_id, "s")]
        before = stored.get(case_id)
        if before is None or case_id in fresh:
            continue
        case.posts += before.post_count
        case.engagement += before.engagement
        case.see(as_utc(before.first_seen_at))
        case.see(as_utc(before.last_seen_at))
        case.authors += before.author_count
        case.sources += before.source_count
        case.probability = max(case.probability, before.max_probability)
    _write(session, {c: t for c, t in totals.items() if c in stored}, settings, None)


def _remember_reach(session: Session, totals: dict[int, _Totals]) -> Counter[tuple[int, str]]:
    """Store the batch's authors and sources per case; count the ones new to each case."""
    rows = [
        {"case_id": case_id, "kind": kind, "value": value}
        for case_id, case in totals.items()
        for kind, values in (("a", case.new_authors), ("s", case.new_sources))
        for value in sorted(values)
    ]
    added: Counter[tuple[int, str]] = Counter()
    if not rows:
        return added
    reach = table_of(ClaimReachRow)
    statement = (
        _insert(session)(reach)
        .on_conflict_do_nothing(index_elements=["case_id", "kind", "value"])
        .returning(reach.c.case_id, reach.c.kind)
    )
    for case_id, kind in session.execute(statement, rows):
        added[(case_id, kind)] += 1
    return added


def _count_activity(session: Session, totals: dict[int, _Totals]) -> None:
    """Add the batch's posts to the cases' hourly counts."""
    rows = [
        {"case_id": case_id, "hour": hour, "posts": posts}
        for case_id, case in totals.items()
        for hour, posts in sorted(case.hours.items())
    ]
    if not rows:
        return
    activity = table_of(ClaimActivityRow)
    statement = _insert(session)(activity)
    statement = statement.on_conflict_do_update(
        index_elements=["case_id", "hour"],
        set_={"posts": activity.c.posts + statement.excluded.posts},
    )
    session.execute(statement, rows)


def _recent(
    session: Session, references: dict[int, datetime], settings: ClaimSettings
) -> Counter[int]:
    """Posts per case in the hourly window ending at the case's reference moment."""
    recent: Counter[int] = Counter()
    if not references:
        return recent
    width = math.ceil(settings.velocity_window_hours)
    ends = {case_id: hour_of(moment) for case_id, moment in references.items()}
    start = min(ends.values()) - width
    for chunk in _chunks(sorted(references)):
        for case_id, hour, posts in session.execute(
            select(ClaimActivityRow.case_id, ClaimActivityRow.hour, ClaimActivityRow.posts).where(
                ClaimActivityRow.case_id.in_(chunk), ClaimActivityRow.hour > start
            )
        ):
            if ends[case_id] - width < hour <= ends[case_id]:
                recent[case_id] += posts
    return recent


def _write(
    session: Session,
    totals: dict[int, _Totals],
    settings: ClaimSettings,
    as_of: datetime | None,
) -> None:
    """Compute the priority of each case from its totals and store both."""
    if not totals:
        return
    ids = sorted(totals)
    topics: dict[int, str | None] = {}
    known: set[int] = set()
    for chunk in _chunks(ids):
        topics.update(
            (case_id, topic)
            for case_id, topic in session.execute(
                select(CaseRow.id, CaseRow.topic).where(CaseRow.id.in_(chunk))
            )
        )
        known.update(
            session.scalars(
                select(KnownHoaxMatchRow.case_id).where(KnownHoaxMatchRow.case_id.in_(chunk))
            )
        )
    references = {
        case_id: as_of or case.last for case_id, case in totals.items() if case.last is not None
    }
    recent = _recent(session, references, settings)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for case_id, case in totals.items():
        if case.first is None or case.last is None:
            continue
        window_start = references[case_id].timestamp() / 3600 - settings.velocity_window_hours
        earlier_hours = max(0.0, window_start - case.first.timestamp() / 3600)
        parts = priority_parts(
            PriorityInputs(
                probability=case.probability,
                engagement=case.engagement,
                authors=case.authors,
                posts=case.posts,
                recent_posts=min(case.posts, recent[case_id]),
                earlier_posts=max(0, case.posts - recent[case_id]),
                earlier_hours=earlier_hours,
                topic=topics.get(case_id),
                known_hoax=case_id in known,
            ),
            settings,
        )
        rows.append(
            {
                "case": case_id,
                "post_count": case.posts,
                "engagement": case.engagement,
                "first_seen_at": case.first,
                "last_seen_at": case.last,
                "author_count": case.authors,
                "source_count": case.sources,
                "max_probability": case.probability,
                "priority": parts["priority"],
                "priority_parts": parts,
                "updated_at": now,
            }
        )
    _update_many(session, rows)


def _update_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE of ``cases`` for rows with the same keys (keyed by "case")."""
    if not rows:
        return
    table = table_of(CaseRow)
    values: dict[str, Any] = {name: bindparam(name) for name in rows[0] if name != "case"}
    session.execute(update(table).where(table.c.id == bindparam("case")).values(values), rows)
    # The rows changed behind the ORM's back: reload them when next used.
    changed = {row["case"] for row in rows}
    for instance in list(session.identity_map.values()):
        if isinstance(instance, CaseRow) and instance.id in changed:
            session.expire(instance)


def refresh_cases(
    session: Session,
    case_ids: Sequence[int],
    settings: ClaimSettings,
    *,
    as_of: datetime | None = None,
) -> None:
    """Recompute the numbers, reach, activity and priority of ``case_ids`` from their posts.

    A case left without posts (merged away, emptied by a split) gets zero counts and
    priority. With ``as_of``, velocity is measured up to then (see :func:`reprioritize`).
    """
    ids = sorted(set(case_ids))
    if not ids:
        return
    session.execute(delete(ClaimActivityRow).where(ClaimActivityRow.case_id.in_(ids)))
    session.execute(delete(ClaimReachRow).where(ClaimReachRow.case_id.in_(ids)))
    links = [
        (post_id, case_id)
        for post_id, case_id in session.execute(
            select(CasePostRow.post_id, CasePostRow.case_id).where(CasePostRow.case_id.in_(ids))
        )
    ]
    add_posts(session, links, settings, fresh=ids)
    if as_of is not None:
        reprioritize(session, ids, settings, as_of=as_of)
    empty = set(ids) - {case_id for _, case_id in links}
    _update_many(
        session,
        [
            {
                "case": case_id,
                "post_count": 0,
                "engagement": 0,
                "author_count": 0,
                "source_count": 0,
                "max_probability": 0.0,
                "priority": 0.0,
                "priority_parts": {},
                "updated_at": utcnow(),
            }
            for case_id in sorted(empty)
        ],
    )


def reprioritize(
    session: Session, case_ids: Sequence[int], settings: ClaimSettings, *, as_of: datetime
) -> None:
    """Recompute only the priority of ``case_ids``, with velocity measured up to ``as_of``.

    Cheap (the stored numbers and hourly counts are reused): a scheduler may run it over
    the open cases every hour so a claim that stopped spreading sinks in the queue.
    """
    ids = sorted(set(case_ids))
    totals: dict[int, _Totals] = {}
    for chunk in _chunks(ids):
        for row in session.execute(
            select(
                CaseRow.id,
                CaseRow.post_count,
                CaseRow.engagement,
                CaseRow.first_seen_at,
                CaseRow.last_seen_at,
                CaseRow.author_count,
                CaseRow.source_count,
                CaseRow.max_probability,
            ).where(CaseRow.id.in_(chunk), CaseRow.post_count > 0)
        ):
            totals[row.id] = _Totals(
                posts=row.post_count,
                engagement=row.engagement,
                first=as_utc(row.first_seen_at),
                last=as_utc(row.last_seen_at),
                authors=row.author_count,
                sources=row.source_count,
                probability=row.max_probability,
            )
    _write(session, totals, settings, as_of)
