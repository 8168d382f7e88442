"""The demo stream end to end: repeated hoaxes become single cases, a known hoax resurfaces.

Every demo post is treated as flagged, so the test is about grouping and matching, not about
the classifier. The expected groups come from ``monitor/demo/README.md``.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.claims.known import import_known_hoaxes, matches_for_case, read_known_hoaxes
from monitor.claims.settings import ClaimSettings
from monitor.pipeline.flag import flag_into_cases
from monitor.pipeline.ingest import ingest
from monitor.sources.base import FetchedPost
from monitor.store.cases import CasePostRow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from tests.claims.builders import candidates
from tests.factories import add_source

DEMO = Path(__file__).resolve().parents[2] / "monitor" / "demo"
_ROW = re.compile(r"^\| `([\w-]+)` \| \d+ \| ([^|]+) \|[^|]+\| ([^|]+) \|$")
_IDS = re.compile(r"demo-\d{4}")


def _readme() -> tuple[dict[str, tuple[list[str], list[str]]], list[str]]:
    """Repeating claims (copies, related posts) and the posts resurfacing a known hoax."""
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    claims = {
        m.group(1): (_IDS.findall(m.group(2)), _IDS.findall(m.group(3)))
        for m in map(_ROW.match, text.splitlines())
        if m
    }
    section = text.split("## Resurfacing known hoax", 1)[1].split("##", 1)[0]
    resurfacing = _IDS.findall(section.split("are near-duplicates", 1)[0])
    return claims, resurfacing


@pytest.fixture
def demo_cases(db: Database) -> dict[str, int | None]:
    """The case of every demo post after streaming the demo through the flag step."""
    source_id = add_source(db, name="demo")
    posts = [
        json.loads(line)
        for line in (DEMO / "demo_stream.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    settings = ClaimSettings()
    with db.transaction() as session:
        import_known_hoaxes(session, read_known_hoaxes(DEMO / "known_hoaxes.csv"), settings)
        ingest(
            session,
            source_id,
            [
                FetchedPost(
                    external_id=p["id"],
                    text=p["text"],
                    author=p["author"],
                    published_at=datetime.fromisoformat(p["published_at"].replace("Z", "+00:00")),
                    likes=p["likes"],
                    shares=p["shares"],
                    comments=p["comments"],
                )
                for p in posts
            ],
            max_chars=20_000,
        )
        ids = dict(session.execute(select(PostRow.external_id, PostRow.id)).all())
    ordered = [ids[p["id"]] for p in posts]
    for start in range(0, len(ordered), 50):
        with db.transaction() as session:
            flag_into_cases(session, candidates(db, ordered[start : start + 50]), settings)
    with db.session() as session:
        placed = dict(session.execute(select(CasePostRow.post_id, CasePostRow.case_id)).all())
    return {external: placed.get(post_id) for external, post_id in ids.items()}


def test_each_repeated_hoax_arrives_as_one_case_with_its_copies_inside(
    demo_cases: dict[str, int | None],
) -> None:
    claims, _ = _readme()
    assert len(claims) >= 12
    members: dict[int | None, set[str]] = {}
    for post, case in demo_cases.items():
        members.setdefault(case, set()).add(post)
    for slug, (copies, related) in claims.items():
        cases = {demo_cases[post] for post in copies}
        assert len(cases) == 1, f"{slug} is split over {len(cases)} cases"
        case = cases.pop()
        assert case is not None
        assert members[case] == set(copies), f"{slug} holds {members[case] - set(copies)}"
        assert not set(related) & members[case]


def test_the_resurfacing_known_hoax_is_recognised_with_its_old_clarification(
    db: Database, demo_cases: dict[str, int | None]
) -> None:
    _, resurfacing = _readme()
    assert len(resurfacing) == 3
    cases = {demo_cases[post] for post in resurfacing}
    assert len(cases) == 1
    case = cases.pop()
    assert case is not None
    with db.session() as session:
        [match] = matches_for_case(session, case)
        everything = [
            m for c in set(demo_cases.values()) if c for m in matches_for_case(session, c)
        ]
    assert match.claim.startswith("Beras plastik beredar di pasar tradisional")
    assert match.clarified_at.date().isoformat() == "2023-06-14"
    assert match.clarification.startswith("Uji laboratorium")
    assert match.clarification_url and match.clarification_url.startswith("https://example.org/")
    assert len(everything) == 1, "no other demo post is meant to match a known hoax"
