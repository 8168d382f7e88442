"""Charts: figures drawn from the analysis tables, rendered to PNG."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.patches import Rectangle
from numpy.typing import ArrayLike

from monitor.analysis.charts import (
    comparison_pr_chart,
    drift_chart,
    flag_rate_chart,
    metrics_by_chart,
    png_bytes,
    score_distribution_chart,
    weekly_volume_chart,
)
from monitor.analysis.compare import Comparison, PromotionRule
from monitor.analysis.monitoring import POST_COLUMNS, weekly_stats

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _posts() -> pd.DataFrame:
    days = ["2026-11-03"] * 4 + ["2026-11-10"] * 6
    probabilities = [0.1, 0.2, 0.8, 0.9, 0.3, 0.6, 0.7, 0.9, 0.95, 0.5]
    return pd.DataFrame(
        {
            "post_id": range(10),
            "seen_at": pd.to_datetime(days),
            "probability": probabilities,
            "label": ["hoax" if p >= 0.5 else "valid" for p in probabilities],
            "model_version": "m1",
            "case_id": None,
        },
        columns=list(POST_COLUMNS),
    )


def _bars(figure: Figure) -> list[Rectangle]:
    """The first axes' patches, which the bar charts draw as rectangles."""
    patches = figure.axes[0].patches
    bars = [patch for patch in patches if isinstance(patch, Rectangle)]
    assert len(bars) == len(patches), "every patch is a bar"
    return bars


def _bar_heights(figure: Figure) -> list[float]:
    return [patch.get_height() for patch in _bars(figure)]


def _array(data: ArrayLike) -> np.ndarray:
    """A line's data, which matplotlib keeps as an array."""
    assert isinstance(data, np.ndarray)
    return data


def _legend(figure: Figure) -> Legend:
    legend = figure.axes[0].get_legend()
    assert legend is not None
    return legend


def test_the_volume_chart_draws_posts_and_flags_per_week() -> None:
    weekly = weekly_stats(_posts())

    figure = weekly_volume_chart(weekly)

    assert _bar_heights(figure) == [4, 6, 2, 5]
    assert png_bytes(figure).startswith(PNG_MAGIC)


def test_the_flag_rate_chart_draws_one_point_per_week_for_each_line() -> None:
    figure = flag_rate_chart(weekly_stats(_posts()))

    rate, mean = figure.axes[0].lines
    assert list(_array(rate.get_ydata())) == [0.5, 0.8333]
    assert len(_array(mean.get_ydata())) == 2


def test_the_drift_chart_draws_psi_bars_and_the_ks_line() -> None:
    weekly = weekly_stats(_posts())

    figure = drift_chart(weekly)

    assert _bar_heights(figure) == weekly["psi"].tolist()
    assert png_bytes(figure).startswith(PNG_MAGIC)


def test_the_score_distribution_has_one_histogram_per_week() -> None:
    figure = score_distribution_chart(_posts())

    assert [t.get_text() for t in _legend(figure).get_texts()] == [
        "2026-11-02",
        "2026-11-09",
    ]


def test_the_metrics_chart_leaves_out_the_overall_row() -> None:
    table = pd.DataFrame(
        {"rows": [10, 5, 15], "precision": [0.8, np.nan, 0.8], "recall": [0.5, 0.4, 0.47]},
        index=pd.Index(["fuel", "health", "(all)"], name="topic"),
    )

    figure = metrics_by_chart(table)

    widths = [patch.get_width() for patch in _bars(figure)]
    assert widths == [0.8, 0.0, 0.5, 0.4]
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["fuel (10)", "health (5)"]


def test_the_comparison_chart_draws_both_curves_with_their_operating_points() -> None:
    scores = pd.DataFrame(
        {
            "y": [1, 1, 0, 0, 1, 0],
            "p_candidate": [0.9, 0.8, 0.3, 0.2, 0.7, 0.6],
            "p_active": [0.6, 0.9, 0.7, 0.1, 0.4, 0.3],
        }
    )
    comparison = Comparison(
        candidate_version="c",
        active_version="a",
        candidate_threshold=0.5,
        active_threshold=0.5,
        reports={},
        pr_auc_gain=0.1,
        pr_auc_gain_interval=(0.0, 0.2),
        rule=PromotionRule(),
        better=True,
        reasons=[],
        scores=scores,
    )

    figure = comparison_pr_chart(comparison)

    labels = [t.get_text() for t in _legend(figure).get_texts()]
    assert labels == ["candidate c", "active a", "share of hoaxes"]
    points = [line for line in figure.axes[0].lines if line.get_marker() == "o"]
    # candidate flags 0.9, 0.8, 0.7, 0.6: 3 of 3 hoaxes, precision 3/4
    assert (_array(points[0].get_xdata())[0], _array(points[0].get_ydata())[0]) == (1.0, 0.75)
    assert png_bytes(figure).startswith(PNG_MAGIC)
