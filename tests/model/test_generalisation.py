"""Guards against what does not transfer to new topics and registers.

The topic-spread filter keeps only n-grams several training topics use; surface features
are clipped to their training range. Both are part of the persisted estimator, so the
compiled scorer must reproduce them exactly.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import scipy.sparse as sp

from monitor.model.compiled import CompiledModel
from monitor.model.estimator import (
    ClipToTrainingRange,
    ColumnSelector,
    ModelParams,
    build_estimator,
    build_prehashed_estimator,
    hash_frame,
    topic_spread_mask,
)
from monitor.model.inputs import model_input_from_raw
from monitor.text import FEATURE_NAMES
from tests.model.conftest import SMALL_PARAMS, TrainedModel

HALF = ModelParams(min_topic_fraction=0.5)


def _usage(columns_per_row: list[list[int]], width: int) -> sp.csr_matrix:
    rows = [r for r, cols in enumerate(columns_per_row) for _ in cols]
    cols = [c for cols in columns_per_row for c in cols]
    return sp.csr_matrix(
        (np.full(len(cols), 2.0), (rows, cols)), shape=(len(columns_per_row), width)
    )


def test_an_ngram_needs_rows_from_enough_topics() -> None:
    # Columns 0-3 are n-grams, column 4 a surface feature. Five topics: half means three.
    hashed = _usage([[0, 1], [0, 1], [0, 2], [0], [0], [1, 3], [3]], width=5)
    topics = ["a", "a", "b", "c", "d", "e", "e"]
    mask = topic_spread_mask(hashed, topics, HALF, n_surface=1)
    assert mask is not None
    # 0: five topics; 1: topics a and e only (three rows, two topics); 2: one; 3: one.
    assert mask.tolist() == [True, False, False, False, True]


def test_rows_without_a_topic_count_towards_none() -> None:
    hashed = _usage([[0], [0], [0], [0], [1], [1], [1], [1]], width=3)
    topics = ["a", "b", "c", "d", None, None, None, "a"]
    mask = topic_spread_mask(hashed, topics, HALF, n_surface=1)
    assert mask is not None
    assert mask.tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("topics", "fraction"),
    [(["a", "b", "c", None], 0.5), (["a", "b", "c", "d"], 0.0)],
)
def test_the_filter_is_off_with_few_topics_or_a_zero_fraction(
    topics: list[str | None], fraction: float
) -> None:
    hashed = _usage([[0], [1], [0], [1]], width=3)
    params = ModelParams(min_topic_fraction=fraction)
    assert topic_spread_mask(hashed, topics, params, n_surface=1) is None


def test_the_selector_keeps_varying_columns_the_mask_allows() -> None:
    x = sp.csr_matrix(np.array([[1.0, 0.0, 3.0, 5.0], [2.0, 0.0, 0.0, 5.0]]))
    assert ColumnSelector().fit(x).get_support().tolist() == [True, False, True, False]
    allowed = np.array([False, True, True, True])
    assert ColumnSelector(allowed).fit(x).get_support().tolist() == [False, False, True, False]
    with pytest.raises(ValueError, match="3 columns"):
        ColumnSelector(np.ones(3, dtype=bool)).fit(x)


def test_clipping_stops_each_column_at_its_training_range() -> None:
    clip = ClipToTrainingRange().fit(np.array([[0.0, -1.0], [2.0, 1.0]]))
    out = clip.transform(np.array([[5.0, -9.0], [1.0, 0.5]]))
    assert out.tolist() == [[2.0, -1.0], [1.0, 0.5]]


def test_the_shipped_layout_filters_ngrams_by_topic(trained: TrainedModel) -> None:
    estimator = trained.result.estimator
    assert estimator is not None
    pipeline = estimator.calibrated_classifiers_[0].estimator
    selector = pipeline.named_steps["select"]
    assert isinstance(selector, ColumnSelector)
    assert selector.allowed is not None  # the synthetic corpus has four topics
    frame = model_input_from_raw(trained.data.texts)
    hashed = hash_frame(frame, SMALL_PARAMS, FEATURE_NAMES)
    expected = topic_spread_mask(hashed, trained.data.topics, SMALL_PARAMS, len(FEATURE_NAMES))
    assert expected is not None
    np.testing.assert_array_equal(selector.allowed, expected)
    # Some n-gram used in training was dropped for being bound to one topic.
    used = np.asarray((hashed != 0).sum(axis=0)).ravel() > 0
    assert (used & ~selector.get_support()).any()


def test_the_prehashed_twin_applies_the_same_mask(trained: TrainedModel) -> None:
    frame = model_input_from_raw(trained.data.texts)
    groups = np.array(trained.data.claim_groups)
    hashed = hash_frame(frame, SMALL_PARAMS, FEATURE_NAMES)
    allowed = topic_spread_mask(hashed, trained.data.topics, SMALL_PARAMS, len(FEATURE_NAMES))
    full = build_estimator(SMALL_PARAMS, FEATURE_NAMES, groups, allowed).fit(frame, trained.data.y)
    twin = build_prehashed_estimator(SMALL_PARAMS, len(FEATURE_NAMES), groups, allowed)
    twin.fit(hashed, trained.data.y)
    np.testing.assert_allclose(
        twin.predict_proba(hashed)[:, 1], full.predict_proba(frame)[:, 1], atol=1e-6
    )


def test_far_out_of_range_posts_score_as_the_estimator_does(trained: TrainedModel) -> None:
    estimator = trained.result.estimator
    assert estimator is not None
    compiled = CompiledModel(estimator)
    article = " ".join(trained.data.texts) * 3  # far longer than any training post
    shouting = "AWAS!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!! " * 20
    probe = model_input_from_raw([article, shouting, *trained.data.texts[:5]])
    result = compiled.forward_frame(probe)
    np.testing.assert_allclose(
        result.probability, estimator.predict_proba(probe)[:, 1], rtol=0, atol=1e-12
    )
    # The length features of the article contribute exactly what the longest training
    # post's do: beyond the training range there is no extra evidence.
    longest = int(np.argmax([len(t) for t in trained.data.texts]))
    reference = compiled.forward_frame(model_input_from_raw([trained.data.texts[longest]]))
    index = compiled.surface_names.index("char_count")
    assert result.surface_contrib[0, index] == pytest.approx(reference.surface_contrib[0, index])


def test_without_clipping_length_keeps_growing(trained: TrainedModel) -> None:
    """The reason for clipping: an unclipped model extrapolates length without bound."""
    params = dataclasses.replace(SMALL_PARAMS, clip_surface=False, surface_weight=1.0)
    frame = model_input_from_raw(trained.data.texts)
    groups = np.array(trained.data.claim_groups)
    estimator = build_estimator(params, FEATURE_NAMES, groups).fit(frame, trained.data.y)
    compiled = CompiledModel(estimator)
    index = compiled.surface_names.index("char_count")
    longest = max(trained.data.texts, key=len)
    probes = model_input_from_raw([longest, longest * 50])
    contrib = compiled.forward_frame(probes).surface_contrib[:, index]
    assert abs(contrib[1]) > abs(contrib[0])
    np.testing.assert_allclose(
        compiled.forward_frame(probes).probability,
        estimator.predict_proba(probes)[:, 1],
        rtol=0,
        atol=1e-12,
    )


def test_cards_without_the_new_settings_describe_the_old_behaviour() -> None:
    old = {
        k: v
        for k, v in ModelParams().to_json().items()
        if k not in {"min_topic_fraction", "clip_surface"}
    }
    params = ModelParams.from_json(old)
    assert params.min_topic_fraction == 0.0
    assert params.clip_surface is False
    assert ModelParams.from_json(ModelParams().to_json()) == ModelParams()
