"""Evaluate a registered model on labelled data, guarding against leakage.

Rows whose text the model was trained on (same fingerprint) are left out by default, and
data files the card lists as training data are named, so a number from ``pantau evaluate``
is a held-out number unless the report says otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from monitor.model.dataset import LabelledData
from monitor.model.grouping import merge_groupings, near_duplicate_groups
from monitor.model.metrics import evaluate_predictions
from monitor.model.plots import save_calibration_plot, save_pr_curve
from monitor.model.registry import FINGERPRINTS_FILE
from monitor.model.scorer import Scorer
from monitor.model.train import text_fingerprint
from monitor.text import normalize_many


def training_fingerprints(model_dir: Path) -> set[str]:
    """Return the training-text fingerprints stored with a model (empty when absent)."""
    path = model_dir / FINGERPRINTS_FILE
    if not path.is_file():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line}


def evaluate_model(
    scorer: Scorer,
    model_dir: Path,
    data: LabelledData,
    *,
    include_seen: bool = False,
    plots_dir: Path | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict[str, Any]:
    """Score ``data`` with ``scorer`` and return metrics with bootstrap intervals.

    The bootstrap resamples claim groups joined with near-duplicate clusters. With
    ``plots_dir`` a PR curve and a calibration plot are written there as PNG.

    Raises:
        ValueError: no row is left to evaluate after removing rows seen in training.
    """
    seen_prints = training_fingerprints(model_dir)
    seen = np.array([text_fingerprint(t) in seen_prints for t in data.texts], dtype=bool)
    keep = np.flatnonzero(~seen) if not include_seen else np.arange(len(data))
    if len(keep) == 0:
        raise ValueError("every row was seen in training; nothing held out to evaluate")
    rows = data.subset(keep)
    normalized = normalize_many(rows.texts)
    probabilities = scorer.probabilities(rows.texts, normalized)
    duplicates = near_duplicate_groups([n.text for n in normalized])
    groups = merge_groupings(rows.claim_groups, [f"dup{d}" for d in duplicates.tolist()])
    y = rows.y
    report = evaluate_predictions(
        y, probabilities, scorer.threshold, groups=groups, n_boot=n_boot, seed=seed
    )
    training_hashes = {f.get("sha256") for f in scorer.card.get("data", {}).get("files", [])}
    result: dict[str, Any] = {
        "model": scorer.version,
        "files": [
            {
                "path": f.path,
                "sha256": f.sha256,
                "rows_used": f.rows_used,
                "rows_skipped": f.rows_skipped,
                "used_in_training": f.sha256 in training_hashes,
            }
            for f in data.files
        ],
        "rows_seen_in_training": int(seen.sum()),
        "rows_seen_included": bool(include_seen and seen.any()),
        "groups": len(np.unique(groups)),
        **report,
        "plots": [],
    }
    if plots_dir is not None and len(np.unique(y)) == 2:
        title = f"model {scorer.version}"
        pr_path = plots_dir / "pr_curve.png"
        calibration_path = plots_dir / "calibration.png"
        save_pr_curve(y, probabilities, scorer.threshold, pr_path, title)
        save_calibration_plot(y, probabilities, calibration_path, title)
        result["plots"] = [str(pr_path), str(calibration_path)]
    return result
