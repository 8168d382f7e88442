"""Comparing a candidate with the active model: same rows, own thresholds, a stated rule."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from monitor.analysis.compare import (
    HeldOutLeak,
    PromotionRule,
    compare_models,
    paired_pr_auc_gain,
)
from monitor.analysis.heldout import fingerprints
from monitor.model.registry import FINGERPRINTS_FILE
from tests.analysis.builders import unseen_rows


def _report(precision: float | None) -> dict[str, Any]:
    return {"metrics": {"precision": {"value": precision, "low": None, "high": None}}}


def test_a_candidate_ranking_better_without_losing_precision_is_better() -> None:
    better, reasons = PromotionRule().decide(_report(0.85), _report(0.80), 0.02, (-0.01, 0.05))

    assert better
    assert any("gain +0.020 is above" in r for r in reasons)


def test_no_gain_in_pr_auc_is_not_better() -> None:
    better, reasons = PromotionRule().decide(_report(0.9), _report(0.8), 0.0, (-0.02, 0.02))

    assert not better
    assert any("is not above" in r for r in reasons)


def test_a_gain_below_the_required_margin_is_not_better() -> None:
    rule = PromotionRule(min_pr_auc_gain=0.05)

    better, _ = rule.decide(_report(0.9), _report(0.8), 0.03, (0.01, 0.05))

    assert not better


def test_lower_precision_at_the_threshold_is_not_better() -> None:
    better, reasons = PromotionRule().decide(_report(0.78), _report(0.80), 0.05, (0.01, 0.09))

    assert not better
    assert any("precision falls from 0.800 to 0.780" in r for r in reasons)


def test_a_tolerated_precision_drop_is_still_better() -> None:
    rule = PromotionRule(max_precision_drop=0.03)

    better, _ = rule.decide(_report(0.78), _report(0.80), 0.05, (0.01, 0.09))

    assert better


def test_a_candidate_that_flags_nothing_is_not_better() -> None:
    better, reasons = PromotionRule().decide(_report(None), _report(0.8), 0.05, (0.01, 0.09))

    assert not better
    assert any("flags nothing" in r for r in reasons)


def test_an_active_model_that_flags_nothing_does_not_block_the_candidate() -> None:
    better, _ = PromotionRule().decide(_report(0.7), _report(None), 0.05, (0.01, 0.09))

    assert better


def test_a_required_significant_gain_needs_the_interval_above_zero() -> None:
    rule = PromotionRule(require_significant_gain=True)

    unsure, reasons = rule.decide(_report(0.9), _report(0.8), 0.04, (-0.01, 0.09))
    sure, _ = rule.decide(_report(0.9), _report(0.8), 0.04, (0.01, 0.09))

    assert not unsure
    assert any("not above zero" in r for r in reasons)
    assert sure


def test_the_rule_describes_itself() -> None:
    text = PromotionRule(min_pr_auc_gain=0.01, require_significant_gain=True).describe()

    assert "PR-AUC higher by more than 0.010" in text
    assert "interval" in text


def test_a_perfect_ranking_gains_over_a_random_one_with_an_interval_above_zero() -> None:
    rng = np.random.default_rng(0)
    y = np.tile([0, 1], 50)
    perfect = y * 0.5 + 0.25
    noise = rng.random(100)

    gain, (low, high) = paired_pr_auc_gain(y, perfect, noise, np.arange(100), n_boot=200)

    assert gain > 0.3
    assert 0 < low <= gain <= high


def test_two_identical_models_gain_exactly_nothing() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 60)
    p = rng.random(60)

    gain, interval = paired_pr_auc_gain(y, p, p.copy(), np.arange(60) // 3, n_boot=100)

    assert gain == 0.0
    assert interval == (0.0, 0.0)


def test_the_gain_interval_is_undefined_when_no_resample_holds_a_hoax() -> None:
    gain, interval = paired_pr_auc_gain(
        np.zeros(4, dtype=int), np.full(4, 0.5), np.full(4, 0.5), np.arange(4), n_boot=10
    )

    assert math.isnan(gain)
    assert all(math.isnan(v) for v in interval)


@pytest.fixture
def heldout() -> pd.DataFrame:
    """40 labelled rows written for the tests: no shipped model was trained on them."""
    return unseen_rows(20)


def test_twin_models_compare_equal_on_every_metric_and_are_not_promoted(
    twin_registry: Path, heldout: pd.DataFrame
) -> None:
    comparison = compare_models(
        twin_registry / "2026.01.02-1", twin_registry / "2026.01.01-1", heldout, n_boot=50
    )

    table = comparison.table()
    assert comparison.candidate_version == "2026.01.02-1"
    assert comparison.active_version == "2026.01.01-1"
    assert list(table.index) == ["pr_auc", "roc_auc", "precision", "recall", "macro_f1", "brier"]
    assert (table["difference"] == 0).all()
    assert (table["candidate"] == table["active"]).all()
    assert comparison.pr_auc_gain == 0.0
    assert not comparison.better
    assert comparison.n == 40
    assert comparison.scores["p_candidate"].tolist() == comparison.scores["p_active"].tolist()
    assert comparison.confusion().loc["candidate"].sum() == 40
    assert "decision: keep the active model" in comparison.summary()


def test_a_rule_that_accepts_a_tie_marks_the_twin_better(
    twin_registry: Path, heldout: pd.DataFrame
) -> None:
    rule = PromotionRule(min_pr_auc_gain=-1.0)

    comparison = compare_models(
        twin_registry / "2026.01.02-1",
        twin_registry / "2026.01.01-1",
        heldout,
        rule=rule,
        n_boot=20,
    )

    assert comparison.better
    assert "decision: promote" in comparison.summary()


def _fingerprinted_folder(path: Path, texts: pd.Series) -> Path:
    path.mkdir()
    (path / FINGERPRINTS_FILE).write_text("\n".join(fingerprints(texts)) + "\n", encoding="utf-8")
    return path


def test_held_out_rows_a_model_was_trained_on_are_refused(
    tmp_path: Path, heldout: pd.DataFrame, shipped_model: Path
) -> None:
    candidate = _fingerprinted_folder(tmp_path / "candidate", heldout["text"].head(3))

    with pytest.raises(HeldOutLeak, match=r"candidate model .* trained on 3 of the held-out rows"):
        compare_models(candidate, shipped_model, heldout)


def test_held_out_rows_need_both_classes(twin_registry: Path, heldout: pd.DataFrame) -> None:
    hoaxes = heldout.loc[heldout["y"] == 1]

    with pytest.raises(ValueError, match="both hoax and valid"):
        compare_models(twin_registry / "2026.01.02-1", twin_registry / "2026.01.01-1", hoaxes)


def test_a_model_without_fingerprints_is_compared_with_a_note(
    twin_registry: Path, heldout: pd.DataFrame
) -> None:
    (twin_registry / "2026.01.01-1" / FINGERPRINTS_FILE).unlink()

    comparison = compare_models(
        twin_registry / "2026.01.02-1", twin_registry / "2026.01.01-1", heldout, n_boot=10
    )

    assert len(comparison.notes) == 1
    assert "active model (2026.01.01-1) has no fingerprints.txt" in comparison.notes[0]
    assert "note: the active model" in comparison.summary()
