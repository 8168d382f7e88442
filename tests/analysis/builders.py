"""Store rows for the analysis tests: cases with posts, scores and reviewers' verdicts.

Everything goes through the real tables; users are inserted directly (hashing a password
with argon2 for each test would only slow the suite down).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select

from monitor.pipeline.ingest import ingest
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.posts import PostRow, ScoreRow
from monitor.store.review import LabelRow
from monitor.store.users import UserRow
from tests.factories import add_source, post

WHEN = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def add_user(db: Database, email: str = "reviewer@example.org") -> int:
    """Insert an active central reviewer and return the id."""
    with db.transaction() as session:
        user = UserRow(email=email, name=email, password_hash="not-a-hash", role="central_reviewer")
        session.add(user)
        session.flush()
        return user.id


def add_posts(
    db: Database,
    texts: Sequence[str],
    *,
    source: str = "feed",
    platform: str | None = None,
    published: Sequence[datetime | None] | None = None,
    ids: Sequence[str] | None = None,
) -> list[int]:
    """Ingest ``texts`` as posts of a new source and return their ids in order.

    ``ids`` are the posts' external ids (default ``<source>-<index>``).
    """
    source_id = add_source(db, name=source)
    times = list(published) if published is not None else [WHEN] * len(texts)
    external = list(ids) if ids is not None else [f"{source}-{i}" for i in range(len(texts))]
    raw = {"platform": platform} if platform else {}
    with db.transaction() as session:
        ingest(
            session,
            source_id,
            [
                post(external_id, text, published_at=when, raw=raw)
                for external_id, text, when in zip(external, texts, times, strict=True)
            ],
            max_chars=10_000,
        )
        return list(
            session.scalars(
                select(PostRow.id).where(PostRow.source_id == source_id).order_by(PostRow.id)
            )
        )


def add_case(
    db: Database, post_ids: Sequence[int], *, topic: str | None = None, key: str | None = None
) -> int:
    """Open a case holding ``post_ids`` and return its id."""
    with db.transaction() as session:
        case = CaseRow(
            claim_key=key or f"key-{post_ids[0]}",
            title="a claim",
            status="new",
            first_seen_at=WHEN,
            last_seen_at=WHEN,
            topic=topic,
            priority_parts={},
        )
        session.add(case)
        session.flush()
        for post_id in post_ids:
            session.add(CasePostRow(post_id=post_id, case_id=case.id))
        return case.id


def add_labels(
    db: Database, case_id: int, user_id: int, verdicts: Sequence[str | tuple[str, str]]
) -> None:
    """Record verdicts on a case, oldest first; ``(verdict, category)`` gives a category."""
    with db.transaction() as session:
        for item in verdicts:
            verdict, category = item if isinstance(item, tuple) else (item, None)
            session.add(
                LabelRow(case_id=case_id, user_id=user_id, verdict=verdict, category=category)
            )
            session.flush()


def add_score(
    db: Database, post_id: int, probability: float, *, version: str = "m1", threshold: float = 0.5
) -> None:
    """Store a score of ``post_id`` by model ``version``."""
    with db.transaction() as session:
        session.add(
            ScoreRow(
                post_id=post_id,
                model_version=version,
                probability=probability,
                label="hoax" if probability >= threshold else "valid",
                explanation={},
            )
        )


_CLAIMS = (
    "vaksin campak bikin anak mandul",
    "bansos PKH dihentikan total",
    "harga LPG 3 kg naik jadi Rp 40 ribu",
    "bendungan jebol air bah menuju kota",
    "pendaftaran CPNS tanpa tes cukup transfer",
)
_PLACES = ("Sleman", "Garut", "Deli Serdang", "Sumenep", "Kapuas Hulu")
_SERVICES = ("pembuatan KTP-el", "posyandu balita", "pengaduan bansos", "vaksinasi lansia")


def unseen_rows(per_class: int = 20) -> pd.DataFrame:
    """Labelled rows written for these tests, so no shipped model was trained on them.

    Hoaxes shout and ask to be forwarded; valid rows read like local announcements.
    """
    rows: list[dict[str, str | int | None]] = []
    for i in range(per_class):
        claim = _CLAIMS[i % len(_CLAIMS)]
        hoax = f"SEBARKAN!!! {claim} mulai {i + 1} Desember, info orang dalam 🙏🙏 #waspada{i}"
        place, service = _PLACES[i % len(_PLACES)], _SERVICES[i % len(_SERVICES)]
        valid = f"Pemkab {place} membuka layanan {service} hari Sabtu pukul {7 + i % 5}.00 ({i})."
        for text, label in ((hoax, "hoax"), (valid, "valid")):
            rows.append(
                {
                    "text": text,
                    "label": label,
                    "y": int(label == "hoax"),
                    "topic": "test",
                    "register": "facebook",
                    "claim_group": f"{label}-{i}",
                    "date": None,
                    "hoax_category": "fabricated" if label == "hoax" else None,
                    "source": "store",
                    "file": None,
                    "origin": f"post {len(rows) + 1}",
                }
            )
    return pd.DataFrame(rows)
