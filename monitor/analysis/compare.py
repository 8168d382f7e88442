"""Compare a candidate model with the active one on the same held-out rows.

Both models score the same rows, which neither was trained on (checked against each
model's ``fingerprints.txt``). Each is judged at its own threshold, the one it would flag
with in production. Intervals come from a bootstrap over groups (claim groups joined with
near-duplicate clusters); the PR-AUC gain gets a *paired* bootstrap (both models on the
same resampled rows), which is narrower and honest about the difference itself.

The promotion rule (:class:`PromotionRule`), all on the held-out rows:

1. the candidate's PR-AUC exceeds the active model's by more than ``min_pr_auc_gain``;
2. the candidate's precision at its threshold is defined (it flags something) and not
   lower than the active model's precision at its threshold minus ``max_precision_drop``;
3. with ``require_significant_gain``, the lower end of the 95% paired-bootstrap interval
   of the PR-AUC gain is above zero as well.

PR-AUC is the headline because hoaxes are the minority and reviewers read the ranking from
the top; precision guards their time: a model that ranks better but floods them with false
alarms at its threshold is not promoted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from monitor.analysis.heldout import claim_clusters, fingerprints
from monitor.model.evaluate import training_fingerprints
from monitor.model.metrics import average_precision, evaluate_predictions
from monitor.model.registry import FINGERPRINTS_FILE
from monitor.model.scorer import Scorer
from monitor.text import normalize_many

#: Metrics shown by :meth:`Comparison.table`, in order (lower is better only for Brier).
TABLE_METRICS = ("pr_auc", "roc_auc", "precision", "recall", "macro_f1", "brier")


class HeldOutLeak(ValueError):  # noqa: N818 - reads as a sentence where it is raised
    """A model was trained on some of the rows it is being compared on."""


@dataclass(frozen=True, slots=True)
class PromotionRule:
    """When a candidate counts as better than the active model (see the module docstring)."""

    min_pr_auc_gain: float = 0.0
    max_precision_drop: float = 0.0
    require_significant_gain: bool = False

    def describe(self) -> str:
        """Return the rule in one sentence."""
        text = (
            f"PR-AUC higher by more than {self.min_pr_auc_gain:.3f} and precision at the "
            f"model's own threshold not lower by more than {self.max_precision_drop:.3f}"
        )
        if self.require_significant_gain:
            text += ", with the 95% paired-bootstrap interval of the PR-AUC gain above zero"
        return text

    def decide(
        self,
        candidate: dict[str, Any],
        active: dict[str, Any],
        gain: float,
        gain_interval: tuple[float, float],
    ) -> tuple[bool, list[str]]:
        """Return (better, reasons) for two :func:`evaluate_predictions` reports."""
        reasons = []
        better = True
        if math.isnan(gain) or gain <= self.min_pr_auc_gain:
            better = False
            reasons.append(f"PR-AUC gain {gain:+.3f} is not above {self.min_pr_auc_gain:.3f}")
        else:
            reasons.append(f"PR-AUC gain {gain:+.3f} is above {self.min_pr_auc_gain:.3f}")
        p_candidate = candidate["metrics"]["precision"]["value"]
        p_active = active["metrics"]["precision"]["value"]
        if p_candidate is None:
            better = False
            reasons.append("the candidate flags nothing at its threshold")
        elif p_active is not None and p_candidate < p_active - self.max_precision_drop:
            better = False
            reasons.append(f"precision falls from {p_active:.3f} to {p_candidate:.3f}")
        else:
            shown = "n/a" if p_active is None else f"{p_active:.3f}"
            reasons.append(f"precision {p_candidate:.3f} (active: {shown}) is not lower")
        if self.require_significant_gain:
            low = gain_interval[0]
            if math.isnan(low) or low <= 0.0:
                better = False
                reasons.append(f"the gain's interval starts at {low:+.3f}, not above zero")
            else:
                reasons.append(f"the gain's interval starts at {low:+.3f}, above zero")
        return better, reasons


@dataclass(slots=True)
class Comparison:
    """Both models on the same held-out rows, and the verdict of the promotion rule.

    ``reports`` maps ``"candidate"`` and ``"active"`` to :func:`evaluate_predictions`
    output; ``scores`` is the held-out frame with ``p_candidate`` and ``p_active``;
    ``notes`` warn about what could not be checked.
    """

    candidate_version: str
    active_version: str
    candidate_threshold: float
    active_threshold: float
    reports: dict[str, dict[str, Any]]
    pr_auc_gain: float
    pr_auc_gain_interval: tuple[float, float]
    rule: PromotionRule
    better: bool
    reasons: list[str]
    scores: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of held-out rows."""
        return int(self.reports["candidate"]["n"])

    def table(self) -> pd.DataFrame:
        """Return one row per metric: each model's value with its 95% interval, and the
        difference (candidate minus active)."""
        rows = []
        for name in TABLE_METRICS:
            entry: dict[str, Any] = {"metric": name}
            for who in ("candidate", "active"):
                metric = self.reports[who]["metrics"][name]
                entry[who] = metric["value"]
                entry[f"{who} 95% interval"] = _interval(metric)
            c, a = entry["candidate"], entry["active"]
            entry["difference"] = None if c is None or a is None else round(c - a, 4)
            rows.append(entry)
        columns = [
            "metric",
            "candidate",
            "candidate 95% interval",
            "active",
            "active 95% interval",
            "difference",
        ]
        return pd.DataFrame(rows, columns=columns).set_index("metric")

    def confusion(self) -> pd.DataFrame:
        """Return the confusion counts of both models at their thresholds."""
        return pd.DataFrame(
            {who: self.reports[who]["confusion"] for who in ("candidate", "active")}
        ).T[["tp", "fp", "fn", "tn"]]

    def summary(self) -> str:
        """Return the decision and its reasons in a few lines."""
        low, high = self.pr_auc_gain_interval
        verdict = "promote" if self.better else "keep the active model"
        return "\n".join(
            [
                f"candidate {self.candidate_version} vs active {self.active_version} on "
                f"{self.n} held-out rows ({self.reports['candidate']['hoax']} hoax)",
                f"PR-AUC gain {self.pr_auc_gain:+.3f} (95% paired interval "
                f"{low:+.3f} to {high:+.3f})",
                f"rule: {self.rule.describe()}",
                *(f"- {reason}" for reason in self.reasons),
                *(f"note: {note}" for note in self.notes),
                f"decision: {verdict}",
            ]
        )


def _interval(metric: dict[str, Any]) -> str:
    if metric["low"] is None or metric["high"] is None:
        return "n/a"
    return f"{metric['low']:.3f} to {metric['high']:.3f}"


def _group_members(groups: np.ndarray) -> list[np.ndarray]:
    _, index = np.unique(groups, return_inverse=True)
    return [np.flatnonzero(index == g) for g in range(int(index.max()) + 1)]


def paired_pr_auc_gain(
    y: np.ndarray,
    p_candidate: np.ndarray,
    p_active: np.ndarray,
    groups: np.ndarray,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    """Return the PR-AUC gain (candidate minus active) and its percentile interval.

    Each resample draws whole groups with replacement and scores BOTH models on the same
    rows. Resamples without a hoax are skipped; with none left the interval is NaN.
    """
    y = np.asarray(y, dtype=np.int64)
    p_candidate = np.asarray(p_candidate, dtype=np.float64)
    p_active = np.asarray(p_active, dtype=np.float64)
    gain = average_precision(y, p_candidate) - average_precision(y, p_active)
    members = _group_members(np.asarray(groups))
    rng = np.random.default_rng(seed)
    gains = []
    for _ in range(n_boot):
        chosen = rng.integers(0, len(members), len(members))
        idx = np.concatenate([members[g] for g in chosen])
        if not y[idx].any():
            continue
        gains.append(
            average_precision(y[idx], p_candidate[idx]) - average_precision(y[idx], p_active[idx])
        )
    if not gains:
        return gain, (math.nan, math.nan)
    tail = (1 - level) / 2 * 100
    return gain, (
        float(np.percentile(gains, tail)),
        float(np.percentile(gains, 100 - tail)),
    )


def _check_unseen(texts: pd.Series, model_dir: Path, who: str) -> str | None:
    """Raise HeldOutLeak when the model trained on a row; return a note when unknowable."""
    if not (model_dir / FINGERPRINTS_FILE).is_file():
        return (
            f"the {who} model ({model_dir.name}) has no {FINGERPRINTS_FILE}: whether it was "
            "trained on held-out rows cannot be checked"
        )
    seen = training_fingerprints(model_dir)
    overlap = int(fingerprints(texts).isin(seen).sum())
    if overlap:
        raise HeldOutLeak(
            f"the {who} model ({model_dir.name}) was trained on {overlap} of the held-out rows"
        )
    return None


def compare_models(
    candidate_dir: Path,
    active_dir: Path,
    heldout: pd.DataFrame,
    *,
    rule: PromotionRule | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> Comparison:
    """Score ``heldout`` with both models and apply the promotion rule.

    ``heldout`` has the columns of :data:`monitor.analysis.frames.FRAME_COLUMNS`.

    Raises:
        HeldOutLeak: either model was trained on a held-out row.
        ValueError: ``heldout`` is empty or holds a single class.
        ModelNotFound, ModelFileError: a model folder cannot be loaded.
    """
    rule = rule or PromotionRule()
    if heldout.empty or heldout["y"].nunique() < 2:
        raise ValueError("the held-out rows must hold both hoax and valid rows")
    notes = [
        note
        for note in (
            _check_unseen(heldout["text"], candidate_dir, "candidate"),
            _check_unseen(heldout["text"], active_dir, "active"),
        )
        if note is not None
    ]
    candidate = Scorer.load(candidate_dir)
    active = Scorer.load(active_dir)
    texts = [str(t) for t in heldout["text"]]
    normalized = normalize_many(texts)
    p_candidate = candidate.probabilities(texts, normalized)
    p_active = active.probabilities(texts, normalized)
    y = heldout["y"].to_numpy(dtype=np.int64)
    groups = claim_clusters(texts, list(heldout["claim_group"]))
    reports = {
        "candidate": evaluate_predictions(
            y, p_candidate, candidate.threshold, groups=groups, n_boot=n_boot, seed=seed
        ),
        "active": evaluate_predictions(
            y, p_active, active.threshold, groups=groups, n_boot=n_boot, seed=seed
        ),
    }
    gain, interval = paired_pr_auc_gain(y, p_candidate, p_active, groups, n_boot=n_boot, seed=seed)
    better, reasons = rule.decide(reports["candidate"], reports["active"], gain, interval)
    scores = heldout.reset_index(drop=True).copy()
    scores["p_candidate"] = p_candidate
    scores["p_active"] = p_active
    return Comparison(
        candidate_version=candidate.version,
        active_version=active.version,
        candidate_threshold=candidate.threshold,
        active_threshold=active.threshold,
        reports=reports,
        pr_auc_gain=gain,
        pr_auc_gain_interval=interval,
        rule=rule,
        better=better,
        reasons=reasons,
        scores=scores,
        notes=notes,
    )
