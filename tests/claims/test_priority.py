"""Priority: one formula of score, reach, velocity, topic and known-hoax match."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import select

from monitor.claims.aggregates import refresh_cases
from monitor.claims.priority import FORMULA, PriorityInputs, case_priority, priority_parts
from monitor.claims.settings import ClaimSettings
from monitor.pipeline.flag import flag_into_cases
from monitor.store.cases import CaseRow
from monitor.store.db import Database
from tests.claims.builders import START, candidates, store_posts

SETTINGS = ClaimSettings()
BASE = PriorityInputs(
    probability=0.8,
    engagement=99,
    authors=10,
    posts=12,
    recent_posts=6,
    earlier_posts=6,
    earlier_hours=60.0,
    topic=None,
    known_hoax=False,
)


def _with(**fields: object) -> PriorityInputs:
    values = {name: getattr(BASE, name) for name in BASE.__dataclass_fields__}
    values.update(fields)
    return PriorityInputs(**values)


def test_the_parts_multiply_to_the_priority() -> None:
    parts = priority_parts(BASE, SETTINGS)
    assert parts["formula"] == FORMULA
    assert parts["reach"] == round(1 + math.log10(100) + math.log10(10), 4)
    assert parts["posts_per_hour"] == 1.0
    assert parts["earlier_posts_per_hour"] == 0.1
    assert parts["trend"] == round((1.0 + 1.0) / (0.1 + 1.0), 4)
    assert parts["velocity"] == round(1 + math.log2(2) * (2.0 / 1.1), 4)
    product = 0.8 * parts["reach"] * parts["velocity"] * 1.0 * 1.0
    assert math.isclose(parts["priority"], product, rel_tol=1e-3)


def test_a_claim_spreading_faster_than_before_ranks_higher_than_a_steady_one() -> None:
    accelerating = case_priority(_with(recent_posts=12, earlier_posts=6, earlier_hours=60))
    steady = case_priority(_with(recent_posts=12, earlier_posts=120, earlier_hours=60))
    slowing = case_priority(_with(recent_posts=1, earlier_posts=120, earlier_hours=60))
    assert accelerating > steady > slowing


def test_sensitive_topics_and_known_hoaxes_raise_the_priority() -> None:
    plain = case_priority(BASE)
    assert math.isclose(case_priority(_with(topic="religion_ethnicity")), plain * 1.6, rel_tol=1e-6)
    assert case_priority(_with(topic="unlisted")) == plain
    assert math.isclose(case_priority(_with(known_hoax=True)), plain * 1.5, rel_tol=1e-6)
    tuned = ClaimSettings(topic_weights={"education": 3.0})
    assert math.isclose(case_priority(_with(topic="education"), tuned), plain * 3.0, rel_tol=1e-6)


def test_no_score_means_no_priority_however_viral() -> None:
    assert case_priority(_with(probability=0.0, engagement=10**9, recent_posts=10**6)) == 0.0


def test_velocity_is_counted_from_the_posts_and_decays_when_asked(db: Database) -> None:
    text = "Merapi akan meletus besar 3 hari lagi, radius 20 km wajib dikosongkan. Sebarkan!"
    ids = store_posts(db, [text] * 8, step=timedelta(hours=3))
    with db.transaction() as session:
        flag_into_cases(session, candidates(db, ids))
    with db.transaction() as session:
        case = session.scalar(select(CaseRow))
        assert case is not None
        parts = dict(case.priority_parts)
        # Posts at 0, 3, ... 21 h: the 6 h window up to the newest holds the ones at 18 and 21 h
        # (the one at exactly 15 h is outside), so 2 recent and 6 earlier over 15 hours.
        assert parts["posts_per_hour"] == round(2 / 6, 4)
        assert parts["earlier_posts_per_hour"] == round(6 / 15, 4)
        assert parts["posts"] == 8
        before = case.priority
        refresh_cases(session, [case.id], SETTINGS, as_of=START + timedelta(days=3))
    with db.session() as session:
        later = session.scalar(select(CaseRow))
        assert later is not None
        assert later.priority_parts["posts_per_hour"] == 0.0
        assert later.priority < before
