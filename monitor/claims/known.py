"""Known hoaxes: clarified claims, their import, and the cases that resurface them.

A known hoax is stored with one fingerprint per wording (its claim text; for a hoax made
from a case, every wording of that case too) in the same LSH index as the cases, so the
clustering step finds it among a post's candidates at no extra query
(:mod:`monitor.claims.cluster`). A case that matches one gets a
:class:`~monitor.store.claims.KnownHoaxMatchRow` (the resurfacing event, which raises its
priority) and an audit event; :func:`matches_for_case` gives the case page the old
clarification ready to reuse.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from monitor.claims.aggregates import refresh_cases
from monitor.claims.cluster import KnownHit
from monitor.claims.index import FingerprintEntry, add_fingerprints, band_keys, lookup
from monitor.claims.settings import ClaimSettings
from monitor.claims.similarity import known_similarity
from monitor.claims.words import claim_words, parse_words
from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.cases import CaseRow
from monitor.store.claims import (
    MERGED_STATUS,
    ClaimFingerprintRow,
    KnownHoaxMatchRow,
    KnownHoaxRow,
)
from monitor.store.review import ClarificationRow, LabelRow
from monitor.text import normalize_many

#: Columns of an import file (CSV header or JSONL keys); others are ignored.
REQUIRED_FIELDS = ("claim", "verdict", "clarification", "clarified_on")
OPTIONAL_FIELDS = ("hoax_category", "clarification_url", "issuing_office")
_MAX = {"verdict": 20, "hoax_category": 30, "issuing_office": 300}


class KnownHoaxFileError(ValueError):
    """An import file that cannot be read; ``errors`` lists each problem with its line."""

    def __init__(self, errors: Sequence[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = list(errors)


@dataclass(frozen=True, slots=True)
class KnownHoaxRecord:
    """One known hoax as read from an import file."""

    claim: str
    verdict: str
    clarification: str
    clarified_at: datetime
    hoax_category: str | None = None
    clarification_url: str | None = None
    issuing_office: str | None = None


@dataclass(frozen=True, slots=True)
class KnownHoaxMatch:
    """A known hoax a case resurfaces, with the clarification to reuse (for the case page)."""

    known_hoax_id: int
    claim: str
    verdict: str
    hoax_category: str | None
    clarification: str
    clarification_url: str | None
    clarified_at: datetime
    issuing_office: str | None
    #: The case the clarification was written for, when it came from one.
    source_case_id: int | None
    similarity: float
    post_id: int | None
    seen_at: datetime
    detected_at: datetime


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    added: int
    updated: int
    unchanged: int
    #: Cases already in the store that the added or changed hoaxes matched.
    resurfaced: int = 0


def claim_hash(claim: str) -> str:
    """sha256 of the whitespace-folded, lowercased claim text."""
    return hashlib.sha256(" ".join(claim.lower().split()).encode("utf-8")).hexdigest()


def _parse_date(value: str) -> datetime:
    """A date (midnight UTC) or an ISO datetime (made UTC; naive means UTC)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(value), time.min)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _record(raw: dict[str, Any], where: str, errors: list[str]) -> KnownHoaxRecord | None:
    values = {k: str(v).strip() for k, v in raw.items() if k and v is not None}
    missing = [name for name in REQUIRED_FIELDS if not values.get(name)]
    if missing:
        errors.append(f"{where}: missing {', '.join(missing)}")
        return None
    for name, limit in _MAX.items():
        if len(values.get(name, "")) > limit:
            errors.append(f"{where}: {name} longer than {limit} characters")
            return None
    try:
        clarified = _parse_date(values["clarified_on"])
    except ValueError:
        errors.append(f"{where}: clarified_on {values['clarified_on']!r} is not a date")
        return None
    return KnownHoaxRecord(
        claim=values["claim"],
        verdict=values["verdict"].lower(),
        clarification=values["clarification"],
        clarified_at=clarified,
        hoax_category=values.get("hoax_category") or None,
        clarification_url=values.get("clarification_url") or None,
        issuing_office=values.get("issuing_office") or None,
    )


def parse_known_hoaxes(content: str, fmt: str) -> list[KnownHoaxRecord]:
    """Records from CSV (with a header) or JSONL text.

    Raises KnownHoaxFileError listing every bad line (nothing is returned partially) and
    ValueError for an unknown ``fmt``.
    """
    errors: list[str] = []
    records: list[KnownHoaxRecord] = []
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(content))
        absent = [f for f in REQUIRED_FIELDS if f not in (reader.fieldnames or [])]
        if absent:
            raise KnownHoaxFileError([f"header: missing column(s) {', '.join(absent)}"])
        for row in reader:
            found = _record(dict(row), f"line {reader.line_num}", errors)
            if found is not None:
                records.append(found)
    elif fmt == "jsonl":
        for number, line in enumerate(content.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"line {number}: invalid JSON ({exc.msg})")
                continue
            if not isinstance(raw, dict):
                errors.append(f"line {number}: not a JSON object")
                continue
            found = _record(raw, f"line {number}", errors)
            if found is not None:
                records.append(found)
    else:
        raise ValueError(f"unknown format {fmt!r}; use csv or jsonl")
    if errors:
        raise KnownHoaxFileError(errors)
    return records


def read_known_hoaxes(path: Path, fmt: str | None = None) -> list[KnownHoaxRecord]:
    """Records from a ``.csv`` or ``.jsonl`` file (format from the suffix unless given).

    Raises OSError when the file cannot be read, KnownHoaxFileError for bad content.
    """
    fmt = fmt or path.suffix.lower().lstrip(".")
    if fmt == "json":
        fmt = "jsonl"
    return parse_known_hoaxes(path.read_text(encoding="utf-8-sig"), fmt)


def _index_texts(
    session: Session, known_id: int, texts: Iterable[str], settings: ClaimSettings
) -> None:
    """Replace the hoax's text fingerprints (those not taken from posts) by ``texts``'."""
    session.execute(
        delete(ClaimFingerprintRow).where(
            ClaimFingerprintRow.known_hoax_id == known_id, ClaimFingerprintRow.post_id.is_(None)
        )
    )
    sets = [claim_words(n.tokens) for n in normalize_many(list(texts))]
    entries = [
        FingerprintEntry(words, keys, known_hoax_id=known_id)
        for words, keys in zip(sets, band_keys(sets, settings), strict=True)
        if keys
    ]
    add_fingerprints(session, entries)


def import_known_hoaxes(
    session: Session,
    records: Sequence[KnownHoaxRecord],
    settings: ClaimSettings,
    *,
    actor: str = "cli",
) -> ImportResult:
    """Insert or update known hoaxes (same claim text = same hoax) and index them.

    The added and changed hoaxes are then matched against the cases already in the store
    (:func:`match_stored_cases`): an archive of old clarifications imported while the
    monitor runs links the open cases that resurface them, not only later posts.
    """
    added = updated = unchanged = 0
    changed: list[int] = []
    for item in records:
        key = claim_hash(item.claim)
        row = session.scalar(select(KnownHoaxRow).where(KnownHoaxRow.claim_hash == key))
        fields = {
            "claim": item.claim,
            "verdict": item.verdict,
            "hoax_category": item.hoax_category,
            "clarification": item.clarification,
            "clarification_url": item.clarification_url,
            "clarified_at": item.clarified_at,
            "issuing_office": item.issuing_office,
        }
        if row is None:
            row = KnownHoaxRow(claim_hash=key, origin="import", **fields)
            session.add(row)
            session.flush()
            _index_texts(session, row.id, [item.claim], settings)
            changed.append(row.id)
            added += 1
            continue
        if all(getattr(row, name) == value for name, value in fields.items()):
            unchanged += 1
            continue
        for name, value in fields.items():
            setattr(row, name, value)
        _index_texts(session, row.id, [item.claim], settings)
        changed.append(row.id)
        updated += 1
    resurfaced = sum(
        match_stored_cases(session, changed[start : start + _MATCH_CHUNK], settings)
        for start in range(0, len(changed), _MATCH_CHUNK)
    )
    if added or updated:
        record(
            session,
            actor=actor,
            action="known_hoax.import",
            entity_type="known_hoax",
            entity_id="*",
            details={
                "added": added,
                "updated": updated,
                "unchanged": unchanged,
                "resurfaced": resurfaced,
            },
        )
    return ImportResult(added, updated, unchanged, resurfaced)


#: Hoaxes, cases or fingerprints per IN query of the matching (well under SQLite's limit).
_MATCH_CHUNK = 500


def match_stored_cases(session: Session, known_ids: Sequence[int], settings: ClaimSettings) -> int:
    """Link the stored cases that resurface the known hoaxes ``known_ids`` (at most
    ``_MATCH_CHUNK`` of them); returns how many links are new.

    The hoaxes' fingerprints are looked up in the shared LSH index and scored against
    every case wording found with :func:`known_similarity`, as the clustering step does
    for a new post. Cases merged away or in ``closed_statuses`` (a published claim has its
    own clarification) and the case a hoax was made from are left alone. The linked cases
    get their priority recomputed (the known-hoax boost).
    """
    if not known_ids:
        return 0
    hoaxes: list[tuple[int, frozenset[str]]] = [
        (known_id, parse_words(words))
        for known_id, words in session.execute(
            select(ClaimFingerprintRow.known_hoax_id, ClaimFingerprintRow.words).where(
                ClaimFingerprintRow.known_hoax_id.in_(sorted(set(known_ids)))
            )
        )
        if known_id is not None
    ]
    keys = band_keys([words for _, words in hoaxes], settings)
    found = lookup(session, [key for row_keys in keys for key in row_keys])
    origin = dict(
        session.execute(
            select(KnownHoaxRow.id, KnownHoaxRow.case_id).where(
                KnownHoaxRow.id.in_(sorted(set(known_ids)))
            )
        ).all()
    )
    best: dict[tuple[int, int], tuple[float, int]] = {}
    for (known_id, words), row_keys in zip(hoaxes, keys, strict=True):
        for fingerprint in {fp for key in row_keys for fp in found.get(key, ())}:
            case_id = fingerprint.case_ref
            if case_id is None or case_id == origin.get(known_id) or fingerprint.id is None:
                continue
            value = known_similarity(fingerprint.words, words, settings)
            pair = (case_id, known_id)
            if value >= settings.known_hoax_threshold and value > best.get(pair, (-1.0, 0))[0]:
                best[pair] = (value, fingerprint.id)
    if not best:
        return 0
    closed = {MERGED_STATUS, *settings.closed_statuses}
    case_ids = sorted({case_id for case_id, _ in best})
    fingerprint_ids = sorted({fid for _, fid in best.values()})
    cases: dict[int, datetime | None] = {}
    posts: dict[int, int | None] = {}
    for start in range(0, max(len(case_ids), len(fingerprint_ids)), _MATCH_CHUNK):
        cases.update(
            (case_id, last_seen)
            for case_id, status, last_seen in session.execute(
                select(CaseRow.id, CaseRow.status, CaseRow.last_seen_at).where(
                    CaseRow.id.in_(case_ids[start : start + _MATCH_CHUNK])
                )
            )
            if status not in closed
        )
        posts.update(
            session.execute(
                select(ClaimFingerprintRow.id, ClaimFingerprintRow.post_id).where(
                    ClaimFingerprintRow.id.in_(fingerprint_ids[start : start + _MATCH_CHUNK])
                )
            ).all()
        )
    hits = [
        KnownHit(case_id, known_id, posts.get(fid), value, cases[case_id] or utcnow())
        for (case_id, known_id), (value, fid) in sorted(best.items())
        if case_id in cases
    ]
    added = record_known_hits(session, hits)
    if added:
        refresh_cases(session, sorted({hit.case_ref for hit in hits}), settings)
    return added


def _case_claim(session: Session, case: CaseRow) -> tuple[str, list[str]]:
    """The claim text of a case (its newest clarification's claim, else its title) and
    every text worth indexing for it."""
    stated = session.scalar(
        select(ClarificationRow.claim)
        .where(ClarificationRow.case_id == case.id)
        .order_by(ClarificationRow.version.desc())
        .limit(1)
    )
    stated = (stated or "").strip()
    claim = stated or case.title
    return claim, list(dict.fromkeys(text for text in (stated, case.title) if text))


def add_known_hoax_from_case(
    session: Session,
    case_id: int,
    *,
    clarification: str,
    url: str | None,
    published_at: datetime,
    office: str | None,
    settings: ClaimSettings | None = None,
) -> int:
    """Remember a case whose clarification was just published; returns the known hoax id.

    The claim is the one stated in the case's newest clarification (else the case's
    title); the hoax category comes from the case's newest ``hoax`` label; the verdict is
    ``hoax`` unless an imported row with the same claim says otherwise. Every wording
    (fingerprint) of the case is indexed for the hoax, so any of its copies that
    resurfaces later is recognised. Publishing again (a corrected clarification) updates
    the same known hoax. Raises LookupError for an unknown case.
    """
    settings = settings or ClaimSettings()
    case = session.get(CaseRow, case_id)
    if case is None:
        raise LookupError(f"no case {case_id}")
    claim, texts = _case_claim(session, case)
    category = session.scalar(
        select(LabelRow.category)
        .where(LabelRow.case_id == case_id, LabelRow.verdict == "hoax")
        .order_by(LabelRow.id.desc())
        .limit(1)
    )
    row = session.scalar(
        select(KnownHoaxRow).where(KnownHoaxRow.case_id == case_id).order_by(KnownHoaxRow.id)
    )
    if row is None:
        row = session.scalar(
            select(KnownHoaxRow).where(KnownHoaxRow.claim_hash == claim_hash(claim))
        )
    if row is None:
        row = KnownHoaxRow(origin="case")
        session.add(row)
    elif row.claim_hash != claim_hash(claim) and session.scalar(
        select(KnownHoaxRow.id).where(KnownHoaxRow.claim_hash == claim_hash(claim))
    ):
        claim = row.claim  # another hoax already states it in these words: keep ours as is
    row.claim = claim
    row.claim_hash = claim_hash(claim)
    row.verdict = row.verdict or "hoax"
    row.hoax_category = category or row.hoax_category
    row.clarification = clarification
    row.clarification_url = url
    row.clarified_at = published_at
    row.issuing_office = office
    row.case_id = case_id
    session.flush()
    _index_texts(session, row.id, texts, settings)
    session.execute(
        delete(ClaimFingerprintRow).where(
            ClaimFingerprintRow.known_hoax_id == row.id, ClaimFingerprintRow.post_id.is_not(None)
        )
    )
    wordings = session.execute(
        select(ClaimFingerprintRow.post_id, ClaimFingerprintRow.words).where(
            ClaimFingerprintRow.case_id == case_id
        )
    )
    sets = [(post_id, parse_words(words)) for post_id, words in wordings]
    keys = band_keys([words for _, words in sets], settings)
    add_fingerprints(
        session,
        [
            FingerprintEntry(words, key, known_hoax_id=row.id, post_id=post_id)
            for (post_id, words), key in zip(sets, keys, strict=True)
            if key
        ],
    )
    record(
        session,
        actor="system",
        action="known_hoax.add",
        entity_type="known_hoax",
        entity_id=row.id,
        details={"case_id": case_id, "url": url},
    )
    return row.id


def record_known_hits(session: Session, hits: Sequence[KnownHit]) -> int:
    """Store resurfacing events for stored case ids (``case_ref`` > 0); returns how many
    were new. A case already linked to that hoax keeps its first event."""
    if not hits:
        return 0
    cases = sorted({hit.case_ref for hit in hits})
    existing: set[tuple[int, int]] = {
        (case_id, known_id)
        for case_id, known_id in session.execute(
            select(KnownHoaxMatchRow.case_id, KnownHoaxMatchRow.known_hoax_id).where(
                KnownHoaxMatchRow.case_id.in_(cases)
            )
        )
    }
    added = 0
    now = utcnow()
    for hit in hits:
        if (hit.case_ref, hit.known_hoax_id) in existing:
            continue
        existing.add((hit.case_ref, hit.known_hoax_id))
        session.add(
            KnownHoaxMatchRow(
                case_id=hit.case_ref,
                known_hoax_id=hit.known_hoax_id,
                post_id=hit.post_id,
                similarity=round(hit.similarity, 4),
                seen_at=hit.seen_at,
                detected_at=now,
            )
        )
        record(
            session,
            actor="system",
            action="case.resurfacing",
            entity_type="case",
            entity_id=hit.case_ref,
            details={
                "known_hoax_id": hit.known_hoax_id,
                "post_id": hit.post_id,
                "similarity": round(hit.similarity, 4),
            },
        )
        added += 1
    session.flush()
    return added


def match_case(session: Session, case_id: int, settings: ClaimSettings) -> int:
    """Compare every wording of a case with the known hoaxes; store new matches.

    Used when a case's wordings change outside the clustering step (a split). Returns the
    number of new matches.
    """
    rows = session.execute(
        select(ClaimFingerprintRow.post_id, ClaimFingerprintRow.words).where(
            ClaimFingerprintRow.case_id == case_id
        )
    )
    wordings = [(post_id, parse_words(words)) for post_id, words in rows]
    keys = band_keys([words for _, words in wordings], settings)
    found = lookup(session, [key for row_keys in keys for key in row_keys])
    seen_at = session.scalar(select(CaseRow.last_seen_at).where(CaseRow.id == case_id))
    best: dict[int, KnownHit] = {}
    for (post_id, words), row_keys in zip(wordings, keys, strict=True):
        for fingerprint in {fp for key in row_keys for fp in found.get(key, ())}:
            known_id = fingerprint.known_hoax_id
            if known_id is None or fingerprint.known_case_id == case_id:
                continue
            score = known_similarity(words, fingerprint.words, settings)
            if score >= settings.known_hoax_threshold and (
                known_id not in best or score > best[known_id].similarity
            ):
                best[known_id] = KnownHit(case_id, known_id, post_id, score, seen_at or utcnow())
    return record_known_hits(session, list(best.values()))


def matches_for_case(session: Session, case_id: int) -> list[KnownHoaxMatch]:
    """Known hoaxes the case resurfaces, most similar first, with their clarifications."""
    rows = session.execute(
        select(KnownHoaxMatchRow, KnownHoaxRow)
        .join(KnownHoaxRow, KnownHoaxRow.id == KnownHoaxMatchRow.known_hoax_id)
        .where(KnownHoaxMatchRow.case_id == case_id)
        .order_by(KnownHoaxMatchRow.similarity.desc(), KnownHoaxMatchRow.id)
    )
    return [
        KnownHoaxMatch(
            known_hoax_id=hoax.id,
            claim=hoax.claim,
            verdict=hoax.verdict,
            hoax_category=hoax.hoax_category,
            clarification=hoax.clarification,
            clarification_url=hoax.clarification_url,
            clarified_at=hoax.clarified_at,
            issuing_office=hoax.issuing_office,
            source_case_id=hoax.case_id,
            similarity=match.similarity,
            post_id=match.post_id,
            seen_at=match.seen_at,
            detected_at=match.detected_at,
        )
        for match, hoax in rows
    ]
