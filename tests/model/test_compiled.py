"""The compiled forward pass equals the estimator, and its contributions add up."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import HashingVectorizer

from monitor.model.compiled import CompiledModel, char_wb_grams, word_units
from monitor.model.estimator import ModelParams, build_estimator, build_prehashed_estimator
from monitor.model.estimator import hash_frame as hash_rows
from monitor.model.inputs import model_input_from_raw
from monitor.model.persist import ModelFileError
from monitor.text import FEATURE_NAMES
from tests.model.conftest import SMALL_PARAMS, TrainedModel

TRICKY = [
    "",
    "   ",
    "!!!",
    "a",
    "ab",
    "VIRAL vaksin\n\nchip  ok",
    "‼️WASPADA‼️ 😱😱 info A1",
    "Harga BBM naik jadi Rp20.000/liter mulai 1/12 https://bit.ly/xyz @akun #viral",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ café naïve",
    "kata kata kata kata",
]


def test_char_grams_match_scikit_learns_char_wb_analyzer() -> None:
    analyzer = HashingVectorizer(analyzer="char_wb", lowercase=False, ngram_range=(2, 5))
    analyze = analyzer.build_analyzer()
    for text in TRICKY:
        ours = [g for word in text.split() for g in char_wb_grams(word, 2, 5)]
        assert sorted(ours) == sorted(analyze(text)), text


def test_word_units_match_scikit_learns_word_analyzer() -> None:
    analyzer = HashingVectorizer(token_pattern=r"\S+", lowercase=False, ngram_range=(1, 3))
    analyze = analyzer.build_analyzer()
    for text in ["", "satu", "satu dua", "url:bit.ly @mention emoji:pray tidak aman"]:
        assert sorted(word_units(text, 3)) == sorted(analyze(text))


def test_probabilities_and_decisions_equal_the_estimator(trained: TrainedModel) -> None:
    estimator = trained.result.estimator
    assert estimator is not None
    frame = model_input_from_raw(trained.data.texts[:40] + TRICKY)
    forward = CompiledModel(estimator).forward_frame(frame)
    expected = estimator.predict_proba(frame)[:, 1]
    np.testing.assert_allclose(forward.probability, expected, rtol=0, atol=1e-12)
    base = estimator.calibrated_classifiers_[0].estimator
    np.testing.assert_allclose(forward.decision, base.decision_function(frame), atol=1e-10)


def test_contributions_sum_to_the_decision_value(trained: TrainedModel) -> None:
    assert trained.result.estimator is not None
    compiled = CompiledModel(trained.result.estimator)
    frame = model_input_from_raw(trained.data.texts[:25] + TRICKY)
    forward = compiled.forward_frame(frame)
    total = forward.surface_contrib.sum(axis=1) + compiled.intercept
    for block in forward.blocks:
        total = total + np.bincount(block.post, weights=block.value, minlength=len(frame))
    np.testing.assert_allclose(total, forward.decision, atol=1e-10)
    assert {b.kind for b in forward.blocks} == {"term", "raw"}


def test_scoring_twice_uses_the_cache_and_gives_the_same_result(trained: TrainedModel) -> None:
    assert trained.result.estimator is not None
    compiled = CompiledModel(trained.result.estimator)
    frame = model_input_from_raw(trained.data.texts[:10])
    first = compiled.forward_frame(frame).probability
    assert compiled.forward_frame(frame).probability.tolist() == first.tolist()


def test_the_prehashed_twin_fits_the_same_model_as_the_pipeline(trained: TrainedModel) -> None:
    texts = trained.data.texts
    frame = model_input_from_raw(texts)
    groups = np.array(trained.data.claim_groups)
    full = build_estimator(SMALL_PARAMS, FEATURE_NAMES, groups).fit(frame, trained.data.y)
    twin = build_prehashed_estimator(SMALL_PARAMS, len(FEATURE_NAMES), groups)
    hashed = hash_rows(frame, SMALL_PARAMS, FEATURE_NAMES)
    twin.fit(hashed, trained.data.y)
    np.testing.assert_allclose(
        twin.predict_proba(hashed)[:, 1], full.predict_proba(frame)[:, 1], atol=1e-6
    )


def test_an_estimator_of_another_layout_is_refused(trained: TrainedModel) -> None:
    estimator = build_estimator(ModelParams(), FEATURE_NAMES, ["a", "b"])
    with pytest.raises(ModelFileError, match="layout"):
        CompiledModel(estimator)
