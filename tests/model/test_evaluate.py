"""Evaluating a model on labelled data without counting rows it was trained on."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.model.dataset import load_labelled
from monitor.model.evaluate import evaluate_model, training_fingerprints
from monitor.model.scorer import Scorer
from tests.model.conftest import TrainedModel
from tests.model.corpus import synthetic_rows, write_corpus

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_rows_seen_in_training_are_left_out(trained: TrainedModel) -> None:
    scorer = Scorer.load(trained.path)
    with pytest.raises(ValueError, match="nothing held out"):
        evaluate_model(scorer, trained.path, trained.data, n_boot=10)


def test_including_seen_rows_is_possible_and_reported(
    trained: TrainedModel, tmp_path: Path
) -> None:
    scorer = Scorer.load(trained.path)
    report = evaluate_model(
        scorer, trained.path, trained.data, include_seen=True, n_boot=20, plots_dir=tmp_path
    )
    assert report["rows_seen_in_training"] == len(trained.data)
    assert report["rows_seen_included"] is True
    assert report["files"][0]["used_in_training"] is True
    assert report["n"] == len(trained.data)


def test_held_out_rows_get_metrics_intervals_and_plots(
    trained: TrainedModel, tmp_path: Path
) -> None:
    fresh = write_corpus(tmp_path / "fresh.csv", synthetic_rows(seed=99))
    data = load_labelled([fresh])
    scorer = Scorer.load(trained.path)
    report = evaluate_model(scorer, trained.path, data, plots_dir=tmp_path / "plots", n_boot=50)
    seen = report["rows_seen_in_training"]
    assert 0 <= seen < len(data)
    assert report["n"] == len(data) - seen
    assert report["files"][0]["used_in_training"] is False
    assert report["threshold"] == pytest.approx(scorer.threshold)
    roc = report["metrics"]["roc_auc"]
    assert roc["low"] <= roc["value"] <= roc["high"]
    assert sum(report["confusion"].values()) == report["n"]
    assert [Path(p).name for p in report["plots"]] == ["pr_curve.png", "calibration.png"]
    for plot in report["plots"]:
        assert Path(plot).read_bytes().startswith(PNG_MAGIC)


def test_a_model_without_fingerprints_has_none(tmp_path: Path) -> None:
    assert training_fingerprints(tmp_path) == set()
