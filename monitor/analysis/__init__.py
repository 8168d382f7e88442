"""Analysis helpers behind the analysts' notebooks (``notebooks/*.ipynb``).

The notebooks hold no pipeline logic: every step is one call here, tested in
``tests/analysis``.

Public interface::

    labels_from_store(session) -> DataFrame                  # reviewers' verdicts per post
    corpus_frame(paths) / training_frame(corpus_paths, store_labels) -> DataFrame
    split_heldout(frame, seen_fingerprints) -> HeldOutSplit  # rows no model has seen
    RetrainPlan.from_environment()                           # full or smoke settings
    pin_active_model(session, models_dir, actor) -> str
    train_candidate(frame, models_dir, config) -> TrainedCandidate
    compare_models(candidate_dir, active_dir, heldout) -> Comparison
    promote_if_better(session, comparison, models_dir, actor=...) -> PromotionOutcome
    score_frame(scorer, frame) / error_table(scored, "fp") / metrics_by(scored, "topic")
    scored_posts(session) / weekly_stats(posts) -> DataFrame # volumes, flag rate, drift
    charts.*(...) -> Figure, charts.png_bytes(figure)
    build_sample_store(path, models_dir) -> SampleStoreReport
"""

from monitor.analysis.compare import Comparison, HeldOutLeak, PromotionRule, compare_models
from monitor.analysis.errors import error_table, error_terms, metrics_by, score_frame, unseen_rows
from monitor.analysis.frames import FRAME_COLUMNS, corpus_frame, to_labelled, training_frame
from monitor.analysis.heldout import HeldOutSplit, NoHeldOutData, row_groups, split_heldout
from monitor.analysis.labels import labels_from_store
from monitor.analysis.monitoring import psi, scored_posts, weekly_stats
from monitor.analysis.retrain import (
    SMOKE_ENV,
    PromotionOutcome,
    RetrainPlan,
    TrainedCandidate,
    pin_active_model,
    promote_if_better,
    scratch_registry,
    train_candidate,
)

__all__ = [
    "FRAME_COLUMNS",
    "SMOKE_ENV",
    "Comparison",
    "HeldOutLeak",
    "HeldOutSplit",
    "NoHeldOutData",
    "PromotionOutcome",
    "PromotionRule",
    "RetrainPlan",
    "TrainedCandidate",
    "compare_models",
    "corpus_frame",
    "error_table",
    "error_terms",
    "labels_from_store",
    "metrics_by",
    "pin_active_model",
    "promote_if_better",
    "psi",
    "row_groups",
    "score_frame",
    "scored_posts",
    "scratch_registry",
    "split_heldout",
    "to_labelled",
    "train_candidate",
    "training_frame",
    "unseen_rows",
    "weekly_stats",
]
