"""Charts for the notebooks, drawn on matplotlib's Agg canvas (no display, no pyplot state).

Every function returns a :class:`~matplotlib.figure.Figure`; :func:`png_bytes` turns one
into PNG bytes, which a notebook shows with ``IPython.display.Image``.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from monitor.analysis.compare import Comparison
from monitor.analysis.monitoring import week_start


def _figure(width: float = 7.0, height: float = 3.6) -> Figure:
    figure = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """Return ``figure`` rendered as PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _week_labels(index: pd.Index) -> list[str]:
    return [pd.Timestamp(w).strftime("%Y-%m-%d") for w in index]


def weekly_volume_chart(weekly: pd.DataFrame) -> Figure:
    """Bars of posts seen and posts flagged per week (:func:`weekly_stats` output)."""
    figure = _figure()
    axes = figure.add_subplot()
    x = np.arange(len(weekly))
    axes.bar(x - 0.2, weekly["posts"], width=0.4, label="posts")
    axes.bar(x + 0.2, weekly["flagged"], width=0.4, label="flagged", color="tab:red")
    axes.set_xticks(x, _week_labels(weekly.index), rotation=30, ha="right")
    axes.set_xlabel("week starting")
    axes.set_ylabel("posts")
    axes.set_title("Volume per week")
    axes.legend()
    return figure


def flag_rate_chart(weekly: pd.DataFrame) -> Figure:
    """Lines of the flag rate and the mean hoax probability per week."""
    figure = _figure()
    axes = figure.add_subplot()
    labels = _week_labels(weekly.index)
    axes.plot(labels, weekly["flag_rate"], "o-", label="flag rate", color="tab:red")
    axes.plot(labels, weekly["mean_score"], "s--", label="mean score", color="tab:blue")
    axes.set_ylim(0, 1)
    axes.set_xlabel("week starting")
    axes.set_ylabel("share / probability")
    axes.set_title("Flag rate and mean score per week")
    axes.tick_params(axis="x", labelrotation=30)
    axes.legend()
    return figure


def drift_chart(weekly: pd.DataFrame) -> Figure:
    """PSI bars with the 0.1 and 0.25 guides, and the KS statistic, per week."""
    figure = _figure()
    axes = figure.add_subplot()
    labels = _week_labels(weekly.index)
    colours = ["tab:grey" if b else "tab:purple" for b in weekly["baseline"]]
    axes.bar(labels, weekly["psi"].fillna(0.0), color=colours, label="PSI (grey: baseline)")
    axes.axhline(0.1, linestyle=":", color="tab:orange", label="moderate shift (0.1)")
    axes.axhline(0.25, linestyle=":", color="tab:red", label="major shift (0.25)")
    axes.plot(labels, weekly["ks"], "o-", color="black", label="KS statistic")
    axes.set_xlabel("week starting")
    axes.set_ylabel("drift against the baseline")
    axes.set_title("Score drift per week")
    axes.tick_params(axis="x", labelrotation=30)
    axes.legend(fontsize="small")
    return figure


def score_distribution_chart(posts: pd.DataFrame, *, bins: int = 10) -> Figure:
    """Step histograms of the hoax probability, one per week (:func:`scored_posts` output)."""
    figure = _figure()
    axes = figure.add_subplot()
    scored = posts.loc[posts["probability"].notna()]
    weeks = week_start(scored["seen_at"])
    edges = np.linspace(0.0, 1.0, bins + 1)
    for week in sorted(weeks.unique()):
        values = scored.loc[weeks == week, "probability"]
        share = np.histogram(values, edges)[0] / max(len(values), 1)
        axes.stairs(share, edges, label=pd.Timestamp(week).strftime("%Y-%m-%d"))
    axes.set_xlabel("hoax probability")
    axes.set_ylabel("share of the week's posts")
    axes.set_title("Score distribution per week")
    axes.legend(title="week starting", fontsize="small")
    return figure


def _pr_curve(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-p, kind="mergesort")
    last = np.r_[np.flatnonzero(np.diff(p[order])), len(p) - 1]
    tps = np.cumsum(y[order])[last]
    recall = np.r_[0.0, tps / max(int(y.sum()), 1)]
    precision = np.r_[1.0, tps / (last + 1)]
    return recall, precision


def comparison_pr_chart(comparison: Comparison) -> Figure:
    """Precision-recall curves of both models on the held-out rows, with each model's
    operating point at its own threshold."""
    figure = _figure(6.0, 4.2)
    axes = figure.add_subplot()
    scores = comparison.scores
    y = scores["y"].to_numpy(dtype=np.int64)
    for who, version, threshold, colour in (
        ("candidate", comparison.candidate_version, comparison.candidate_threshold, "tab:green"),
        ("active", comparison.active_version, comparison.active_threshold, "tab:blue"),
    ):
        p = scores[f"p_{who}"].to_numpy(dtype=np.float64)
        recall, precision = _pr_curve(y, p)
        axes.step(recall, precision, where="post", color=colour, label=f"{who} {version}")
        flagged = p >= threshold
        if flagged.any():
            axes.plot(
                [y[flagged].sum() / max(int(y.sum()), 1)], [y[flagged].mean()], "o", color=colour
            )
    axes.axhline(y.mean(), linestyle=":", color="grey", label="share of hoaxes")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1.02)
    axes.set_xlabel("recall (hoaxes found)")
    axes.set_ylabel("precision (flags that are hoaxes)")
    axes.set_title("Held-out rows: candidate vs active (dots: thresholds)")
    axes.legend(loc="lower left", fontsize="small")
    return figure


def metrics_by_chart(table: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Horizontal bars of precision and recall per group (:func:`metrics_by` output)."""
    groups = table.drop(index="(all)", errors="ignore")
    figure = _figure(7.0, max(2.5, 0.35 * len(groups) + 1.2))
    axes = figure.add_subplot()
    y = np.arange(len(groups))
    axes.barh(y - 0.2, groups["precision"].fillna(0.0), height=0.4, label="precision")
    axes.barh(y + 0.2, groups["recall"].fillna(0.0), height=0.4, label="recall")
    axes.set_yticks(
        y, [f"{name} ({rows})" for name, rows in zip(groups.index, groups["rows"], strict=True)]
    )
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("precision / recall at the model's threshold (rows in brackets)")
    axes.set_title(title or f"Per {table.index.name}")
    axes.legend(loc="lower right", fontsize="small")
    return figure
