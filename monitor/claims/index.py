"""The claim index in the store: fingerprints and their LSH band keys.

Every worker queries the same tables (``claim_bands.band_key IN (...)``), so the index is
shared across processes and survives restarts; nothing is kept in memory between batches.

Concurrency: two workers must not both open a case for one new claim because neither has
committed yet. :func:`lock_index` serialises the clustering step of concurrent batches on
PostgreSQL with a transaction-scoped advisory lock, taken before the index is read and
released at commit or rollback, so the second worker reads the first one's cases (READ
COMMITTED reads what was committed before each statement). Only this short step is
serialised; fetching, normalizing and scoring stay parallel. SQLite admits one writer at a
time and the batch has written before it clusters, so there the store serialises it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar, cast

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from monitor.claims.cluster import CaseState, ClaimItem, Fingerprint
from monitor.claims.minhash import MinHasher
from monitor.claims.settings import ClaimSettings
from monitor.claims.words import claim_words, parse_words, words_text
from monitor.store.base import Base
from monitor.store.cases import CaseRow
from monitor.store.claims import ClaimBandRow, ClaimFingerprintRow, KnownHoaxRow

#: The advisory lock key of the clustering step (any fixed 63-bit number).
LOCK_KEY = int.from_bytes(hashlib.blake2b(b"pantau.claims.index", digest_size=8).digest()) >> 1
#: Bound parameters per IN query; well under PostgreSQL's 65535 and SQLite's limit.
_CHUNK = 5_000
#: SQLite before 3.32 allows 999 bound parameters per statement.
_SQLITE_CHUNK = _CHUNK if sqlite3.sqlite_version_info >= (3, 32) else 900

T = TypeVar("T")

#: The band insert in the paramstyles of the SQLite and psycopg drivers.
_INSERT_BANDS = {
    "qmark": "INSERT INTO claim_bands (band_key, fingerprint_id) VALUES (?, ?)",
    "format": "INSERT INTO claim_bands (band_key, fingerprint_id) VALUES (%s, %s)",
    "pyformat": "INSERT INTO claim_bands (band_key, fingerprint_id) VALUES (%s, %s)",
}


def _chunks(values: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def table_of(model: type[Base]) -> Table:
    """The table of a mapped class, for Core statements (bulk inserts and updates)."""
    return cast(Table, model.__table__)


_HASHERS: dict[tuple[int, int, int], MinHasher] = {}


def hasher_for(settings: ClaimSettings) -> MinHasher:
    """The (cached) MinHasher of the settings' layout."""
    layout = (settings.lsh_bands, settings.lsh_rows, settings.minhash_seed)
    found = _HASHERS.get(layout)
    if found is None:
        found = _HASHERS[layout] = MinHasher(*layout)
    return found


def band_keys(sets: Sequence[frozenset[str]], settings: ClaimSettings) -> list[tuple[int, ...]]:
    """The band keys of each word set; an empty tuple for sets below ``min_claim_words``."""
    out: list[tuple[int, ...]] = [() for _ in sets]
    usable = [i for i, words in enumerate(sets) if len(words) >= settings.min_claim_words]
    if usable:
        keys = hasher_for(settings).keys_for([sets[i] for i in usable]).tolist()
        for row, i in zip(keys, usable, strict=True):
            out[i] = tuple(row)
    return out


def lock_index(session: Session) -> None:
    """Hold the clustering lock until the caller's transaction ends (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _band_rows(session: Session, keys: Sequence[int]) -> list[tuple[int, int]]:
    """``(band_key, fingerprint_id)`` rows for ``keys``, through the DBAPI cursor.

    This is the hottest query of the pipeline (about 32 keys per post); going past
    SQLAlchemy's per-parameter and per-row processing makes it about 2.5 times cheaper.
    PostgreSQL gets one array parameter; SQLite gets chunks of ``?`` markers (the only
    text put into the statement), within its bound-parameter limit.
    """
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name not in ("postgresql", "sqlite") or dialect.paramstyle not in (
        "format",
        "pyformat",
        "qmark",
    ):  # another driver: the portable path
        return [
            (key, fid)
            for chunk in _chunks(keys)
            for key, fid in session.execute(
                select(ClaimBandRow.band_key, ClaimBandRow.fingerprint_id).where(
                    ClaimBandRow.band_key.in_(chunk)
                )
            )
        ]
    cursor = connection.connection.cursor()
    rows: list[tuple[int, int]] = []
    try:
        if dialect.name == "postgresql":
            cursor.execute(
                "SELECT band_key, fingerprint_id FROM claim_bands WHERE band_key = ANY(%s)",
                (list(keys),),
            )
            rows.extend(cursor.fetchall())
            return rows
        statement = "SELECT band_key, fingerprint_id FROM claim_bands WHERE band_key IN ("
        for chunk in _chunks(keys, _SQLITE_CHUNK):
            cursor.execute(statement + ",".join("?" * len(chunk)) + ")", tuple(chunk))
            rows.extend(cursor.fetchall())
        return rows
    finally:
        cursor.close()


def lookup(
    session: Session, keys: Iterable[int], fanout: int | None = None
) -> dict[int, list[Fingerprint]]:
    """Stored fingerprints per band key, for the keys that have any; with ``fanout``, only
    that many per key, the newest."""
    by_key: dict[int, list[int]] = {}
    for key, fid in _band_rows(session, sorted(set(keys))):
        by_key.setdefault(key, []).append(fid)
    if fanout is not None:
        for key, fids in by_key.items():
            if len(fids) > fanout:
                by_key[key] = sorted(fids)[-fanout:]
    fingerprints: dict[int, Fingerprint] = {}
    for chunk in _chunks(sorted({fid for fids in by_key.values() for fid in fids})):
        rows = session.execute(
            select(
                ClaimFingerprintRow.id,
                ClaimFingerprintRow.case_id,
                ClaimFingerprintRow.known_hoax_id,
                ClaimFingerprintRow.words,
                KnownHoaxRow.case_id,
            )
            .outerjoin(KnownHoaxRow, KnownHoaxRow.id == ClaimFingerprintRow.known_hoax_id)
            .where(ClaimFingerprintRow.id.in_(chunk))
        )
        for fid, case_id, known_id, words, known_case in rows:
            fingerprints[fid] = Fingerprint(
                parse_words(words),
                case_ref=case_id,
                known_hoax_id=known_id,
                known_case_id=known_case,
                id=fid,
            )
    # map() rather than a nested comprehension: this runs for every band key of a batch.
    fingerprint_of = fingerprints.__getitem__
    return {key: list(map(fingerprint_of, fids)) for key, fids in by_key.items()}


def case_states(session: Session, case_ids: Iterable[int]) -> dict[int, CaseState]:
    """Status, newest post and fingerprint count of each existing case."""
    ids = sorted(set(case_ids))
    states: dict[int, CaseState] = {}
    for chunk in _chunks(ids):
        counts = dict(
            session.execute(
                select(ClaimFingerprintRow.case_id, func.count())
                .where(ClaimFingerprintRow.case_id.in_(chunk))
                .group_by(ClaimFingerprintRow.case_id)
            ).all()
        )
        for case_id, status, last in session.execute(
            select(CaseRow.id, CaseRow.status, CaseRow.last_seen_at).where(CaseRow.id.in_(chunk))
        ):
            states[case_id] = CaseState(status, last, int(counts.get(case_id) or 0))
    return states


@dataclass(frozen=True, slots=True)
class FingerprintEntry:
    """A fingerprint to store: exactly one of ``case_id`` and ``known_hoax_id`` is set."""

    words: frozenset[str]
    keys: tuple[int, ...]
    case_id: int | None = None
    known_hoax_id: int | None = None
    post_id: int | None = None


def add_fingerprints(session: Session, entries: Sequence[FingerprintEntry]) -> list[int]:
    """Store fingerprints and their band keys; returns their ids in the order given."""
    if not entries:
        return []
    # Core inserts (the table, not the mapped class): executemany without per-row ORM work.
    fingerprints = table_of(ClaimFingerprintRow)
    ids = list(
        session.scalars(
            insert(fingerprints).returning(fingerprints.c.id, sort_by_parameter_order=True),
            [
                {
                    "case_id": entry.case_id,
                    "known_hoax_id": entry.known_hoax_id,
                    "post_id": entry.post_id,
                    "words": words_text(entry.words),
                }
                for entry in entries
            ],
        )
    )
    insert_bands(
        session,
        [(key, fid) for fid, entry in zip(ids, entries, strict=True) for key in set(entry.keys)],
    )
    return ids


def insert_bands(session: Session, rows: Sequence[tuple[int, int]]) -> None:
    """Insert ``(band_key, fingerprint_id)`` rows with the driver's own executemany.

    A batch writes tens of thousands of these two-integer rows; going past SQLAlchemy's
    per-row parameter processing roughly halves the cost.
    """
    if not rows:
        return
    connection = session.connection()
    statement = _INSERT_BANDS.get(connection.dialect.paramstyle)
    if statement is None:  # another driver: the portable path
        session.execute(
            insert(table_of(ClaimBandRow)),
            [{"band_key": key, "fingerprint_id": fid} for key, fid in rows],
        )
        return
    connection.exec_driver_sql(statement, list(rows))


def items_for(
    posts: Sequence[tuple[int, Sequence[str], bool, datetime]], settings: ClaimSettings
) -> list[ClaimItem]:
    """Clustering items from ``(post_id, normalized tokens, flagged, seen_at)`` tuples."""
    sets = [claim_words(tokens) for _, tokens, _, _ in posts]
    keys = band_keys(sets, settings)
    return [
        ClaimItem(post_id, words, key, flagged, seen_at)
        for (post_id, _, flagged, seen_at), words, key in zip(posts, sets, keys, strict=True)
    ]


def reindex(session: Session, settings: ClaimSettings) -> int:
    """Recompute every band key from the stored fingerprints (after a layout change).

    Returns the number of fingerprints indexed. Holds the clustering lock meanwhile.
    """
    lock_index(session)
    session.execute(delete(ClaimBandRow))
    total = 0
    last_id = 0
    while True:
        rows = session.execute(
            select(ClaimFingerprintRow.id, ClaimFingerprintRow.words)
            .where(ClaimFingerprintRow.id > last_id)
            .order_by(ClaimFingerprintRow.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return total
        sets = [parse_words(words) for _, words in rows]
        keys = band_keys(sets, settings)
        insert_bands(
            session,
            [
                (key, fid)
                for (fid, _), row_keys in zip(rows, keys, strict=True)
                for key in set(row_keys)
            ],
        )
        total += len(rows)
        last_id = rows[-1][0]
