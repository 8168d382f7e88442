"""Classification metrics with bootstrap confidence intervals, and the flag threshold.

Metrics are computed here with numpy (equal to scikit-learn's definitions, checked by the
tests) because the bootstrap evaluates them a thousand times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import rankdata

METRIC_NAMES = (
    "roc_auc",
    "pr_auc",
    "macro_f1",
    "precision",
    "recall",
    "accuracy",
    "brier",
)


def roc_auc(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the ROC curve (ties count half); NaN when only one class is present."""
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(p)
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Area under the precision-recall curve as a step sum (scikit-learn's definition).

    NaN when there is no positive.
    """
    n_pos = int(y.sum())
    if n_pos == 0:
        return math.nan
    order = np.argsort(-p, kind="mergesort")
    p_sorted, y_sorted = p[order], y[order]
    # One point per distinct score: the last index of each run of equal scores.
    last = np.r_[np.flatnonzero(np.diff(p_sorted)), len(p_sorted) - 1]
    tps = np.cumsum(y_sorted)[last]
    precision = tps / (last + 1)
    recall = tps / n_pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def _counts(y: np.ndarray, flagged: np.ndarray) -> tuple[int, int, int, int]:
    tp = int(np.sum(flagged & (y == 1)))
    fp = int(np.sum(flagged & (y == 0)))
    fn = int(np.sum(~flagged & (y == 1)))
    tn = len(y) - tp - fp - fn
    return tn, fp, fn, tp


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


Threshold = float | np.ndarray


def point_metrics(y: np.ndarray, p: np.ndarray, threshold: Threshold) -> dict[str, float]:
    """Return every metric in ``METRIC_NAMES`` (a post is flagged when ``p >= threshold``).

    ``threshold`` is one value or one per row (thresholds cross-fitted on other folds).
    Precision is NaN when nothing is flagged, recall when there is no hoax.
    """
    flagged = p >= threshold
    tn, fp, fn, tp = _counts(y, flagged)
    return {
        "roc_auc": roc_auc(y, p),
        "pr_auc": average_precision(y, p),
        "macro_f1": (_f1(tp, fp, fn) + _f1(tn, fn, fp)) / 2,
        "precision": tp / (tp + fp) if tp + fp else math.nan,
        "recall": tp / (tp + fn) if tp + fn else math.nan,
        "accuracy": (tp + tn) / len(y) if len(y) else math.nan,
        "brier": float(np.mean((p - y) ** 2)) if len(y) else math.nan,
    }


def confusion(y: np.ndarray, p: np.ndarray, threshold: Threshold) -> dict[str, int]:
    """Return ``{"tn", "fp", "fn", "tp"}`` counts at ``threshold`` (hoax is positive)."""
    tn, fp, fn, tp = _counts(y, p >= threshold)
    return {"tn": tn, "fp": fp, "fn": fn, "tp": tp}


def _json_float(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 4)


def evaluate_predictions(
    y: np.ndarray,
    p: np.ndarray,
    threshold: Threshold,
    *,
    groups: np.ndarray | None = None,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, Any]:
    """Return point metrics, percentile bootstrap intervals and the confusion matrix.

    With ``groups`` the bootstrap resamples whole groups (claims, topics), which keeps
    near-duplicates together and gives honest, wider intervals. Result shape::

        {"n": .., "hoax": .., "threshold": .., "bootstrap": {"resamples": .., "unit": ..},
         "metrics": {name: {"value": v, "low": l, "high": h}}, "confusion": {...}}

    Values that are undefined (e.g. ROC-AUC with one class) are ``None``. With one threshold
    per row, ``threshold`` in the result is their median.
    """
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    per_row = np.ndim(threshold) > 0
    cut = np.asarray(threshold, dtype=np.float64)
    point = point_metrics(y, p, threshold)
    rng = np.random.default_rng(seed)
    if groups is not None:
        _, group_idx = np.unique(np.asarray(groups).astype(str), return_inverse=True)
        members = [np.flatnonzero(group_idx == g) for g in range(group_idx.max() + 1)]
    else:
        members = []
    samples: dict[str, list[float]] = {name: [] for name in METRIC_NAMES}
    for _ in range(n_boot):
        if members:
            chosen = rng.integers(0, len(members), len(members))
            idx = np.concatenate([members[g] for g in chosen])
        else:
            idx = rng.integers(0, len(y), len(y))
        sample_cut = cut[idx] if per_row else cut
        for name, value in point_metrics(y[idx], p[idx], sample_cut).items():
            samples[name].append(value)
    tail = (1 - level) / 2 * 100
    metrics: dict[str, dict[str, float | None]] = {}
    for name in METRIC_NAMES:
        values = np.asarray(samples[name])
        values = values[~np.isnan(values)]
        low, high = (
            (float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail)))
            if len(values)
            else (math.nan, math.nan)
        )
        metrics[name] = {
            "value": _json_float(point[name]),
            "low": _json_float(low),
            "high": _json_float(high),
        }
    return {
        "n": len(y),
        "hoax": int(y.sum()),
        "threshold": round(float(np.median(cut)), 6),
        "threshold_per_row": bool(per_row),
        "bootstrap": {
            "resamples": n_boot,
            "level": level,
            "unit": "group" if members else "row",
        },
        "metrics": metrics,
        "confusion": confusion(y, p, threshold),
    }


@dataclass(frozen=True, slots=True)
class ThresholdChoice:
    """The chosen flag threshold and what it achieved on the held-out predictions."""

    threshold: float
    precision: float
    recall: float
    target_precision: float
    target_met: bool

    def to_json(self) -> dict[str, Any]:
        """Return the choice as a JSON-ready dict."""
        return {
            "threshold": round(self.threshold, 6),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "target_precision": self.target_precision,
            "target_met": self.target_met,
        }


def choose_threshold(
    y: np.ndarray, p: np.ndarray, target_precision: float, *, min_flagged: int = 5
) -> ThresholdChoice:
    """Pick the threshold with the highest recall whose precision reaches the target.

    Only cut points that flag at least ``min_flagged`` posts count, so a single lucky
    post cannot set the threshold. When no cut point reaches the target, the one with the
    highest precision is returned with ``target_met=False``.

    Raises:
        ValueError: when ``y`` has no hoax or ``p`` is empty.
    """
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    n_pos = int(y.sum())
    if len(p) == 0 or n_pos == 0:
        raise ValueError("choosing a threshold needs at least one hoax")
    order = np.argsort(-p, kind="mergesort")
    p_sorted, y_sorted = p[order], y[order]
    last = np.r_[np.flatnonzero(np.diff(p_sorted)), len(p_sorted) - 1]
    flagged = last + 1
    tps = np.cumsum(y_sorted)[last]
    precision = tps / flagged
    recall = tps / n_pos
    cuts = p_sorted[last]
    eligible = flagged >= min(min_flagged, len(p))
    ok = eligible & (precision >= target_precision)
    if ok.any():
        best = int(np.flatnonzero(ok)[np.argmax(recall[ok])])
        met = True
    else:
        candidates = np.flatnonzero(eligible)
        best = int(candidates[np.argmax(precision[candidates])])
        met = False
    return ThresholdChoice(
        threshold=float(cuts[best]),
        precision=float(precision[best]),
        recall=float(recall[best]),
        target_precision=target_precision,
        target_met=met,
    )
