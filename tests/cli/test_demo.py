"""The out-of-the-box demo through the real commands: `pantau init`, then the demo stream.

This is what `make run` shows a newcomer, with the shipped pantau.toml, the shipped model
and the bundled demo files, so it checks the whole chain rather than one stage: watchlists
that catch every repeated claim, a model that flags them, clustering that keeps each claim
in one case, and the demo's archive of clarifications recognised when a hoax resurfaces.
The expected groups come from ``monitor/demo/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.store.cases import CasePostRow
from monitor.store.claims import KnownHoaxMatchRow, KnownHoaxRow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from tests.cli.helpers import REPO, pantau_env, run_pantau

DEMO = REPO / "monitor" / "demo"
_CLAIM_ROW = re.compile(r"^\| `([\w-]+)` \| \d+ \| ([^|]+) \|[^|]+\| ([^|]+) \|$")
_IDS = re.compile(r"demo-\d{4}")


def _demo_claims() -> dict[str, tuple[list[str], list[str]]]:
    """Each repeated claim of the demo: its copies and its related (not copy) posts."""
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    return {
        m.group(1): (_IDS.findall(m.group(2)), _IDS.findall(m.group(3)))
        for m in map(_CLAIM_ROW.match, text.splitlines())
        if m
    }


def _resurfacing_posts() -> list[str]:
    text = (DEMO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Resurfacing known hoax", 1)[1].split("##", 1)[0]
    return _IDS.findall(section.split("are near-duplicates", 1)[0])


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, str]]:
    """A store initialised as `make run` does, with the whole demo stream processed."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'pantau.db'}"
    env = pantau_env(url, folder, PANTAU_CONFIG=str(REPO / "pantau.toml"), PANTAU_SEED_DEMO="true")
    init = run_pantau(env, "init")
    run_pantau(env, "import", str(DEMO / "demo_stream.jsonl"), "--source", "demo-import")
    db = Database(url)
    yield db, init.stdout
    db.dispose()


def _case_of(db: Database) -> dict[str, int]:
    with db.session() as session:
        return dict(
            session.execute(
                select(PostRow.external_id, CasePostRow.case_id).join(
                    CasePostRow, CasePostRow.post_id == PostRow.id
                )
            ).all()
        )


def test_init_seeds_the_demo_source_and_its_archive_of_clarifications(
    demo_store: tuple[Database, str],
) -> None:
    db, init_output = demo_store
    with db.session() as session:
        known = session.scalars(select(KnownHoaxRow)).all()
    assert known, "the demo's known hoaxes were not imported"
    said = " ".join(init_output.split())  # rich wraps long lines at the terminal width
    assert f"{len(known)} known clarified hoax(es)" in said
    assert "demo source 'demo'" in said


@pytest.mark.parametrize("claim", sorted(_demo_claims()))
def test_each_repeated_demo_claim_is_one_case_holding_its_copies(
    demo_store: tuple[Database, str], claim: str
) -> None:
    db, _ = demo_store
    copies, related = _demo_claims()[claim]
    case_of = _case_of(db)
    cases = {case_of[c] for c in copies if c in case_of}
    flagged = [c for c in copies if c in case_of]
    assert len(flagged) >= 2, f"{claim}: only {flagged} of {copies} reached a case"
    assert len(cases) == 1, f"{claim}: copies spread over cases {cases}"
    (case,) = cases
    wrongly_joined = [r for r in related if case_of.get(r) == case]
    assert not wrongly_joined, f"{claim}: related posts {wrongly_joined} joined the copies"


def test_the_resurfacing_hoax_is_recognised_with_its_old_clarification(
    demo_store: tuple[Database, str],
) -> None:
    db, _ = demo_store
    case_of = _case_of(db)
    cases = {case_of[p] for p in _resurfacing_posts() if p in case_of}
    assert len(cases) == 1
    with db.session() as session:
        matches = session.execute(
            select(
                KnownHoaxMatchRow.case_id, KnownHoaxRow.claim, KnownHoaxRow.clarification_url
            ).join(KnownHoaxRow, KnownHoaxRow.id == KnownHoaxMatchRow.known_hoax_id)
        ).all()
    assert [(case, claim[:26]) for case, claim, _url in matches] == [
        (cases.pop(), "Beras plastik beredar di p")
    ]
    assert matches[0].clarification_url.startswith("https://")


def test_init_twice_adds_nothing(demo_store: tuple[Database, str], tmp_path: Path) -> None:
    db, _ = demo_store
    with db.session() as session:
        before = len(session.scalars(select(KnownHoaxRow)).all())
    env = pantau_env(
        str(db.engine.url),
        tmp_path,
        PANTAU_CONFIG=str(REPO / "pantau.toml"),
        PANTAU_SEED_DEMO="true",
    )
    again = run_pantau(env, "init")
    assert "demo" not in again.stdout
    with db.session() as session:
        assert len(session.scalars(select(KnownHoaxRow)).all()) == before
