"""Scoring with a registered model: probabilities, labels, explanations, safety checks."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from monitor.model.inputs import model_input_from_raw
from monitor.model.persist import ModelFileError
from monitor.model.registry import CARD_JSON, MODEL_FILE, ModelNotFound
from monitor.model.scorer import Explanation, Scorer, ScoreResult
from monitor.text import normalize_many
from tests.model.conftest import VERSION, TrainedModel

HOAX_POST = "VIRAL!! vaksin booster ada chip 5G!!! SEBARKAN sebelum dihapus 🙏🙏"
VALID_POST = "Siaran pers: vaksinasi booster dibuka di puskesmas. Informasi di situs resmi."


def _score(
    scorer: Scorer, texts: list[str], *, explain: bool = True, top_k: int = 8
) -> list[ScoreResult]:
    return scorer.score_many(texts, normalize_many(texts), explain=explain, top_k=top_k)


def test_it_loads_a_model_with_its_version_threshold_and_card(trained: TrainedModel) -> None:
    scorer = Scorer.load(trained.path)
    assert scorer.version == VERSION
    assert scorer.threshold == pytest.approx(trained.result.threshold.threshold, abs=1e-6)
    assert scorer.card["data"]["rows"] == len(trained.data)
    assert scorer.normalizer_matches


def test_scores_equal_the_estimators_probabilities(trained: TrainedModel) -> None:
    scorer = Scorer.load(trained.path)
    texts = trained.data.texts[:30]
    results = _score(scorer, texts)
    assert trained.result.estimator is not None
    expected = trained.result.estimator.predict_proba(model_input_from_raw(texts))[:, 1]
    np.testing.assert_allclose([r.probability for r in results], expected, atol=1e-12)


def test_a_shouting_share_plea_outscores_a_press_release(trained: TrainedModel) -> None:
    hoax, valid = _score(Scorer.load(trained.path), [HOAX_POST, VALID_POST])
    assert hoax.probability > valid.probability
    assert 0.0 <= valid.probability <= hoax.probability <= 1.0


def test_the_label_follows_the_threshold(trained: TrainedModel) -> None:
    texts = trained.data.texts
    low = Scorer.load(trained.path, threshold=0.0)
    high = Scorer.load(trained.path, threshold=1.0 + 1e-9)
    assert {r.label for r in _score(low, texts)} == {"hoax"}
    assert {r.label for r in _score(high, texts)} == {"valid"}
    scorer = Scorer.load(trained.path)
    for result in _score(scorer, texts):
        assert result.label == ("hoax" if result.probability >= scorer.threshold else "valid")


def test_explanations_rank_terms_by_their_push(trained: TrainedModel) -> None:
    (result,) = _score(Scorer.load(trained.path), [HOAX_POST], top_k=5)
    up, down = result.explanation.up, result.explanation.down
    assert 0 < len(up) <= 5
    assert len(down) <= 5
    assert all(w > 0 for _, w in up)
    assert all(w < 0 for _, w in down)
    assert [w for _, w in up] == sorted((w for _, w in up), reverse=True)
    assert [w for _, w in down] == sorted(w for _, w in down)
    kinds = {label.split(":", 1)[0] for label, _ in up + down}
    assert kinds <= {"term", "raw", "feature"}


def test_explanations_survive_a_json_round_trip(trained: TrainedModel) -> None:
    (result,) = _score(Scorer.load(trained.path), [HOAX_POST])
    data = json.loads(json.dumps(result.explanation.to_json()))
    assert Explanation.from_json(data) == result.explanation
    assert data["up"][0].keys() == {"kind", "text", "weight"}
    assert "towards hoax" in result.explanation.render()


def test_without_explain_the_explanations_are_empty(trained: TrainedModel) -> None:
    (result,) = _score(Scorer.load(trained.path), [HOAX_POST], explain=False)
    assert result.explanation == Explanation(up=[], down=[])


def test_empty_batches_and_mismatched_lengths(trained: TrainedModel) -> None:
    scorer = Scorer.load(trained.path)
    assert scorer.score_many([], []) == []
    with pytest.raises(ValueError, match="one to one"):
        scorer.score_many(["a", "b"], normalize_many(["a"]))


def test_a_model_file_changed_after_its_card_was_written_is_refused(
    trained: TrainedModel, tmp_path: Path
) -> None:
    copy = shutil.copytree(trained.path, tmp_path / VERSION)
    with (copy / MODEL_FILE).open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelFileError, match="sha256"):
        Scorer.load(copy)


def test_a_folder_without_card_or_model_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        Scorer.load(tmp_path)


def test_it_warns_when_the_model_was_trained_with_another_normalizer(
    trained: TrainedModel, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    copy = shutil.copytree(trained.path, tmp_path / VERSION)
    card = json.loads((copy / CARD_JSON).read_text())
    card["normalizer_version"] = "0.0.0-old"
    (copy / CARD_JSON).write_text(json.dumps(card))
    with caplog.at_level(logging.WARNING, logger="monitor.model.scorer"):
        scorer = Scorer.load(copy)
    assert not scorer.normalizer_matches
    assert "normalizer 0.0.0-old" in caplog.text
