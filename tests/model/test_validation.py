"""Cross-validation keeps groups whole; thresholds are cross-fitted; time splits by day."""

from __future__ import annotations

from datetime import date

import numpy as np

from monitor.model.estimator import hash_frame
from monitor.model.inputs import model_input_from_raw
from monitor.model.validation import cross_validate, crossfit_thresholds, make_time_split
from monitor.text import FEATURE_NAMES
from tests.model.conftest import SMALL_PARAMS, TrainedModel


def test_every_row_is_predicted_by_a_model_that_never_saw_its_group(
    trained: TrainedModel,
) -> None:
    data = trained.data
    hashed = hash_frame(model_input_from_raw(data.texts), SMALL_PARAMS, FEATURE_NAMES)
    groups = np.array(data.claim_groups, dtype=object)
    done: list[tuple[int, int]] = []
    cv = cross_validate(
        hashed,
        data.y,
        groups,
        groups,
        3,
        SMALL_PARAMS,
        len(FEATURE_NAMES),
        on_fold=lambda d, t: done.append((d, t)),
    )
    assert not np.isnan(cv.probabilities).any()
    assert done == [(1, 3), (2, 3), (3, 3)]
    for group in set(data.claim_groups):
        assert len(set(cv.fold_ids[groups == group].tolist())) == 1


def test_crossfit_thresholds_come_from_the_other_folds() -> None:
    fold0_y = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    fold0_p = [0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.5, 0.4, 0.3]
    fold1_y = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
    fold1_p = [0.99, 0.98, 0.97, 0.96, 0.95, 0.2, 0.15, 0.1, 0.05, 0.01]
    y = np.array(fold0_y + fold1_y)
    p = np.array(fold0_p + fold1_p)
    folds = np.array([0] * 10 + [1] * 10)
    cuts = crossfit_thresholds(y, p, folds, 0.8)
    # Fold 1 is judged with the cut chosen on fold 0 alone: all six hoaxes at 0.65.
    assert cuts[10:].tolist() == [0.65] * 10
    assert len(set(cuts[:10].tolist())) == 1
    assert cuts[0] != 0.65


def test_time_split_holds_out_the_newest_whole_days() -> None:
    dates = [date(2025, 1, d) for d in (1, 1, 2, 3, 3, 3, 4, 5, 5, 5)] + [None]
    split = make_time_split(dates, 0.3)
    assert split is not None
    assert split.test_from == date(2025, 1, 5)
    assert split.train_until == date(2025, 1, 4)
    assert sorted(split.test_index.tolist()) == [7, 8, 9]
    assert 10 not in split.train_index.tolist()


def test_no_time_split_without_enough_dates() -> None:
    assert make_time_split([None, None, date(2025, 1, 1)], 0.2) is None
    assert make_time_split([date(2025, 1, 1)] * 4, 0.2) is None
