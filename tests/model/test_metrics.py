"""Metrics equal scikit-learn's, bootstrap intervals, and the threshold for a precision."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, f1_score, roc_auc_score

from monitor.model.metrics import (
    average_precision,
    choose_threshold,
    evaluate_predictions,
    point_metrics,
    roc_auc,
)


def _sample(seed: int, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    # Rounded scores create ties, the case where definitions differ most.
    p = np.round(np.clip(0.35 * y + rng.normal(0.35, 0.25, n), 0, 1), 2)
    return y, p


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ranking_metrics_equal_scikit_learn(seed: int) -> None:
    y, p = _sample(seed)
    assert roc_auc(y, p) == pytest.approx(roc_auc_score(y, p), abs=1e-12)
    assert average_precision(y, p) == pytest.approx(average_precision_score(y, p), abs=1e-12)


def test_threshold_metrics_equal_scikit_learn() -> None:
    y, p = _sample(3)
    flagged = (p >= 0.5).astype(int)
    got = point_metrics(y, p, 0.5)
    assert got["macro_f1"] == pytest.approx(f1_score(y, flagged, average="macro"))
    assert got["precision"] == pytest.approx(y[flagged == 1].mean())
    assert got["recall"] == pytest.approx(flagged[y == 1].mean())
    assert got["brier"] == pytest.approx(brier_score_loss(y, p))


def test_undefined_metrics_are_nan_not_errors() -> None:
    y = np.zeros(4, dtype=int)
    p = np.array([0.1, 0.2, 0.3, 0.4])
    got = point_metrics(y, p, 0.9)
    assert math.isnan(got["roc_auc"])
    assert math.isnan(got["precision"])
    assert math.isnan(got["recall"])


def test_intervals_bracket_the_value_and_group_bootstrap_is_wider() -> None:
    y, p = _sample(4, 400)
    groups = np.arange(400) // 20  # 20 groups of 20 rows
    by_row = evaluate_predictions(y, p, 0.5, n_boot=300, seed=1)
    by_group = evaluate_predictions(y, p, 0.5, groups=groups, n_boot=300, seed=1)
    for name, entry in by_row["metrics"].items():
        assert entry["low"] <= entry["value"] <= entry["high"], name
    assert by_group["bootstrap"]["unit"] == "group"
    width = lambda r: r["metrics"]["roc_auc"]["high"] - r["metrics"]["roc_auc"]["low"]  # noqa: E731
    assert width(by_group) > 0
    assert by_row["confusion"]["tp"] + by_row["confusion"]["fn"] == int(y.sum())


def test_per_row_thresholds_are_applied_row_by_row() -> None:
    y = np.array([1, 1, 0, 0])
    p = np.array([0.6, 0.6, 0.6, 0.6])
    report = evaluate_predictions(y, p, np.array([0.5, 0.7, 0.5, 0.7]), n_boot=10)
    assert report["confusion"] == {"tn": 1, "fp": 1, "fn": 1, "tp": 1}
    assert report["threshold_per_row"] is True


def test_the_threshold_reaches_the_target_with_the_most_recall() -> None:
    y = np.array([1] * 8 + [0] * 2 + [1] * 2 + [0] * 8)
    p = np.linspace(0.99, 0.01, 20)
    choice = choose_threshold(y, p, 0.8, min_flagged=1)
    assert choice.target_met
    flagged = p >= choice.threshold
    assert y[flagged].mean() >= 0.8
    # Every lower cut that flags more posts falls short of the target.
    for cut in p[p < choice.threshold]:
        more = p >= cut
        assert y[more].mean() < 0.8 or y[more].sum() == y[flagged].sum()
    assert choice.recall == pytest.approx(y[flagged].sum() / y.sum())


def test_an_unreachable_target_returns_the_most_precise_cut_and_says_so() -> None:
    y = np.array([0, 1, 0, 1, 0, 1])
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    choice = choose_threshold(y, p, 0.95, min_flagged=1)
    assert not choice.target_met
    assert choice.precision == pytest.approx(0.5)


def test_a_threshold_needs_a_hoax() -> None:
    with pytest.raises(ValueError):
        choose_threshold(np.zeros(3, dtype=int), np.array([0.1, 0.2, 0.3]), 0.8)
