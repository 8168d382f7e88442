"""Training: grouped validation, threshold on held-out predictions, the saved model folder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from monitor.model.dataset import LabelledData
from monitor.model.registry import CARD_JSON, CARD_MD, FINGERPRINTS_FILE, MODEL_FILE
from monitor.model.tables import file_sha256
from monitor.model.train import TrainConfig, text_fingerprint, train_model
from monitor.text import FEATURE_NAMES, NORMALIZER_VERSION
from tests.model.conftest import SMALL_CONFIG, VERSION, TrainedModel


def test_it_validates_by_claim_by_topic_and_by_time(trained: TrainedModel) -> None:
    evaluation = trained.result.evaluation
    assert list(evaluation) == ["claim_group", "topic", "time"]
    assert evaluation["claim_group"]["folds"] == 4
    assert evaluation["topic"]["folds"] == 4  # four topics, one per fold
    assert evaluation["time"]["test_rows"] + evaluation["time"]["train_rows"] == len(trained.data)
    for report in evaluation.values():
        for name, entry in report["metrics"].items():
            assert entry["low"] <= entry["value"] <= entry["high"], name
        assert report["bootstrap"]["unit"] == "group"


def test_the_model_learns_the_signal_in_the_corpus(trained: TrainedModel) -> None:
    # Style separates hoax from valid posts in the synthetic corpus, imperfectly.
    roc_auc = trained.result.evaluation["claim_group"]["metrics"]["roc_auc"]["value"]
    assert roc_auc > 0.75


def test_the_threshold_is_chosen_on_held_out_predictions(trained: TrainedModel) -> None:
    choice = trained.result.threshold
    assert choice.target_precision == SMALL_CONFIG.target_precision
    assert 0.0 < choice.threshold < 1.0
    if choice.target_met:
        assert choice.precision >= SMALL_CONFIG.target_precision
    else:
        assert any("threshold" in note for note in trained.result.notes)
    assert trained.result.evaluation["claim_group"]["threshold_per_row"] is True


def test_the_model_folder_holds_model_cards_and_fingerprints(trained: TrainedModel) -> None:
    assert {p.name for p in trained.path.iterdir()} == {
        MODEL_FILE,
        CARD_JSON,
        CARD_MD,
        FINGERPRINTS_FILE,
    }
    prints = (trained.path / FINGERPRINTS_FILE).read_text().split()
    assert set(prints) == {text_fingerprint(t) for t in trained.data.texts}


def test_the_card_records_data_parameters_metrics_and_threshold(trained: TrainedModel) -> None:
    card = json.loads((trained.path / CARD_JSON).read_text())
    assert card["version"] == VERSION
    assert card["normalizer_version"] == NORMALIZER_VERSION
    assert card["model"]["sha256"] == file_sha256(trained.path / MODEL_FILE)
    (entry,) = card["data"]["files"]
    assert entry["sha256"] == file_sha256(trained.corpus)
    assert entry["rows_used"] == len(trained.data)
    assert card["data"]["labels"] == trained.data.label_counts()
    assert card["data"]["claim_groups"] == len(set(trained.data.claim_groups))
    assert card["parameters"]["word_hash_bits"] == 12
    assert card["parameters"]["target_precision"] == 0.8
    assert card["features"]["surface"] == list(FEATURE_NAMES)
    assert card["threshold"]["value"] == pytest.approx(trained.result.threshold.threshold)
    assert card["evaluation"]["primary"] == "claim_group"
    roc = card["evaluation"]["schemes"]["topic"]["metrics"]["roc_auc"]
    assert set(roc) == {"value", "low", "high"}
    markdown = (trained.path / CARD_MD).read_text()
    assert f"# Pantau hoax model {VERSION}" in markdown
    assert "| topic |" in markdown
    assert entry["sha256"][:16] in markdown


def test_the_model_file_is_small(trained: TrainedModel) -> None:
    assert (trained.path / MODEL_FILE).stat().st_size < 20 * 2**20


def _subset_without_topics_and_dates(data: LabelledData, rows: int) -> LabelledData:
    subset = data.subset(range(rows))
    subset.topics = [None] * rows
    subset.dates = [None] * rows
    subset.claim_groups = [None] * rows
    return subset


def test_without_groups_it_falls_back_to_near_duplicate_clusters(trained: TrainedModel) -> None:
    data = _subset_without_topics_and_dates(trained.data, 80)
    stages: list[str] = []
    result = train_model(
        data,
        TrainConfig(params=SMALL_CONFIG.params, folds=3, n_boot=20),
        fit_final=False,
        progress=lambda stage, done, total: stages.append(stage),
    )
    assert result.estimator is None
    assert list(result.evaluation) == ["near_duplicate"]
    assert "near_duplicate folds" in stages
    assert "final fit" not in stages
    assert any("topic" in note for note in result.notes)
    assert any("time split" in note for note in result.notes)


def test_one_class_cannot_be_trained(trained: TrainedModel) -> None:
    hoax_rows = np.flatnonzero(trained.data.y == 1)
    with pytest.raises(ValueError, match="both"):
        train_model(trained.data.subset(hoax_rows), SMALL_CONFIG)


def test_fingerprints_ignore_case_and_spacing() -> None:
    assert text_fingerprint("Vaksin  ADA chip\n") == text_fingerprint("vaksin ada chip")
    assert text_fingerprint("vaksin ada chip") != text_fingerprint("vaksin tanpa chip")


def test_card_paths_inside_the_working_directory_are_relative(
    trained: TrainedModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.model.card import build_card
    from monitor.model.dataset import LoadOptions

    monkeypatch.chdir(trained.corpus.parent)
    card = build_card(trained.result, version="x", options=LoadOptions())
    assert card["data"]["files"][0]["path"] == trained.corpus.name
