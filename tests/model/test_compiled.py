"""The compiled forward pass equals the estimator, and its contributions add up."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer

from monitor.model import compiled as compiled_module
from monitor.model.compiled import CompiledModel, char_wb_grams, word_units
from monitor.model.estimator import ModelParams, build_estimator, build_prehashed_estimator
from monitor.model.estimator import hash_frame as hash_rows
from monitor.model.inputs import RAW_COLUMN, model_input_from_raw
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


def test_units_hash_to_the_columns_of_scikit_learns_hasher(trained: TrainedModel) -> None:
    assert trained.result.estimator is not None
    compiled = CompiledModel(trained.result.estimator)
    units = ["VIRAL", "‼️WASPADA‼️", "ｆｕｌｌ", "anan", "naïve", "url:bit.ly", "a b"]
    for block in compiled.blocks:
        reference = FeatureHasher(
            n_features=block.n_features, input_type="string", alternate_sign=False
        ).transform(block.grams_of(u) for u in units)
        assert (block._hash(units) != reference).nnz == 0


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


def test_scores_stay_exact_when_the_unit_cache_fills_up(
    trained: TrainedModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    estimator = trained.result.estimator
    assert estimator is not None
    monkeypatch.setattr(compiled_module, "_UNIT_CACHE_LIMIT", 60)
    compiled = CompiledModel(estimator)
    frame = model_input_from_raw(trained.data.texts[:60])
    expected = estimator.predict_proba(frame)[:, 1]
    for start in range(0, 60, 10):  # each batch overflows the small cache and clears it
        got = compiled.forward_frame(frame.iloc[start : start + 10]).probability
        np.testing.assert_allclose(got, expected[start : start + 10], rtol=0, atol=1e-12)
    assert 0 < len(compiled.blocks[1].store.ids) <= 60 + 60


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


@pytest.mark.parametrize("weight", [1.0, 0.3])
def test_the_surface_weight_is_folded_into_the_compiled_pass(
    trained: TrainedModel, weight: float
) -> None:
    params = dataclasses.replace(SMALL_PARAMS, surface_weight=weight)
    frame = model_input_from_raw(trained.data.texts)
    groups = np.array(trained.data.claim_groups)
    estimator = build_estimator(params, FEATURE_NAMES, groups).fit(frame, trained.data.y)
    weights = estimator.estimator.named_steps["features"].transformer_weights
    assert weights == (None if weight == 1.0 else {"surface": weight})
    probe = model_input_from_raw(trained.data.texts[:20] + TRICKY)
    np.testing.assert_allclose(
        CompiledModel(estimator).forward_frame(probe).probability,
        estimator.predict_proba(probe)[:, 1],
        rtol=0,
        atol=1e-12,
    )


def test_cards_without_a_surface_weight_read_as_unscaled() -> None:
    old_card = {k: v for k, v in ModelParams().to_json().items() if k != "surface_weight"}
    assert ModelParams.from_json(old_card).surface_weight == 1.0
    assert ModelParams.from_json(ModelParams(surface_weight=0.2).to_json()).surface_weight == 0.2


def test_an_estimator_of_another_layout_is_refused(trained: TrainedModel) -> None:
    estimator = build_estimator(ModelParams(), FEATURE_NAMES, ["a", "b"])
    with pytest.raises(ModelFileError, match="layout"):
        CompiledModel(estimator)


def test_each_word_collects_the_shares_of_its_char_grams(trained: TrainedModel) -> None:
    """Reference attribution built from scikit-learn's own char block output: a column's
    contribution is split evenly over its occurrences in the post, and every distinct word
    of a post is one item holding the shares of all its occurrences."""
    estimator = trained.result.estimator
    assert estimator is not None
    compiled = CompiledModel(estimator)
    raw_block = compiled.blocks[1]
    texts = ["kata kata kata kata", "VIRAL!! anan banana anan", *trained.data.texts[:8]]
    frame = model_input_from_raw(texts)
    forward = compiled.forward_frame(frame)
    features = estimator.calibrated_classifiers_[0].estimator.named_steps["features"]
    tfidf = features.named_transformers_["char"].transform(frame[RAW_COLUMN])
    raw = next(block for block in forward.blocks if block.kind == "raw")
    items = {(int(p), u): v for p, u, v in zip(raw.post, raw.unit, raw.value, strict=True)}
    assert len(items) == len(raw.value)  # one item per distinct word of a post
    for post, text in enumerate(texts):
        row = tfidf.getrow(post)
        contribution = dict(zip(row.indices, row.data * raw_block.coef[row.indices], strict=True))
        columns_of = {}
        for word in set(text.split()):
            hashed = raw_block._hash([word])
            columns_of[word] = hashed.indices.repeat(hashed.data.astype(int))
        occurrences: dict[int, int] = {}
        for word in text.split():
            for column in columns_of[word]:
                occurrences[column] = occurrences.get(column, 0) + 1
        for word in set(text.split()):
            expected = text.split().count(word) * sum(
                contribution.get(c, 0.0) / occurrences[c] for c in columns_of[word]
            )
            assert items[(post, word)] == pytest.approx(expected, abs=1e-12), (text, word)
    assert (raw_block.column_slot == -1).all()  # the compiled pass leaves its map cleared
