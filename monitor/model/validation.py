"""Out-of-sample predictions for grouped cross-validation and time splits.

Rows are hashed once (:func:`monitor.model.estimator.hash_frame`; hashing has no fitted
state). Every fold then fits the whole calibrated model (IDF weights, scaler, feature
selection, classifier, calibration) on its training rows only, so nothing fitted ever sees
the rows it is judged on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from monitor.model.estimator import ModelParams, build_prehashed_estimator, topic_spread_mask
from monitor.model.grouping import assign_group_folds, fold_splits
from monitor.model.metrics import choose_threshold
from monitor.model.tuning import Selection, TuningGrid, select_params

FoldCallback = Callable[[int, int], None]


class ValidationError(Exception):
    """A split cannot be made or fitted (e.g. a training part with a single class)."""


@dataclass(frozen=True, slots=True)
class Tuning:
    """Nested parameter selection: the grid, and the inner group of every row."""

    grid: TuningGrid
    groups: np.ndarray


def fit_predict(
    hashed: sp.csr_matrix,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    calibration_groups: np.ndarray,
    params: ModelParams,
    n_surface: int,
    topics: np.ndarray | None = None,
    tuning: Tuning | None = None,
) -> tuple[np.ndarray, Selection | None]:
    """Fit on ``train`` rows of :func:`hash_frame` output; return ``test`` hoax probabilities.

    ``topics`` (one per row, ``None`` where unknown) feed the topic-spread filter, computed
    from the training rows only. With ``tuning``, C and the surface weight are first chosen
    by inner cross-validation over the ``train`` rows (:func:`select_params`); the
    selection is returned beside the probabilities (``None`` without tuning).

    BLAS and OpenMP are limited to one thread here too, because with ``n_jobs > 1`` this
    runs in a worker process that does not inherit the caller's limits.

    Raises:
        ValidationError: the training rows hold a single class.
    """
    if len(np.unique(y[train])) < 2:
        raise ValidationError("a training fold holds only one class")
    train_rows = hashed[train]  # one row slice of a wide sparse matrix, used twice
    with threadpool_limits(limits=1):
        selection = None
        if tuning is not None:
            selection = select_params(
                hashed, y, train, tuning.groups, params, tuning.grid, n_surface, topics
            )
            params = selection.params
        allowed = None
        if topics is not None:
            allowed = topic_spread_mask(train_rows, topics[train], params, n_surface)
        estimator = build_prehashed_estimator(params, n_surface, calibration_groups[train], allowed)
        estimator.fit(train_rows, y[train])
        predicted = np.asarray(estimator.predict_proba(hashed[test])[:, 1], dtype=np.float64)
        return predicted, selection


@dataclass(frozen=True, slots=True)
class CrossValidation:
    """Out-of-fold probabilities for every row, the fold of each row and the group used."""

    probabilities: np.ndarray
    fold_ids: np.ndarray
    groups: np.ndarray
    #: Each fold's parameter selection, in fold order (empty without tuning).
    selections: tuple[Selection, ...] = ()

    @property
    def n_folds(self) -> int:
        """Number of folds actually used (fewer than asked when there are fewer groups)."""
        return len(np.unique(self.fold_ids))

    @property
    def n_groups(self) -> int:
        """Number of distinct groups."""
        return len(np.unique(self.groups))


def cross_validate(
    hashed: sp.csr_matrix,
    y: np.ndarray,
    groups: np.ndarray,
    calibration_groups: np.ndarray,
    n_folds: int,
    params: ModelParams,
    n_surface: int,
    *,
    topics: np.ndarray | None = None,
    n_jobs: int = 1,
    on_fold: FoldCallback | None = None,
    tuning: Tuning | None = None,
) -> CrossValidation:
    """Run grouped k-fold cross-validation; every group stays inside one fold.

    With ``tuning`` every fold selects its parameters on its own training rows (nested
    cross-validation). ``on_fold(done, total)`` is called after each fold. Raises
    ValidationError when a fold cannot be fitted and ValueError when there are fewer than
    two groups.
    """
    fold_ids = assign_group_folds(groups, n_folds)
    splits = fold_splits(fold_ids)
    probabilities = np.full(len(y), np.nan)
    selections: list[Selection] = []
    jobs = (
        delayed(fit_predict)(
            hashed, y, train, test, calibration_groups, params, n_surface, topics, tuning
        )
        for train, test in splits
    )
    results: Iterator[tuple[np.ndarray, Selection | None]] = Parallel(
        n_jobs=n_jobs, return_as="generator"
    )(jobs)
    for done, ((_, test), (predicted, selection)) in enumerate(
        zip(splits, results, strict=True), start=1
    ):
        probabilities[test] = predicted
        if selection is not None:
            selections.append(selection)
        if on_fold is not None:
            on_fold(done, len(splits))
    return CrossValidation(probabilities, fold_ids, np.asarray(groups), tuple(selections))


def crossfit_thresholds(
    y: np.ndarray, probabilities: np.ndarray, fold_ids: np.ndarray, target_precision: float
) -> np.ndarray:
    """Return, per row, the threshold chosen on the other folds' out-of-fold predictions.

    Precision and recall at these thresholds are honest: no row helped choose its own cut.
    """
    out = np.empty(len(y), dtype=np.float64)
    for train, test in fold_splits(fold_ids):
        if y[train].sum() == 0:
            out[test] = 0.5
            continue
        out[test] = choose_threshold(y[train], probabilities[train], target_precision).threshold
    return out


@dataclass(frozen=True, slots=True)
class TimeSplit:
    """Rows dated up to ``train_until`` trained a model; rows from ``test_from`` were scored."""

    train_index: np.ndarray
    test_index: np.ndarray
    train_until: date
    test_from: date


def make_time_split(dates: Sequence[date | None], test_fraction: float) -> TimeSplit | None:
    """Split dated rows so the newest ``test_fraction`` (whole days) is held out.

    Returns None when under half the rows carry a date or all dates are the same day.
    """
    dated = [(d, i) for i, d in enumerate(dates) if d is not None]
    if len(dated) < max(2, len(dates) / 2):
        return None
    dated.sort()
    days = sorted({d for d, _ in dated})
    if len(days) < 2:
        return None
    cut_day = dated[min(len(dated) - 1, int(len(dated) * (1 - test_fraction)))][0]
    if cut_day == days[0]:
        cut_day = days[1]
    train = np.array([i for d, i in dated if d < cut_day], dtype=np.int64)
    test = np.array([i for d, i in dated if d >= cut_day], dtype=np.int64)
    train_until = max(d for d, _ in dated if d < cut_day)
    return TimeSplit(train, test, train_until, cut_day)
