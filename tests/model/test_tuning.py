"""Nested parameter selection: it reads only the rows it is given, and every fold selects
on its own training rows."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from monitor.model.card import save_trained_model
from monitor.model.dataset import LoadOptions
from monitor.model.estimator import PrehashedModel, hash_frame, topic_spread_mask
from monitor.model.inputs import model_input_from_raw
from monitor.model.registry import CARD_JSON, CARD_MD
from monitor.model.train import train_model
from monitor.model.tuning import (
    TuningGrid,
    describe_choices,
    fold_decisions,
    inner_groups,
    select_params,
)
from monitor.model.validation import Tuning, cross_validate
from monitor.text import FEATURE_NAMES
from tests.model.conftest import SMALL_CONFIG, SMALL_PARAMS, TrainedModel

#: Two C values far apart and both surface weights: four candidates, two inner folds.
GRID = TuningGrid(c_values=(0.01, 10.0), surface_weights=(0.0, 1.0), inner_folds=2)


@pytest.fixture(scope="module")
def hashed(trained: TrainedModel) -> sp.csr_matrix:
    return hash_frame(model_input_from_raw(trained.data.texts), SMALL_PARAMS, FEATURE_NAMES)


def _groups(trained: TrainedModel) -> np.ndarray:
    data = trained.data
    return inner_groups(
        np.asarray(data.topics, dtype=object), np.asarray(data.claim_groups, dtype=object)
    )


def test_inner_groups_use_the_topic_where_known_and_the_claim_group_elsewhere() -> None:
    groups = inner_groups(
        np.array(["health", None, "health"], dtype=object), np.array(["a", "b", "c"])
    )
    assert groups.tolist() == ["topic:health", "group:b", "topic:health"]


def test_the_grid_lists_every_pair_and_refuses_to_be_empty() -> None:
    pairs = [(p.c, p.surface_weight) for p in GRID.candidates(SMALL_PARAMS)]
    assert pairs == [(0.01, 0.0), (0.01, 1.0), (10.0, 0.0), (10.0, 1.0)]
    assert all(
        p.word_hash_bits == SMALL_PARAMS.word_hash_bits for p in GRID.candidates(SMALL_PARAMS)
    )
    with pytest.raises(ValueError, match="at least one C"):
        TuningGrid(c_values=())
    with pytest.raises(ValueError, match="two inner folds"):
        TuningGrid(inner_folds=1)


def test_shared_features_give_each_candidates_own_decision_values(
    trained: TrainedModel, hashed: sp.csr_matrix
) -> None:
    data = trained.data
    topics = np.asarray(data.topics, dtype=object)
    train, test = (
        np.arange(0, len(data.y), 3),
        np.setdiff1d(np.arange(len(data.y)), np.arange(0, len(data.y), 3)),
    )
    candidates = GRID.candidates(SMALL_PARAMS)
    shared = fold_decisions(hashed, data.y, train, test, candidates, len(FEATURE_NAMES), topics)
    for candidate, values in zip(candidates, shared, strict=True):
        allowed = topic_spread_mask(hashed[train], topics[train], candidate, len(FEATURE_NAMES))
        alone = PrehashedModel(candidate, len(FEATURE_NAMES), allowed).fit(
            hashed[train], data.y[train]
        )
        np.testing.assert_array_equal(values, alone.decision_function(hashed[test]))
    assert not np.array_equal(shared[0], shared[-1])
    with pytest.raises(ValueError, match="only in C and the surface weight"):
        fold_decisions(
            hashed, data.y, train, test,
            [SMALL_PARAMS, dataclasses.replace(SMALL_PARAMS, char_ngram_max=3)],
            len(FEATURE_NAMES), topics,
        )  # fmt: skip


def test_the_winner_is_the_best_scoring_candidate(
    trained: TrainedModel, hashed: sp.csr_matrix
) -> None:
    y = trained.data.y
    selection = select_params(
        hashed, y, np.arange(len(y)), _groups(trained), SMALL_PARAMS, GRID, len(FEATURE_NAMES)
    )
    assert selection.skipped is None
    assert [(c, w) for c, w, _ in selection.scores] == [
        (p.c, p.surface_weight) for p in GRID.candidates(SMALL_PARAMS)
    ]
    best = max(selection.scores, key=lambda s: s[2])
    assert (selection.params.c, selection.params.surface_weight) == best[:2]
    assert all(0.0 <= s <= 1.0 for _, _, s in selection.scores)
    # The synthetic corpus has a real signal: some candidate ranks well above chance.
    assert best[2] > 0.7


def test_selection_reads_only_its_rows(trained: TrainedModel, hashed: sp.csr_matrix) -> None:
    y = trained.data.y
    rows = np.arange(0, len(y), 2)
    groups = _groups(trained)
    chosen = select_params(hashed, y, rows, groups, SMALL_PARAMS, GRID, len(FEATURE_NAMES))
    scrambled = y.copy()
    others = np.setdiff1d(np.arange(len(y)), rows)
    scrambled[others] = 1 - scrambled[others]
    again = select_params(hashed, scrambled, rows, groups, SMALL_PARAMS, GRID, len(FEATURE_NAMES))
    assert again == chosen
    # ... while the labels of its own rows do matter.
    flipped = select_params(hashed, 1 - y, rows, groups, SMALL_PARAMS, GRID, len(FEATURE_NAMES))
    assert [s for *_, s in flipped.scores] != [s for *_, s in chosen.scores]


def test_without_two_groups_the_base_parameters_stay(
    trained: TrainedModel, hashed: sp.csr_matrix
) -> None:
    y = trained.data.y
    one_group = np.array(["g"] * len(y), dtype=object)
    selection = select_params(
        hashed, y, np.arange(len(y)), one_group, SMALL_PARAMS, GRID, len(FEATURE_NAMES)
    )
    assert selection.params == SMALL_PARAMS
    assert selection.scores == ()
    assert selection.skipped is not None and "two groups" in selection.skipped


def test_each_fold_selects_on_its_own_training_rows(
    trained: TrainedModel, hashed: sp.csr_matrix
) -> None:
    data = trained.data
    claims = np.asarray(data.claim_groups, dtype=object)
    groups = _groups(trained)
    cv = cross_validate(
        hashed,
        data.y,
        claims,
        claims,
        3,
        SMALL_PARAMS,
        len(FEATURE_NAMES),
        tuning=Tuning(GRID, groups),
    )
    assert len(cv.selections) == cv.n_folds == 3
    for fold, selection in enumerate(cv.selections):
        train = np.flatnonzero(cv.fold_ids != fold)
        own = select_params(hashed, data.y, train, groups, SMALL_PARAMS, GRID, len(FEATURE_NAMES))
        assert selection == own
    assert not np.isnan(cv.probabilities).any()


def test_a_tuned_model_records_its_choice(trained: TrainedModel, tmp_path: Path) -> None:
    config = dataclasses.replace(SMALL_CONFIG, tuning=GRID)
    result = train_model(trained.data, config)
    assert result.selection is not None
    assert result.config.params == result.selection.params
    assert result.config.to_json()["tuning"] == GRID.to_json()
    for scheme in ("claim_group", "topic", "time"):
        chosen = result.evaluation[scheme]["tuning"]["chosen"]
        assert chosen and all(
            (c["c"], c["surface_weight"]) in {(0.01, 0.0), (0.01, 1.0), (10.0, 0.0), (10.0, 1.0)}
            for c in chosen
        )
    assert (
        len(result.evaluation["topic"]["tuning"]["chosen"]) == result.evaluation["topic"]["folds"]
    )
    assert any("tuning chose" in note for note in result.notes)
    path = save_trained_model(result, tmp_path, "2026.01.03-1", LoadOptions())
    card = json.loads((path / CARD_JSON).read_text())
    assert card["parameters"]["c"] == result.selection.params.c
    assert card["parameters"]["tuning"] == GRID.to_json()
    assert card["tuning_selection"] == json.loads(json.dumps(result.selection.to_json()))
    assert "tuning chose C=" in (path / CARD_MD).read_text()


def test_choices_are_summed_up_most_frequent_first() -> None:
    chosen = [
        {"c": 3.0, "surface_weight": 0.0},
        {"c": 1.0, "surface_weight": 0.05},
        {"c": 1.0, "surface_weight": 0.05},
    ]
    assert describe_choices(chosen) == "C=1, surface 0.05 x2; C=3, surface 0 x1"
