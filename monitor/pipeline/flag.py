"""Flag: put processed posts into cases, one case per claim.

A post joins the open case whose claim it repeats — near-duplicates after normalization:
reordered words, emoji, hashtags, shortened or prefixed forwards — found through the
MinHash LSH index in the store (:mod:`monitor.claims.index`) and confirmed by the exact
similarity of their claim words (:mod:`monitor.claims.cluster`). A flagged post with no
such case opens one; an unflagged post only ever joins (a copy with a lower score is
still the same claim). A post that is a copy of two open, unreviewed cases merges them
(as the ``system`` actor, through :func:`monitor.claims.merge.merge_cases`). Each case is
matched against the known hoaxes as its posts arrive.

A post's *claim key* (stored on its normalized row) hashes its content words as a set:
equal keys mean the same words after normalization.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from monitor.claims.aggregates import add_posts
from monitor.claims.cluster import BatchPlan, plan_batch
from monitor.claims.index import (
    FingerprintEntry,
    add_fingerprints,
    case_states,
    items_for,
    lock_index,
    lookup,
    table_of,
)
from monitor.claims.known import record_known_hits
from monitor.claims.merge import merge_cases, split_pairs
from monitor.claims.settings import ClaimSettings
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.text import normalize

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
    """A processed post as the flag step sees it.

    ``tokens`` are the normalizer's tokens of ``text``; when empty, ``text`` is normalized
    here.
    """

    post_id: int
    claim_key: str
    flagged: bool
    text: str
    topic: str | None
    region: str | None
    seen_at: datetime
    tokens: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FlagStats:
    """What one flag call did: cases opened, posts added to cases, resurfacings found."""

    opened: int
    joined: int
    resurfaced: int = 0


def _insert(session: Session) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (both backends support it)."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _case_keys(session: Session, openers: dict[int, CaseCandidate]) -> dict[int, str]:
    """A unique ``cases.claim_key`` per new case: the opening post's key when it is free."""
    wanted = {item.claim_key for item in openers.values()}
    taken = set(session.scalars(select(CaseRow.claim_key).where(CaseRow.claim_key.in_(wanted))))
    keys: dict[int, str] = {}
    for ref, item in sorted(openers.items(), reverse=True):
        key = item.claim_key
        if key in taken:
            key = hashlib.sha256(f"{item.claim_key}:{item.post_id}".encode()).hexdigest()
        taken.add(key)
        keys[ref] = key
    return keys


def _open_cases(session: Session, openers: dict[int, CaseCandidate]) -> dict[int, int]:
    """Insert the new cases; returns their ids by the plan's negative references."""
    if not openers:
        return {}
    keys = _case_keys(session, openers)
    refs = sorted(openers, reverse=True)
    cases = table_of(CaseRow)
    ids = list(
        session.scalars(
            insert(cases).returning(cases.c.id, sort_by_parameter_order=True),
            [
                {
                    "claim_key": keys[ref],
                    "title": openers[ref].text[:_TITLE_CHARS],
                    "status": "new",
                    "first_seen_at": openers[ref].seen_at,
                    "last_seen_at": openers[ref].seen_at,
                    "topic": openers[ref].topic,
                    "region": openers[ref].region,
                    "priority_parts": {},
                }
                for ref in refs
            ],
        )
    )
    opened = dict(zip(refs, ids, strict=True))
    # The audit rows of a batch go in one executemany INSERT (a batch may open hundreds).
    session.execute(
        insert(table_of(AuditEventRow)),
        [
            {
                "actor": "system",
                "actor_id": None,
                "action": "case.open",
                "entity_type": "case",
                "entity_id": str(case_id),
                "details": {"claim_key": keys[ref], "first_post_id": openers[ref].post_id},
            }
            for ref, case_id in opened.items()
        ],
    )
    return opened


def _fill_topics(
    session: Session, plan: BatchPlan, by_post: dict[int, CaseCandidate], ids: dict[int, int]
) -> None:
    """Give a case without a topic (or region) the first one a joining post brings."""
    topics: dict[int, str] = {}
    regions: dict[int, str] = {}
    for post_id, ref in plan.assignments.items():
        case_id = ids.get(ref, ref)
        item = by_post[post_id]
        if item.topic:
            topics.setdefault(case_id, item.topic)
        if item.region:
            regions.setdefault(case_id, item.region)
    cases = table_of(CaseRow)
    for column, values in (("topic", topics), ("region", regions)):
        if values:
            # One executemany UPDATE; only cases still without a value take one.
            session.execute(
                update(cases)
                .where(cases.c.id == bindparam("case"), cases.c[column].is_(None))
                .values({column: bindparam("value")}),
                [{"case": case, "value": value} for case, value in values.items()],
            )


def flag_into_cases(
    session: Session,
    candidates: Sequence[CaseCandidate],
    settings: ClaimSettings | None = None,
) -> FlagStats:
    """Put a batch of processed posts into cases (see the module docstring).

    Idempotent per post: a post already in a case is left alone. Runs in the caller's
    transaction and holds the clustering lock until it ends, so concurrent workers
    cluster one batch at a time (:func:`monitor.claims.index.lock_index`).
    """
    settings = settings or ClaimSettings()
    if not candidates:
        return FlagStats(0, 0)
    placed = set(
        session.scalars(
            select(CasePostRow.post_id).where(
                CasePostRow.post_id.in_([item.post_id for item in candidates])
            )
        )
    )
    todo = [item for item in candidates if item.post_id not in placed]
    if not todo:
        return FlagStats(0, 0)
    by_post = {item.post_id: item for item in todo}
    items = items_for(
        [
            (item.post_id, item.tokens or normalize(item.text).tokens, item.flagged, item.seen_at)
            for item in todo
        ],
        settings,
    )

    lock_index(session)
    found = lookup(session, [key for item in items for key in item.keys], settings.max_band_fanout)
    stored_cases = {fp.case_ref for fps in found.values() for fp in fps if fp.case_ref is not None}
    plan = plan_batch(
        items,
        found,
        case_states(session, stored_cases),
        settings,
        separate=split_pairs(session, stored_cases),
    )

    opened = _open_cases(
        session, {ref: by_post[item.post_id] for ref, item in plan.new_cases.items()}
    )
    merges: dict[int, list[int]] = {}
    for keep, other in plan.merges:
        merges.setdefault(opened.get(keep, keep), []).append(other)
    for keep, others in merges.items():
        merge_cases(session, keep, others, "system", settings)

    def case_id(ref: int) -> int:
        return opened[ref] if ref < 0 else ref

    links = [{"post_id": post, "case_id": case_id(ref)} for post, ref in plan.assignments.items()]
    joined: list[tuple[int, int]] = []
    if links:
        members = table_of(CasePostRow)
        statement = (
            _insert(session)(members)
            .on_conflict_do_nothing(index_elements=["post_id"])
            .returning(members.c.post_id, members.c.case_id)
        )
        joined = [(post, case) for post, case in session.execute(statement, links)]
    add_fingerprints(
        session,
        [
            FingerprintEntry(fp.words, fp.keys, case_id=case_id(fp.case_ref), post_id=fp.post_id)
            for fp in plan.fingerprints
        ],
    )
    _fill_topics(session, plan, by_post, opened)
    resurfaced = record_known_hits(
        session,
        [replace(hit, case_ref=case_id(hit.case_ref)) for hit in plan.known_hits],
    )
    add_posts(session, joined, settings)
    return FlagStats(opened=len(opened), joined=len(joined), resurfaced=resurfaced)
