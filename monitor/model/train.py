"""Training: normalize, validate without leakage, choose the threshold, fit the final model.

The flag threshold is chosen on out-of-fold predictions of cross-validation grouped by claim
(claim groups joined with near-duplicate clusters), for the target precision. Reported
precision and recall use thresholds cross-fitted on the other folds, so the rows a threshold
is judged on never chose it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from threadpoolctl import threadpool_limits

from monitor.model.dataset import LabelledData
from monitor.model.estimator import ModelParams, build_estimator, hash_frame, topic_spread_mask
from monitor.model.grouping import merge_groupings, near_duplicate_groups
from monitor.model.inputs import NORMALIZED_COLUMN, build_model_input
from monitor.model.metrics import ThresholdChoice, choose_threshold, evaluate_predictions
from monitor.model.tuning import Selection, TuningGrid, inner_groups, select_params
from monitor.model.validation import (
    Tuning,
    cross_validate,
    crossfit_thresholds,
    fit_predict,
    make_time_split,
)
from monitor.text import FEATURE_NAMES, normalize_many

#: ``progress(stage, done, total)``; stages: normalize, <scheme> folds, final fit.
ProgressCallback = Callable[[str, int, int], None]

_NORMALIZE_CHUNK = 500


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Everything training needs besides the data; recorded in the model card."""

    params: ModelParams = field(default_factory=ModelParams)
    target_precision: float = 0.8
    folds: int = 5
    topic_folds: int = 12
    time_test_fraction: float = 0.2
    n_boot: int = 1000
    n_jobs: int = 1
    seed: int = 0
    #: Choose C and the surface weight by nested inner CV (None: use ``params`` as given).
    tuning: TuningGrid | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the configuration as a JSON-ready dict."""
        return {
            "target_precision": self.target_precision,
            "folds": self.folds,
            "topic_folds": self.topic_folds,
            "time_test_fraction": self.time_test_fraction,
            "bootstrap_resamples": self.n_boot,
            "seed": self.seed,
            "tuning": self.tuning.to_json() if self.tuning else None,
        }


@dataclass(slots=True)
class TrainResult:
    """A trained (or only validated) model with its threshold and validation reports."""

    estimator: CalibratedClassifierCV | None
    threshold: ThresholdChoice
    evaluation: dict[str, dict[str, Any]]
    primary_scheme: str
    feature_names: list[str]
    data: LabelledData
    config: TrainConfig
    fingerprints: list[str]
    notes: list[str] = field(default_factory=list)
    #: Held-out hoax probabilities per scheme, one per row (NaN where a row was not tested).
    predictions: dict[str, np.ndarray] = field(default_factory=dict)
    #: With tuning and a final fit: the selection made on all rows (its params are in
    #: ``config.params``).
    selection: Selection | None = None


def text_fingerprint(text: str) -> str:
    """Return a short hash of ``text`` with case and whitespace folded (leakage checks)."""
    folded = " ".join(text.casefold().split())
    return hashlib.blake2b(folded.encode("utf-8"), digest_size=8).hexdigest()


def _normalize_with_progress(texts: list[str], progress: ProgressCallback | None) -> pd.DataFrame:
    normalized = []
    for start in range(0, len(texts), _NORMALIZE_CHUNK):
        normalized.extend(normalize_many(texts[start : start + _NORMALIZE_CHUNK]))
        if progress is not None:
            progress("normalize", len(normalized), len(texts))
    return build_model_input(texts, normalized, FEATURE_NAMES)


def _scheme_report(
    description: str,
    y: np.ndarray,
    probabilities: np.ndarray,
    thresholds: float | np.ndarray,
    boot_groups: np.ndarray,
    config: TrainConfig,
    selections: Sequence[Selection | None] = (),
    **extra: Any,
) -> dict[str, Any]:
    """Metrics of one scheme; with tuning, ``tuning.chosen`` lists each fold's choice."""
    report = evaluate_predictions(
        y, probabilities, thresholds, groups=boot_groups, n_boot=config.n_boot, seed=config.seed
    )
    chosen = [
        {"c": s.params.c, "surface_weight": s.params.surface_weight, "skipped": s.skipped}
        for s in selections
        if s is not None
    ]
    if chosen:
        extra["tuning"] = {"chosen": chosen}
    return {"description": description, **extra, **report}


def train_model(
    data: LabelledData,
    config: TrainConfig | None = None,
    *,
    fit_final: bool = True,
    progress: ProgressCallback | None = None,
) -> TrainResult:
    """Validate on grouped splits, choose the threshold and (optionally) fit the final model.

    BLAS and OpenMP run single-threaded meanwhile: liblinear and the calibrator make many
    tiny vector operations, which thread pools spread over cores at a cost far above the
    work (training was ~100x slower on a busy two-core machine). Parallelism, when wanted,
    comes from fitting folds in separate processes (``config.n_jobs``).

    Raises:
        ValueError: the data has a single class or a single claim group.
        ValidationError: a fold cannot be fitted.
    """
    with threadpool_limits(limits=1):
        return _train_model(data, config or TrainConfig(), fit_final, progress)


def _train_model(
    data: LabelledData,
    config: TrainConfig,
    fit_final: bool,
    progress: ProgressCallback | None,
) -> TrainResult:
    y = data.y
    if len(np.unique(y)) < 2:
        raise ValueError("training needs both hoax and valid rows")
    frame = _normalize_with_progress(data.texts, progress)
    feature_names = list(FEATURE_NAMES)
    hashed = hash_frame(frame, config.params, feature_names)
    n_surface = len(feature_names)
    notes: list[str] = []

    # Known topics feed the topic-spread filter; unknown ones count towards no topic.
    known_topics = np.asarray(data.topics, dtype=object)
    duplicates = near_duplicate_groups(frame[NORMALIZED_COLUMN].tolist())
    has_claims = any(g is not None for g in data.claim_groups)
    claim_groups = merge_groupings(data.claim_groups, [f"dup{d}" for d in duplicates.tolist()])
    primary = "claim_group" if has_claims else "near_duplicate"
    primary_text = (
        "claim groups joined with near-duplicate clusters"
        if has_claims
        else "near-duplicate clusters (word 3-shingles, Jaccard ≥ 0.6)"
    )

    tuning = None
    if config.tuning is not None:
        tuning = Tuning(config.tuning, inner_groups(known_topics, claim_groups))

    def fold_progress(stage: str) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        report = progress
        return lambda done, total: report(stage, done, total)

    cv = cross_validate(
        hashed,
        y,
        claim_groups,
        claim_groups,
        config.folds,
        config.params,
        n_surface,
        topics=known_topics,
        n_jobs=config.n_jobs,
        on_fold=fold_progress(f"{primary} folds"),
        tuning=tuning,
    )
    predictions = {primary: cv.probabilities}
    threshold = choose_threshold(y, cv.probabilities, config.target_precision)
    if not threshold.target_met:
        notes.append(
            f"no threshold reached precision {config.target_precision:.2f} on held-out "
            f"predictions; using the most precise cut ({threshold.precision:.2f})"
        )
    evaluation: dict[str, dict[str, Any]] = {
        primary: _scheme_report(
            f"{cv.n_folds}-fold cross-validation grouped by {primary_text}",
            y,
            cv.probabilities,
            crossfit_thresholds(y, cv.probabilities, cv.fold_ids, config.target_precision),
            cv.groups,
            config,
            folds=cv.n_folds,
            n_groups=cv.n_groups,
            threshold_rule="cross-fitted on the other folds",
            selections=cv.selections,
        )
    }

    topics = [t if t is not None else f"?{i}" for i, t in enumerate(data.topics)]
    n_topics = len({t for t in data.topics if t is not None})
    if n_topics >= 2:
        topic_cv = cross_validate(
            hashed,
            y,
            np.asarray(topics, dtype=object),
            claim_groups,
            config.topic_folds,
            config.params,
            n_surface,
            topics=known_topics,
            n_jobs=config.n_jobs,
            on_fold=fold_progress("topic folds"),
            tuning=tuning,
        )
        predictions["topic"] = topic_cv.probabilities
        evaluation["topic"] = _scheme_report(
            f"{topic_cv.n_folds}-fold cross-validation grouped by topic ({n_topics} topics)",
            y,
            topic_cv.probabilities,
            crossfit_thresholds(
                y, topic_cv.probabilities, topic_cv.fold_ids, config.target_precision
            ),
            topic_cv.groups,
            config,
            folds=topic_cv.n_folds,
            n_groups=topic_cv.n_groups,
            threshold_rule="cross-fitted on the other folds",
            selections=topic_cv.selections,
        )
    else:
        notes.append("no topic column with two or more topics: topic-grouped CV skipped")

    split = make_time_split(data.dates, config.time_test_fraction)
    if split is not None and len(np.unique(y[split.train_index])) == 2:
        if progress:
            progress("time split", 0, 1)
        predicted, time_selection = fit_predict(
            hashed,
            y,
            split.train_index,
            split.test_index,
            claim_groups,
            config.params,
            n_surface,
            known_topics,
            tuning,
        )
        if progress:
            progress("time split", 1, 1)
        predictions["time"] = np.full(len(y), np.nan)
        predictions["time"][split.test_index] = predicted
        evaluation["time"] = _scheme_report(
            f"trained on posts dated up to {split.train_until}, "
            f"tested on posts from {split.test_from}",
            y[split.test_index],
            predicted,
            threshold.threshold,
            claim_groups[split.test_index],
            config,
            train_rows=len(split.train_index),
            test_rows=len(split.test_index),
            threshold_rule="the shipped threshold",
            selections=[time_selection],
        )
    else:
        notes.append("too few dated rows (or one class before the cut): time split skipped")

    estimator = None
    selection = None
    if fit_final:
        if progress:
            progress("final fit", 0, 1)
        if tuning is not None:
            selection = select_params(
                hashed,
                y,
                np.arange(len(y)),
                tuning.groups,
                config.params,
                tuning.grid,
                n_surface,
                known_topics,
            )
            config = dataclasses.replace(config, params=selection.params)
            notes.append(
                f"tuning chose C={selection.params.c:g}, surface weight "
                f"{selection.params.surface_weight:g} for the final model"
            )
        allowed = topic_spread_mask(hashed, known_topics, config.params, n_surface)
        estimator = build_estimator(config.params, feature_names, claim_groups, allowed)
        estimator.fit(frame, y)
        if progress:
            progress("final fit", 1, 1)
    return TrainResult(
        estimator=estimator,
        threshold=threshold,
        evaluation=evaluation,
        primary_scheme=primary,
        feature_names=feature_names,
        data=data,
        config=config,
        fingerprints=sorted({text_fingerprint(t) for t in data.texts}),
        notes=notes,
        predictions=predictions,
        selection=selection,
    )
