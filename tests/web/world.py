"""A small, realistic review world: people in every role, cases in several regions.

Rows go straight into the real store. Every account's password is :data:`PASSWORD`; its
argon2 hash is computed once per test session (hashing is deliberately slow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from monitor.auth.passwords import hash_password
from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow, WatchlistMatchRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow

PASSWORD = "kata-sandi-uji-123"  # the test accounts' shared password

#: name → (email, display name, role, region)
PEOPLE = {
    "admin": ("admin@kominfo.test", "Ayu Admin", "admin", None),
    "reviewer": ("reviewer@kominfo.test", "Budi Peninjau", "central_reviewer", None),
    "approver": ("approver@kominfo.test", "Citra Penyetuju", "central_reviewer", None),
    "analyst": ("analyst@kominfo.test", "Dedi Analis", "analyst", None),
    "jabar": ("humas@jabarprov.test", "Euis Jabar", "regional_officer", "Jawa Barat"),
    "papua": ("humas@papua.test", "Frans Papua", "regional_officer", "Papua"),
}

XSS_TEXT = (
    "Awas!! <script>alert('xss')</script> vaksin palsu beredar "
    '<img src=x onerror="alert(1)"> di Bandung, sebarkan!!'
)


@lru_cache(maxsize=1)
def password_hash() -> str:
    """The argon2 hash of PASSWORD (computed once)."""
    return hash_password(PASSWORD)


@dataclass
class World:
    """Ids of everything the world created, by name."""

    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)
    posts: dict[str, list[int]] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    watchlists: dict[str, int] = field(default_factory=dict)


def _explanation() -> dict[str, object]:
    return {
        "up": [
            {"kind": "term", "text": "vaksin palsu", "weight": 1.4},
            {"kind": "raw", "text": "sebarkan", "weight": 0.9},
            {"kind": "feature", "text": "exclamations", "weight": 0.3},
        ],
        "down": [{"kind": "term", "text": "dinkes", "weight": -0.6}],
    }


CASES = {
    # name: (title, region, topic, status, priority, probability, texts, watchlist)
    "jabar": (
        "Vaksin palsu beredar di Bandung, sebarkan!!",
        "Jawa Barat",
        "kesehatan",
        "new",
        3.6,
        0.93,
        [
            "Vaksin palsu beredar di Bandung, sebarkan!! jgn mau divaksin",
            "Fwd: vaksin palsu beredar di bandung 😱 sebarkan",
        ],
        "vaksin",
    ),
    "xss": (
        "Awas vaksin palsu di Bandung",
        "Jawa Barat",
        "kesehatan",
        "new",
        2.0,
        0.81,
        [XSS_TEXT],
        "vaksin",
    ),
    "papua": (
        "Bansos dihentikan untuk warga Jayapura mulai besok",
        "Papua",
        "bansos",
        "new",
        3.1,
        0.88,
        ["Info dari grup sebelah: bansos dihentikan utk warga Jayapura mulai besok!!"],
        "bansos",
    ),
    "central": (
        "Banjir bandang akan melanda Jakarta malam ini kata BMKG",
        None,
        "bencana",
        "in_review",
        1.8,
        0.77,
        [
            "BMKG: banjir bandang akan melanda Jakarta malam ini, ungsikan keluarga",
            "banjir bandang jakarta malam ini kata bmkg, sebarkan",
            "Katanya banjir bandang melanda Jakarta malam ini??",
        ],
        "banjir",
    ),
    "low": (
        "Harga LPG 3 kg naik jadi Rp50 ribu mulai Senin",
        None,
        "energi",
        "new",
        0.6,
        0.55,
        ["Harga LPG 3 kg naik jadi Rp50 ribu mulai Senin, kata tetangga"],
        None,
    ),
}


def build_world(db: Database, *, now: datetime | None = None) -> World:
    """Insert the people, sources, watchlists, cases, posts and scores; return their ids."""
    now = now or utcnow()
    world = World()
    with db.transaction() as session:
        for name, (email, display, role, region) in PEOPLE.items():
            user = UserRow(
                email=email,
                name=display,
                password_hash=password_hash(),
                role=role,
                region=region,
                language="id",
                active=True,
            )
            session.add(user)
            session.flush()
            world.users[name] = user.id
            world.emails[name] = email
        for name, region in (("feed", None), ("jabar-feed", "Jawa Barat")):
            source = SourceRow(
                name=name, kind="file", settings={}, region=region, consecutive_failures=0
            )
            session.add(source)
            session.flush()
            world.sources[name] = source.id
        for name, query, topic in (
            ("vaksin", "vaksin", "kesehatan"),
            ("bansos", "bansos", "bansos"),
            ("banjir", "banjir", "bencana"),
        ):
            listed = WatchlistRow(name=name, query=query, topic=topic, enabled=True)
            session.add(listed)
            session.flush()
            world.watchlists[name] = listed.id
        for offset, (name, spec) in enumerate(CASES.items()):
            title, region, topic, status, priority, probability, texts, watchlist = spec
            opened = now - timedelta(hours=2 + offset)
            case = CaseRow(
                claim_key=f"claim-{name}",
                title=title,
                status=status,
                opened_at=opened,
                first_seen_at=opened - timedelta(hours=1),
                last_seen_at=opened,
                post_count=len(texts),
                engagement=100 * (offset + 1),
                author_count=len(texts),
                source_count=1,
                max_probability=probability,
                priority=priority,
                priority_parts={"probability": probability, "engagement": 100 * (offset + 1)},
                topic=topic,
                region=region,
            )
            session.add(case)
            session.flush()
            world.cases[name] = case.id
            record(
                session,
                actor="system",
                action="case.open",
                entity_type="case",
                entity_id=case.id,
            )
            source_id = world.sources["jabar-feed" if region == "Jawa Barat" else "feed"]
            ids = []
            for i, text in enumerate(texts):
                post = PostRow(
                    source_id=source_id,
                    external_id=f"{name}-{i}",
                    url=f"https://example.org/{name}/{i}",
                    author=f"@warga_{name}_{i}",
                    text=text,
                    published_at=(opened - timedelta(minutes=30 * i)).astimezone(UTC),
                    likes=10 * (i + 1),
                    shares=5,
                    comments=2,
                    views=1000,
                    raw={},
                    content_hash=f"hash-{name}-{i}",
                    stage="processed",
                )
                session.add(post)
                session.flush()
                ids.append(post.id)
                session.add(
                    NormalizedPostRow(
                        post_id=post.id,
                        text=text.lower(),
                        language="id",
                        language_confidence=0.99,
                        features={},
                        normalizer_version="test",
                        claim_key=f"claim-{name}",
                    )
                )
                session.add(
                    ScoreRow(
                        post_id=post.id,
                        model_version="2026.11-test",
                        probability=probability - 0.01 * i,
                        label="hoax" if probability >= 0.6 else "valid",
                        explanation=_explanation(),
                    )
                )
                session.add(CasePostRow(post_id=post.id, case_id=case.id))
                if watchlist:
                    session.add(
                        WatchlistMatchRow(post_id=post.id, watchlist_id=world.watchlists[watchlist])
                    )
            world.posts[name] = ids
    return world
