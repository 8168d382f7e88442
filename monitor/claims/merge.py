"""Reviewers' corrections of the clustering: merge cases, split posts out of a case.

Both move the claim's wordings (fingerprints) together with the posts, so later copies
follow the reviewer's decision instead of the original clustering: after a merge every
copy goes to the kept case; after a split a copy of the moved posts' wording goes to the
new case. Each action is recorded in ``claim_overrides`` and in the audit log, in the
caller's transaction. The clustering lock is held meanwhile, so no worker clusters
against a half-moved index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from monitor.claims.aggregates import SEEN_AT, refresh_cases
from monitor.claims.index import FingerprintEntry, add_fingerprints, band_keys, lock_index
from monitor.claims.known import match_case
from monitor.claims.settings import ClaimSettings
from monitor.claims.words import claim_words
from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.claims import (
    MERGED_STATUS,
    ClaimFingerprintRow,
    ClaimOverrideRow,
    KnownHoaxMatchRow,
)
from monitor.store.posts import NormalizedPostRow, PostRow

_TITLE_CHARS = 200


def merged_into(session: Session, case_id: int) -> int | None:
    """The case a merged case now lives in (following chains of merges), else None."""
    current: int | None = None
    seen = {case_id}
    target = case_id
    while True:
        found = session.scalar(
            select(ClaimOverrideRow.case_id)
            .where(ClaimOverrideRow.kind == "merge", ClaimOverrideRow.other_case_id == target)
            .order_by(ClaimOverrideRow.id.desc())
            .limit(1)
        )
        if found is None or found in seen:
            return current
        current = target = found
        seen.add(found)


def split_pairs(session: Session, case_ids: Iterable[int]) -> set[frozenset[int]]:
    """Pairs of cases a reviewer split apart, among those touching ``case_ids``; the
    clustering never merges them again."""
    ids = sorted(set(case_ids))
    if not ids:
        return set()
    rows = session.execute(
        select(ClaimOverrideRow.case_id, ClaimOverrideRow.other_case_id).where(
            ClaimOverrideRow.kind == "split",
            or_(ClaimOverrideRow.case_id.in_(ids), ClaimOverrideRow.other_case_id.in_(ids)),
        )
    ).all()
    return {frozenset((a, b)) for a, b in rows}


def merge_cases(
    session: Session,
    keep_id: int,
    other_ids: Sequence[int],
    actor: str,
    settings: ClaimSettings | None = None,
) -> None:
    """Move every post, wording and known-hoax match of ``other_ids`` into ``keep_id``.

    The other cases stay (their labels and history are kept) with status ``merged``,
    no posts and zero priority. Raises ValueError when ``other_ids`` is empty or holds
    ``keep_id``, LookupError when a case does not exist or is already merged.
    """
    settings = settings or ClaimSettings()
    others = sorted(set(other_ids))
    if not others:
        raise ValueError("nothing to merge")
    if keep_id in others:
        raise ValueError("a case cannot be merged into itself")
    lock_index(session)
    cases = {
        row.id: row
        for row in session.scalars(
            select(CaseRow).where(CaseRow.id.in_([keep_id, *others])).with_for_update()
        )
    }
    missing = [i for i in [keep_id, *others] if i not in cases]
    if missing:
        raise LookupError(f"no case {', '.join(map(str, missing))}")
    merged = [i for i in [keep_id, *others] if cases[i].status == MERGED_STATUS]
    if merged:
        raise LookupError(f"case {', '.join(map(str, merged))} is already merged")

    moved_posts = list(
        session.scalars(select(CasePostRow.post_id).where(CasePostRow.case_id.in_(others)))
    )
    session.execute(
        update(CasePostRow).where(CasePostRow.case_id.in_(others)).values(case_id=keep_id)
    )
    session.execute(
        update(ClaimFingerprintRow)
        .where(ClaimFingerprintRow.case_id.in_(others))
        .values(case_id=keep_id)
    )
    kept_known = set(
        session.scalars(
            select(KnownHoaxMatchRow.known_hoax_id).where(KnownHoaxMatchRow.case_id == keep_id)
        )
    )
    for match in session.scalars(
        select(KnownHoaxMatchRow)
        .where(KnownHoaxMatchRow.case_id.in_(others))
        .order_by(KnownHoaxMatchRow.similarity.desc())
    ):
        if match.known_hoax_id in kept_known:
            session.delete(match)
        else:
            match.case_id = keep_id
            kept_known.add(match.known_hoax_id)
    keep = cases[keep_id]
    if keep.topic is None:
        keep.topic = next((cases[i].topic for i in others if cases[i].topic), None)
    now = utcnow()
    for other in others:
        session.add(
            ClaimOverrideRow(
                kind="merge",
                case_id=keep_id,
                other_case_id=other,
                actor=actor,
                at=now,
                post_ids=[],
                details={"previous_status": cases[other].status},
            )
        )
        cases[other].status = MERGED_STATUS
        record(
            session,
            actor=actor,
            action="case.merged_into",
            entity_type="case",
            entity_id=other,
            details={"into": keep_id},
        )
    record(
        session,
        actor=actor,
        action="case.merge",
        entity_type="case",
        entity_id=keep_id,
        details={"merged": others, "posts_moved": len(moved_posts)},
    )
    session.flush()
    refresh_cases(session, [keep_id, *others], settings)


def _index_posts(
    session: Session, case_id: int, post_ids: Sequence[int], settings: ClaimSettings
) -> None:
    """Make the given posts (not yet fingerprints of anything) fingerprints of ``case_id``."""
    if not post_ids:
        return
    texts = dict(
        session.execute(
            select(NormalizedPostRow.post_id, NormalizedPostRow.text).where(
                NormalizedPostRow.post_id.in_(list(post_ids))
            )
        ).all()
    )
    ordered = [post_id for post_id in post_ids if post_id in texts]
    sets = [claim_words(texts[post_id].split()) for post_id in ordered]
    keys = band_keys(sets, settings)
    entries = [
        FingerprintEntry(words, key, case_id=case_id, post_id=post_id)
        for post_id, words, key in zip(ordered, sets, keys, strict=True)
        if key
    ]
    distinct: dict[frozenset[str], FingerprintEntry] = {}
    for entry in entries:
        distinct.setdefault(entry.words, entry)
    add_fingerprints(session, list(distinct.values())[: settings.max_fingerprints_per_case])


def split_posts(
    session: Session,
    case_id: int,
    post_ids: Sequence[int],
    actor: str,
    settings: ClaimSettings | None = None,
) -> int:
    """Move ``post_ids`` out of ``case_id`` into a new case; returns the new case's id.

    The new case takes the topic and region of the old one, its title from the earliest
    moved post, and the moved posts' wordings: later copies of them join the new case.
    The old case keeps at least one wording of the posts it keeps. Both cases are matched
    against the known hoaxes again. Raises LookupError for an unknown or merged case,
    ValueError when ``post_ids`` is empty, holds posts outside the case, or is every post
    of it (nothing would be left: that is no split).
    """
    settings = settings or ClaimSettings()
    wanted = sorted(set(post_ids))
    if not wanted:
        raise ValueError("no posts to split off")
    lock_index(session)
    case = session.get(CaseRow, case_id, with_for_update=True)
    if case is None or case.status == MERGED_STATUS:
        raise LookupError(f"no case {case_id} to split")
    members = set(
        session.scalars(select(CasePostRow.post_id).where(CasePostRow.case_id == case_id))
    )
    outside = [p for p in wanted if p not in members]
    if outside:
        raise ValueError(f"posts {outside} are not in case {case_id}")
    if len(wanted) == len(members):
        raise ValueError("a split must leave at least one post in the case")

    first_post = session.execute(
        select(PostRow.id, PostRow.text, SEEN_AT)
        .where(PostRow.id.in_(wanted))
        .order_by(SEEN_AT, PostRow.id)
        .limit(1)
    ).one()
    new_id = session.scalar(
        insert(CaseRow)
        .values(
            claim_key=_split_key(case.claim_key, first_post.id),
            title=first_post.text[:_TITLE_CHARS],
            status="new",
            first_seen_at=first_post[2],
            last_seen_at=first_post[2],
            topic=case.topic,
            region=case.region,
            priority_parts={},
        )
        .returning(CaseRow.id)
    )
    assert new_id is not None
    session.execute(
        update(CasePostRow).where(CasePostRow.post_id.in_(wanted)).values(case_id=new_id)
    )
    session.execute(
        update(ClaimFingerprintRow)
        .where(ClaimFingerprintRow.case_id == case_id, ClaimFingerprintRow.post_id.in_(wanted))
        .values(case_id=new_id)
    )
    indexed = set(
        session.scalars(
            select(ClaimFingerprintRow.post_id).where(ClaimFingerprintRow.post_id.in_(wanted))
        )
    )
    _index_posts(session, new_id, [p for p in wanted if p not in indexed], settings)
    remaining = session.scalar(
        select(func.count())
        .select_from(ClaimFingerprintRow)
        .where(ClaimFingerprintRow.case_id == case_id)
    )
    if not remaining:
        _index_posts(session, case_id, sorted(members - set(wanted)), settings)

    session.add(
        ClaimOverrideRow(
            kind="split",
            case_id=case_id,
            other_case_id=new_id,
            post_ids=wanted,
            actor=actor,
            at=utcnow(),
            details={},
        )
    )
    record(
        session,
        actor=actor,
        action="case.split",
        entity_type="case",
        entity_id=case_id,
        details={"new_case_id": new_id, "post_ids": wanted},
    )
    record(
        session,
        actor=actor,
        action="case.open",
        entity_type="case",
        entity_id=new_id,
        details={"split_from": case_id, "first_post_id": first_post.id},
    )
    session.flush()
    match_case(session, new_id, settings)
    refresh_cases(session, [case_id, new_id], settings)
    return new_id


def _split_key(claim_key: str, post_id: int) -> str:
    """A fresh unique claim key for a case split off another."""
    return hashlib.sha256(f"split:{claim_key}:{post_id}".encode()).hexdigest()
