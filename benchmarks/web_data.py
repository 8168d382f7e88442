"""Synthetic review data for the web benchmark: many posts, cases, scores and users.

Written for the benchmark only (words drawn from a small made-up vocabulary, not from any
corpus). Rows go straight into a migrated store in large batches; ids are explicit so
every relation is known without reading back, and PostgreSQL sequences are moved past
them afterwards.

Usage (normally through ``bench_web.py``)::

    .venv/bin/python benchmarks/web_data.py --url sqlite:///var/bench/web.db --posts 1000000
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import Table, func, insert, select, text  # noqa: E402

from monitor.auth.passwords import hash_password  # noqa: E402
from monitor.store.audit import AuditEventRow  # noqa: E402
from monitor.store.cases import CasePostRow, CaseRow  # noqa: E402
from monitor.store.db import Database  # noqa: E402
from monitor.store.posts import (  # noqa: E402
    NormalizedPostRow,
    PostRow,
    ScoreRow,
    WatchlistMatchRow,
)
from monitor.store.sources import SourceRow  # noqa: E402
from monitor.store.users import UserRow  # noqa: E402
from monitor.store.watchlists import WatchlistRow  # noqa: E402

PASSWORD = "bench-password-123"  # the benchmark accounts' password
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
PROVINCES = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Banten", "Jawa Barat", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan",
    "Sulawesi Tenggara", "Maluku", "Maluku Utara", "Papua", "Papua Barat",
    "Papua Barat Daya", "Papua Tengah", "Papua Pegunungan", "Papua Selatan",
)  # fmt: skip
TOPICS = ("kesehatan", "bansos", "bencana", "pemilu", "energi", "pendidikan", "penipuan")
WORDS = (
    "vaksin", "bansos", "banjir", "gempa", "bbm", "lpg", "ktp", "pemilu", "kpu", "bawaslu",
    "bantuan", "tunai", "cair", "hoaks", "viral", "sebarkan", "warga", "desa", "kota",
    "pemerintah", "menteri", "gubernur", "bupati", "sekolah", "ppdb", "beasiswa", "harga",
    "naik", "turun", "gratis", "daftar", "link", "segera", "besok", "malam", "ini", "info",
    "resmi", "palsu", "chip", "darurat", "tsunami", "bmkg", "pajak", "listrik", "air",
    "jalan", "rumah", "sakit", "dokter", "obat", "pasar", "beras", "minyak", "subsidi",
)  # fmt: skip
STATUSES = ("new", "in_review", "draft", "approved", "published", "dismissed")
STATUS_WEIGHTS = (40, 20, 5, 3, 15, 17)
BATCH = 20_000


@dataclass(frozen=True, slots=True)
class Sizes:
    """How much to generate."""

    posts: int = 1_000_000
    cases: int = 50_000
    flagged_share: float = 0.6


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _load(db: Database, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    for batch in _batches(rows):
        with db.engine.begin() as connection:
            connection.execute(insert(table), batch)
        count += len(batch)
    return count


def _case_of_posts(rng: random.Random, sizes: Sizes) -> list[int]:
    """The case id of each flagged post: a heavy tail, a few cases with thousands of posts."""
    flagged = int(sizes.posts * sizes.flagged_share)
    weights = [1.0 / (rank**0.9) for rank in range(1, sizes.cases + 1)]
    rng.shuffle(weights)
    chosen = rng.choices(range(1, sizes.cases + 1), weights=weights, k=flagged - sizes.cases)
    # Every case gets at least one post.
    owners = list(range(1, sizes.cases + 1)) + chosen
    rng.shuffle(owners)
    return owners


def generate(db: Database, sizes: Sizes, *, seed: int = 20261126, log: Any = print) -> None:
    """Fill an empty, migrated store with the benchmark data set."""
    rng = random.Random(seed)
    started = time.perf_counter()
    password_hash = hash_password(PASSWORD)
    users = [
        {"id": i, "email": f"{name}@bench.test", "name": name.title(), "role": role, "region": None}
        for i, (name, role) in enumerate(
            (
                ("admin", "admin"),
                ("reviewer", "central_reviewer"),
                ("approver", "central_reviewer"),
                ("analyst", "analyst"),
            ),
            start=1,
        )
    ]
    for i, province in enumerate(PROVINCES, start=5):
        users.append(
            {
                "id": i,
                "email": f"humas{i}@bench.test",
                "name": f"Humas {province}",
                "role": "regional_officer",
                "region": province,
            }
        )
    _load(
        db,
        UserRow.__table__,  # type: ignore[arg-type]
        (
            u
            | {"password_hash": password_hash, "language": "id", "active": True, "created_at": NOW}
            for u in users
        ),
    )
    sources: list[dict[str, Any]] = [
        {
            "id": i,
            "name": f"sumber-{i}",
            "kind": "file",
            "settings": {},
            "enabled": False,
            "region": rng.choice(PROVINCES) if i % 3 == 0 else None,
            "consecutive_failures": 0,
            "created_at": NOW,
        }
        for i in range(1, 21)
    ]
    _load(db, SourceRow.__table__, iter(sources))  # type: ignore[arg-type]
    watchlists = [
        {"id": i, "name": f"pantau-{word}", "query": word, "topic": TOPICS[i % len(TOPICS)],
         "enabled": True, "created_at": NOW}
        for i, word in enumerate(("vaksin", "bansos", "banjir", "pemilu", "bbm", "ppdb",
                                  "gempa", "pajak", "beras", "listrik"), start=1)
    ]  # fmt: skip
    _load(db, WatchlistRow.__table__, iter(watchlists))  # type: ignore[arg-type]

    owners = _case_of_posts(rng, sizes)
    counts = [0] * (sizes.cases + 1)
    for case_id in owners:
        counts[case_id] += 1

    def cases() -> Iterator[dict[str, Any]]:
        for case_id in range(1, sizes.cases + 1):
            opened = NOW - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            status = rng.choices(STATUSES, STATUS_WEIGHTS)[0]
            probability = round(rng.uniform(0.5, 0.99), 3)
            engagement = int(rng.lognormvariate(4, 2))
            posts = counts[case_id]
            priority = probability * (1 + math.log10(1 + engagement)) * (1 + math.log10(posts))
            yield {
                "id": case_id,
                "claim_key": hashlib.sha256(f"case-{case_id}".encode()).hexdigest(),
                "title": _sentence(rng, rng.randint(6, 18)),
                "status": status,
                "opened_at": opened,
                "first_seen_at": opened - timedelta(minutes=rng.randint(0, 600)),
                "last_seen_at": opened + timedelta(minutes=rng.randint(0, 600)),
                "post_count": posts,
                "engagement": engagement,
                "author_count": max(1, posts // 2),
                "source_count": min(posts, 20),
                "max_probability": probability,
                "priority": round(priority, 6),
                "priority_parts": {"probability": probability, "engagement": engagement},
                "topic": rng.choice(TOPICS),
                "region": rng.choice(PROVINCES) if rng.random() < 0.7 else None,
                "assignee_id": rng.choice((2, 3))
                if status != "new" and rng.random() < 0.5
                else None,
                "due_at": None,
                "escalated_at": None,
                "updated_at": opened,
            }

    log(f"  cases: {_load(db, CaseRow.__table__, cases()):,}")  # type: ignore[arg-type]

    flagged = len(owners)

    def posts() -> Iterator[dict[str, Any]]:
        for post_id in range(1, sizes.posts + 1):
            when = NOW - timedelta(seconds=rng.randint(0, 60 * 24 * 3600))
            body = _sentence(rng, rng.randint(8, 40))
            yield {
                "id": post_id,
                "source_id": rng.randint(1, 20),
                "external_id": f"p{post_id}",
                "url": f"https://example.org/p/{post_id}",
                "author": f"@akun{rng.randint(1, 200_000)}",
                "text": body,
                "text_truncated": False,
                "language": "id",
                "published_at": when,
                "fetched_at": when,
                "likes": int(rng.lognormvariate(1.5, 1.5)),
                "shares": int(rng.lognormvariate(1, 1.5)),
                "comments": int(rng.lognormvariate(0.5, 1.2)),
                "views": int(rng.lognormvariate(5, 2)),
                "raw": {},
                "content_hash": hashlib.sha256(body.encode()).hexdigest(),
                "stage": "processed",
            }

    log(f"  posts: {_load(db, PostRow.__table__, posts()):,}")  # type: ignore[arg-type]
    memberships = (
        {"post_id": post_id, "case_id": owners[post_id - 1], "added_at": NOW}
        for post_id in range(1, flagged + 1)
    )
    log(f"  case posts: {_load(db, CasePostRow.__table__, memberships):,}")  # type: ignore[arg-type]
    explanation = {
        "up": [
            {"kind": "term", "text": "sebarkan", "weight": 0.9},
            {"kind": "term", "text": "palsu", "weight": 0.6},
        ],
        "down": [{"kind": "term", "text": "resmi", "weight": -0.4}],
    }
    scores = (
        {
            "id": post_id,
            "post_id": post_id,
            "model_version": "bench-1",
            "probability": round(rng.uniform(0.05, 0.99), 3),
            "label": "hoax",
            "explanation": explanation,
            "scored_at": NOW,
        }
        for post_id in range(1, flagged + 1)
    )
    log(f"  scores: {_load(db, ScoreRow.__table__, scores):,}")  # type: ignore[arg-type]
    normalized = (
        {
            "post_id": post_id,
            "text": _sentence(rng, 12),
            "language": "id",
            "language_confidence": 0.98,
            "features": {},
            "normalizer_version": "bench",
            "claim_key": hashlib.sha256(f"case-{owners[post_id - 1]}".encode()).hexdigest(),
        }
        for post_id in range(1, flagged + 1)
    )
    log(f"  normalized: {_load(db, NormalizedPostRow.__table__, normalized):,}")  # type: ignore[arg-type]
    matches = (
        {"post_id": post_id, "watchlist_id": 1 + post_id % len(watchlists)}
        for post_id in range(1, sizes.posts + 1, 3)
    )
    log(f"  watchlist matches: {_load(db, WatchlistMatchRow.__table__, matches):,}")  # type: ignore[arg-type]
    events = (
        {
            "at": NOW,
            "actor": "system",
            "action": "case.open",
            "entity_type": "case",
            "entity_id": str(case_id),
            "details": {},
        }
        for case_id in range(1, sizes.cases + 1)
    )
    log(f"  audit events: {_load(db, AuditEventRow.__table__, events):,}")  # type: ignore[arg-type]
    if db.dialect == "postgresql":
        with db.engine.begin() as connection:
            for table in ("users", "sources", "watchlists", "cases", "posts", "scores"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            connection.execute(text("ANALYZE"))
    else:
        with db.engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    log(f"  generated in {time.perf_counter() - started:.0f} s")


def existing_size(db: Database) -> tuple[int, int]:
    """(posts, cases) already in the store, or (0, 0) for an empty or unmigrated one."""
    try:
        with db.session() as session:
            posts = session.scalar(select(func.max(PostRow.id))) or 0
            cases = session.scalar(select(func.max(CaseRow.id))) or 0
    except Exception:
        return 0, 0
    return int(posts), int(cases)


def main(argv: Sequence[str] | None = None) -> None:
    """Generate the data set into the store at --url (migrating it first)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of an empty store.")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=50_000)
    args = parser.parse_args(argv)
    db = Database(args.url)
    db.upgrade()
    generate(db, Sizes(posts=args.posts, cases=args.cases))
    db.dispose()


if __name__ == "__main__":
    main()
