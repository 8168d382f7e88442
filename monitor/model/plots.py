"""PR-curve and calibration plots as PNG files (matplotlib's Agg canvas, no display)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def _pr_points(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-p, kind="mergesort")
    y_sorted = y[order]
    last = np.r_[np.flatnonzero(np.diff(p[order])), len(p) - 1]
    tps = np.cumsum(y_sorted)[last]
    return tps / max(int(y.sum()), 1), tps / (last + 1)


def save_pr_curve(y: np.ndarray, p: np.ndarray, threshold: float, path: Path, title: str) -> Path:
    """Draw the precision-recall curve with the operating point at ``threshold``; return path."""
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    recall, precision = _pr_points(y, p)
    figure = Figure(figsize=(5, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.step(np.r_[0.0, recall], np.r_[1.0, precision], where="post", label="model")
    axes.axhline(y.mean(), linestyle=":", color="grey", label="share of hoaxes")
    flagged = p >= threshold
    if flagged.any():
        op_recall = float(y[flagged].sum() / max(int(y.sum()), 1))
        op_precision = float(y[flagged].mean())
        axes.plot([op_recall], [op_precision], "o", color="red", label=f"threshold {threshold:.2f}")
    axes.set_xlabel("recall (hoaxes found)")
    axes.set_ylabel("precision (flags that are hoaxes)")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.02)
    axes.set_title(title)
    axes.legend(loc="lower left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path


def save_calibration_plot(
    y: np.ndarray, p: np.ndarray, path: Path, title: str, n_bins: int = 10
) -> Path:
    """Draw predicted probability against observed hoax share in quantile bins; return path."""
    y = np.asarray(y, dtype=np.int64)
    p = np.asarray(p, dtype=np.float64)
    edges = np.unique(np.quantile(p, np.linspace(0, 1, n_bins + 1)))
    bins = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, max(len(edges) - 2, 0))
    mean_p, share = [], []
    for b in np.unique(bins):
        mask = bins == b
        mean_p.append(float(p[mask].mean()))
        share.append(float(y[mask].mean()))
    figure = Figure(figsize=(5, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect calibration")
    axes.plot(mean_p, share, "o-", label="model")
    axes.set_xlabel("predicted hoax probability")
    axes.set_ylabel("observed share of hoaxes")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_title(title)
    axes.legend(loc="upper left")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path
