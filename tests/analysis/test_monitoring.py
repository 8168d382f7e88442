"""Weekly monitoring: volumes, flag rate, new cases and score drift against a baseline."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update

from monitor.analysis.monitoring import (
    POST_COLUMNS,
    WEEK_COLUMNS,
    drift_level,
    psi,
    scored_posts,
    weekly_stats,
)
from monitor.store.db import Database
from monitor.store.posts import PostRow
from tests.analysis.builders import add_case, add_posts, add_score


def test_identical_distributions_have_no_drift() -> None:
    scores = np.linspace(0, 1, 50)

    assert psi(scores, scores) == 0.0


def test_psi_sums_share_differences_weighted_by_their_log_ratio() -> None:
    expected = np.array([0.05] * 50 + [0.95] * 50)
    actual = np.array([0.05] * 25 + [0.95] * 75)

    # Two bins used: 0.5 → 0.25 and 0.5 → 0.75; the eight empty bins contribute nothing.
    want = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert psi(expected, actual) == pytest.approx(want)


def test_psi_of_an_empty_week_is_undefined() -> None:
    assert math.isnan(psi(np.array([0.2]), np.array([])))


def test_drift_levels_follow_the_usual_psi_rule_of_thumb() -> None:
    assert [drift_level(v) for v in (0.05, 0.1, 0.2, 0.25, math.nan)] == [
        "stable",
        "moderate",
        "moderate",
        "major",
        "n/a",
    ]


def _posts(rows: Sequence[tuple[str, float | None, str | None, int | None]]) -> pd.DataFrame:
    """Rows of (day, probability, label, case id) as scored_posts would return them."""
    return pd.DataFrame(
        [
            {
                "post_id": i,
                "seen_at": pd.Timestamp(day),
                "probability": math.nan if p is None else p,
                "label": label,
                "model_version": None if p is None else "m1",
                "case_id": case,
            }
            for i, (day, p, label, case) in enumerate(rows)
        ],
        columns=list(POST_COLUMNS),
    )


def test_weeks_count_posts_scores_flags_and_new_cases() -> None:
    posts = _posts(
        [
            ("2026-11-16 08:00", 0.9, "hoax", 1),  # Monday of week 47
            ("2026-11-22 23:59", 0.1, "valid", None),  # Sunday, same week
            ("2026-11-23 00:00", 0.8, "hoax", 1),  # next week, case 1 already seen
            ("2026-11-24 10:00", 0.7, "hoax", 2),
            ("2026-11-25 10:00", None, None, None),  # not scored yet
        ]
    )

    weekly = weekly_stats(posts)

    assert list(weekly.columns) == list(WEEK_COLUMNS)
    assert [w.strftime("%Y-%m-%d") for w in weekly.index] == ["2026-11-16", "2026-11-23"]
    assert weekly["posts"].tolist() == [2, 3]
    assert weekly["scored"].tolist() == [2, 2]
    assert weekly["flagged"].tolist() == [1, 2]
    assert weekly["flag_rate"].tolist() == [0.5, 1.0]
    assert weekly["mean_score"].tolist() == [0.5, 0.75]
    assert weekly["new_cases"].tolist() == [1, 1]
    assert weekly["models"].tolist() == ["m1", "m1"]


def test_drift_is_measured_against_the_baseline_weeks() -> None:
    posts = _posts(
        [("2026-11-02", 0.1, "valid", None)] * 10
        + [("2026-11-09", 0.1, "valid", None)] * 10
        + [("2026-11-16", 0.9, "hoax", None)] * 10
    )

    weekly = weekly_stats(posts, baseline_weeks=2)

    assert weekly["baseline"].tolist() == [True, True, False]
    assert weekly["psi"].tolist()[:2] == [0.0, 0.0]
    assert weekly["drift"].tolist() == ["stable", "stable", "major"]
    assert weekly["ks"].tolist()[2] == 1.0
    assert weekly["ks_pvalue"].tolist()[2] < 0.01


def test_a_week_without_posts_is_listed_with_zeros() -> None:
    posts = _posts([("2026-11-02", 0.2, "valid", None), ("2026-11-16", 0.3, "valid", None)])

    weekly = weekly_stats(posts)

    assert weekly["posts"].tolist() == [1, 0, 1]
    assert math.isnan(weekly["flag_rate"].tolist()[1])
    assert weekly["drift"].tolist()[1] == "n/a"


def test_no_posts_give_an_empty_table() -> None:
    assert weekly_stats(_posts([])).empty


def test_the_baseline_needs_at_least_one_week() -> None:
    with pytest.raises(ValueError, match="baseline_weeks"):
        weekly_stats(_posts([("2026-11-02", 0.2, "valid", None)]), baseline_weeks=0)


def test_each_post_has_its_newest_score_time_and_case(db: Database) -> None:
    published = datetime(2026, 11, 21, 6, 30, tzinfo=UTC)
    first, second, third = add_posts(
        db, ["satu", "dua", "tiga"], published=[published, None, published]
    )
    add_score(db, first, 0.2, version="old")
    add_score(db, first, 0.9, version="new")
    add_score(db, second, 0.4, version="new")
    case = add_case(db, [first])
    fetched = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    with db.transaction() as session:
        session.execute(update(PostRow).where(PostRow.id == second).values(fetched_at=fetched))

    with db.session() as session:
        posts = scored_posts(session).set_index("post_id")

    assert posts.loc[first, "probability"] == 0.9
    assert posts.loc[first, "model_version"] == "new"
    assert posts.loc[first, "label"] == "hoax"
    assert posts.loc[first, "case_id"] == case
    assert posts.loc[first, "seen_at"] == pd.Timestamp("2026-11-21 06:30")
    assert posts.loc[second, "seen_at"] == pd.Timestamp("2026-11-25 12:00")
    third_probability = posts.loc[third, "probability"]
    assert isinstance(third_probability, float)
    assert math.isnan(third_probability)
    # pandas-stubs: a .loc cell may be a Period or Interval, which isna's stub leaves out
    # although isna takes any object.
    assert pd.isna(posts.loc[third, "case_id"])  # type: ignore[arg-type]
