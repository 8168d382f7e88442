"""Choosing C and the surface weight by inner cross-validation on the training rows only.

The defaults of :class:`~monitor.model.estimator.ModelParams` suit our corpus of short
posts. Other data can want other values: on long news articles the normalizer's surface
counts mislead across topics and a stronger penalty generalises better (the external check
in ``benchmarks/mendeley_check.py`` goes from 0.670 to 0.696 ROC-AUC with tuning, every
fold choosing surface weight 0; on our corpus tuning keeps the defaults). Tuning is opt-in
(``pantau train --tune``) because it multiplies the fits by ``len(candidates) x
inner_folds`` (uncalibrated, sharing features across C: training takes about 4x as long).

Honesty: every validation fold selects on its own training rows (nested cross-validation),
so its reported metrics never saw the rows that chose its parameters; the final model
selects on all rows. Inner folds are grouped by topic where rows carry one, otherwise by
claim group, because the question is how well the choice carries to unseen topics.

Selection is by ROC-AUC of the uncalibrated decision values: the calibrated estimator is a
monotone sigmoid of one base model (``ensemble=False``), so calibration cannot change a
ranking and is skipped in the inner fits.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import roc_auc_score

from monitor.model.estimator import ModelParams, PrehashedModel, classifier, topic_spread_mask
from monitor.model.grouping import assign_group_folds, fold_splits


@dataclass(frozen=True, slots=True)
class TuningGrid:
    """The candidates (every C with every surface weight) and the inner fold count."""

    c_values: tuple[float, ...] = (0.3, 1.0, 3.0, 10.0)
    surface_weights: tuple[float, ...] = (0.0, 0.05)
    inner_folds: int = 4

    def __post_init__(self) -> None:
        if not self.c_values or not self.surface_weights:
            raise ValueError("a tuning grid needs at least one C and one surface weight")
        if self.inner_folds < 2:
            raise ValueError("tuning needs at least two inner folds")

    def candidates(self, base: ModelParams) -> list[ModelParams]:
        """``base`` with each (C, surface weight) pair, C-major, in the grid's order."""
        return [
            dataclasses.replace(base, c=c, surface_weight=w)
            for c in self.c_values
            for w in self.surface_weights
        ]

    def to_json(self) -> dict[str, Any]:
        """Return the grid as a JSON-ready dict (recorded in the model card)."""
        return {
            "c_values": list(self.c_values),
            "surface_weights": list(self.surface_weights),
            "inner_folds": self.inner_folds,
        }


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen parameters and each candidate's inner ROC-AUC (empty if none was run)."""

    params: ModelParams
    #: ``(c, surface_weight, inner ROC-AUC)`` per candidate, in grid order.
    scores: tuple[tuple[float, float, float], ...] = ()
    #: Why the base parameters were kept without trying the grid, if they were.
    skipped: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the choice and the scores as a JSON-ready dict."""
        return {
            "c": self.params.c,
            "surface_weight": self.params.surface_weight,
            "scores": [
                {"c": c, "surface_weight": w, "inner_roc_auc": round(s, 4)}
                for c, w, s in self.scores
            ],
            "skipped": self.skipped,
        }


def inner_groups(topics: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """One group per row: its topic where known, else its ``fallback`` (claim) group."""
    return np.asarray(
        [
            f"topic:{topic}" if topic is not None else f"group:{group}"
            for topic, group in zip(topics, fallback, strict=True)
        ],
        dtype=object,
    )


def fold_decisions(
    hashed: sp.csr_matrix,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    candidates: Sequence[ModelParams],
    n_surface: int,
    topics: np.ndarray | None,
) -> list[np.ndarray]:
    """Per candidate, in order: ``w·x + b`` of ``test`` rows from a model fitted on ``train``.

    Each equals ``PrehashedModel(candidate, ...).fit(...).decision_function(...)``, the
    uncalibrated base model. Candidates may differ only in C and the surface weight, so
    the features (TF-IDF weights, scaler, column selector) are fitted once per surface
    weight and one classifier per C is fitted on them: about half the work of fitting
    every candidate from scratch. The topic-spread filter, when ``topics`` are given, is
    computed from ``train`` only.

    Raises:
        ValueError: two candidates differ in something besides C and the surface weight.
    """
    first = candidates[0]
    for candidate in candidates:
        if dataclasses.replace(candidate, c=first.c, surface_weight=first.surface_weight) != first:
            raise ValueError("tuning candidates may differ only in C and the surface weight")
    train_rows, test_rows = hashed[train], hashed[test]
    allowed = None
    if topics is not None:
        allowed = topic_spread_mask(train_rows, topics[train], first, n_surface)
    features: dict[float, tuple[sp.csr_matrix, sp.csr_matrix]] = {}
    decisions = []
    for candidate in candidates:
        if candidate.surface_weight not in features:
            model = PrehashedModel(candidate, n_surface, allowed)
            fitted = model.fit_features(train_rows)
            features[candidate.surface_weight] = (fitted, model.features(test_rows))
        train_features, test_features = features[candidate.surface_weight]
        fitted_classifier = classifier(candidate).fit(train_features, y[train])
        decisions.append(np.asarray(fitted_classifier.decision_function(test_features)))
    return decisions


def select_params(
    hashed: sp.csr_matrix,
    y: np.ndarray,
    rows: np.ndarray,
    groups: np.ndarray,
    base: ModelParams,
    grid: TuningGrid,
    n_surface: int,
    topics: np.ndarray | None = None,
) -> Selection:
    """Choose among ``grid.candidates(base)`` using ``rows`` only (indices into ``hashed``).

    ``groups`` (one per row of ``hashed``) keep each group inside one inner fold; pass
    :func:`inner_groups`. The candidate with the highest pooled ROC-AUC over the inner
    folds wins; ties go to the earlier one. The base parameters are kept, with the reason
    in ``skipped``, when the rows hold fewer than two groups or an inner training part
    holds a single class.
    """
    labels = y[rows]
    if len(np.unique(groups[rows].astype(str))) < 2:
        return Selection(base, skipped="fewer than two groups to split for tuning")
    splits = fold_splits(assign_group_folds(groups[rows], grid.inner_folds))
    # A training part with both classes implies the pooled rows have both (for ROC-AUC).
    if any(len(np.unique(labels[train])) < 2 for train, _ in splits):
        return Selection(base, skipped="an inner training part holds a single class")
    candidates = grid.candidates(base)
    pooled = np.empty((len(candidates), len(rows)), dtype=np.float64)
    for train, test in splits:
        decisions = fold_decisions(
            hashed, y, rows[train], rows[test], candidates, n_surface, topics
        )
        for k, values in enumerate(decisions):
            pooled[k, test] = values
    scores = tuple(
        (candidate.c, candidate.surface_weight, float(roc_auc_score(labels, pooled[k])))
        for k, candidate in enumerate(candidates)
    )
    # max() keeps the first of equal scores: ties go to the earlier candidate.
    best = max(range(len(candidates)), key=lambda k: scores[k][2])
    return Selection(candidates[best], scores)


def describe_choices(chosen: Sequence[dict[str, Any]]) -> str:
    """One line for a scheme's per-fold choices (the ``tuning.chosen`` list of a report).

    Example: ``C=1, surface 0 x5; C=3, surface 0 x2``, most frequent first.
    """
    counts = Counter(f"C={c['c']:g}, surface {c['surface_weight']:g}" for c in chosen)
    return "; ".join(f"{choice} x{n}" for choice, n in counts.most_common())
