"""Monitoring over time: volumes, flag rate, mean score and score drift per week.

A post counts in the week it was published (its fetch time when the source gave none).
Each post is represented by its newest score. ``flagged`` means the score's own label is
hoax, i.e. the probability reached the threshold of the model that scored it; whether a
post was also required to match a watchlist is a pipeline setting and not counted here.

Drift compares each week's score distribution with the baseline (the first
``baseline_weeks`` weeks with scores):

- PSI (population stability index) over ten equal-width probability bins,
  ``Σ (a − e) · ln(a / e)`` with empty bins floored at ``1e-4``. Rule of thumb: below 0.1
  stable, 0.1–0.25 moderate shift, above 0.25 major shift (see :func:`drift_level`).
- The two-sample Kolmogorov–Smirnov statistic (largest gap between the two cumulative
  distributions) and its p-value.

A shift in scores is a prompt to look, not a verdict: the news changes from week to week,
and a new model or normalizer version changes scores too (the ``models`` column).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.store.cases import CasePostRow
from monitor.store.posts import PostRow, ScoreRow

#: Columns of :func:`scored_posts`.
POST_COLUMNS = ("post_id", "seen_at", "probability", "label", "model_version", "case_id")
#: Columns of :func:`weekly_stats`.
WEEK_COLUMNS = (
    "posts",
    "scored",
    "flagged",
    "flag_rate",
    "mean_score",
    "new_cases",
    "psi",
    "ks",
    "ks_pvalue",
    "drift",
    "baseline",
    "models",
)
PSI_FLOOR = 1e-4


def scored_posts(session: Session) -> pd.DataFrame:
    """Return one row per post with its newest score (NaN/None when not scored yet).

    ``seen_at`` is the publication time, else the fetch time, as a naive UTC timestamp;
    ``case_id`` is the post's case or None.
    """
    newest = (
        select(ScoreRow.post_id, func.max(ScoreRow.id).label("score_id"))
        .group_by(ScoreRow.post_id)
        .subquery()
    )
    statement = (
        select(
            PostRow.id,
            PostRow.published_at,
            PostRow.fetched_at,
            ScoreRow.probability,
            ScoreRow.label,
            ScoreRow.model_version,
            CasePostRow.case_id,
        )
        .outerjoin(newest, newest.c.post_id == PostRow.id)
        .outerjoin(ScoreRow, ScoreRow.id == newest.c.score_id)
        .outerjoin(CasePostRow, CasePostRow.post_id == PostRow.id)
        .order_by(PostRow.id)
    )
    rows = [
        {
            "post_id": post_id,
            "seen_at": (published or fetched).replace(tzinfo=None),
            "probability": math.nan if probability is None else float(probability),
            "label": label,
            "model_version": version,
            "case_id": case_id,
        }
        for post_id, published, fetched, probability, label, version, case_id in session.execute(
            statement
        )
    ]
    frame = pd.DataFrame(rows, columns=list(POST_COLUMNS))
    frame["seen_at"] = pd.to_datetime(frame["seen_at"])
    frame["probability"] = frame["probability"].astype(np.float64)
    return frame


def psi(expected: np.ndarray, actual: np.ndarray, bins: int = 10) -> float:
    """Return the population stability index of ``actual`` against ``expected``.

    Both are probabilities in [0, 1], binned into ``bins`` equal-width bins; bin shares
    below ``PSI_FLOOR`` are floored so empty bins stay finite. NaN when either is empty.
    """
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if len(expected) == 0 or len(actual) == 0:
        return math.nan
    edges = np.linspace(0.0, 1.0, bins + 1)
    e = np.histogram(np.clip(expected, 0.0, 1.0), edges)[0] / len(expected)
    a = np.histogram(np.clip(actual, 0.0, 1.0), edges)[0] / len(actual)
    e = np.maximum(e, PSI_FLOOR)
    a = np.maximum(a, PSI_FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def drift_level(value: float) -> str:
    """Return ``stable`` (PSI < 0.1), ``moderate`` (< 0.25), ``major`` or ``n/a`` (NaN)."""
    if math.isnan(value):
        return "n/a"
    if value < 0.1:
        return "stable"
    return "moderate" if value < 0.25 else "major"


def week_start(seen_at: pd.Series) -> pd.Series:
    """Return the Monday (00:00) of each timestamp's ISO week."""
    days = seen_at.dt.normalize()
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def weekly_stats(posts: pd.DataFrame, *, baseline_weeks: int = 1, bins: int = 10) -> pd.DataFrame:
    """Return one row per week (Monday to Sunday) from :func:`scored_posts` output.

    Columns (:data:`WEEK_COLUMNS`): posts seen, posts scored, flagged (score label hoax),
    ``flag_rate`` (flagged / scored), ``mean_score``, ``new_cases`` (cases whose earliest
    post falls in the week), ``psi``, ``ks``, ``ks_pvalue`` and ``drift`` against the
    baseline, ``baseline`` (whether the week is part of it) and ``models`` (versions that
    scored the week's posts). Weeks without posts between the first and last are listed
    with zeros. An empty input gives an empty table.

    Raises:
        ValueError: ``baseline_weeks`` is below 1.
    """
    if baseline_weeks < 1:
        raise ValueError("baseline_weeks must be at least 1")
    if posts.empty:
        return pd.DataFrame(columns=list(WEEK_COLUMNS)).rename_axis("week")
    posts = posts.assign(week=week_start(posts["seen_at"]))
    weeks = pd.date_range(posts["week"].min(), posts["week"].max(), freq="7D")
    scored = posts.loc[posts["probability"].notna()]
    by_week = posts.groupby("week")
    table = pd.DataFrame(index=pd.Index(weeks, name="week"))
    table["posts"] = by_week.size()
    table["scored"] = scored.groupby("week").size()
    table["flagged"] = scored.loc[scored["label"] == "hoax"].groupby("week").size()
    table[["posts", "scored", "flagged"]] = (
        table[["posts", "scored", "flagged"]].fillna(0).astype(np.int64)
    )
    table["flag_rate"] = (table["flagged"] / table["scored"].where(table["scored"] > 0)).round(4)
    table["mean_score"] = scored.groupby("week")["probability"].mean().round(4)
    cases = posts.dropna(subset=["case_id"]).groupby("case_id")["week"].min()
    table["new_cases"] = cases.value_counts().reindex(weeks, fill_value=0).astype(np.int64)

    scored_weeks = [w for w, n in zip(weeks, table["scored"], strict=True) if n > 0]
    baseline = set(scored_weeks[:baseline_weeks])
    reference = scored.loc[scored["week"].isin(baseline), "probability"].to_numpy()
    values: dict[str, list[float]] = {name: [] for name in ("psi", "ks", "ks_pvalue")}
    for week in weeks:
        current = scored.loc[scored["week"] == week, "probability"].to_numpy()
        if len(current) and len(reference):
            test = ks_2samp(reference, current)
            values["psi"].append(round(psi(reference, current, bins), 4))
            values["ks"].append(round(float(test.statistic), 4))
            values["ks_pvalue"].append(round(float(test.pvalue), 4))
        else:
            for name in values:
                values[name].append(math.nan)
    for name, column in values.items():
        table[name] = column
    table["drift"] = [drift_level(v) for v in table["psi"]]
    table["baseline"] = [w in baseline for w in weeks]
    versions = scored.groupby("week")["model_version"].agg(lambda v: ", ".join(sorted(set(v))))
    table["models"] = versions.reindex(weeks).fillna("")
    return table[list(WEEK_COLUMNS)]
