"""Error analysis: scored rows with explanations, errors ranked, metrics per group."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from monitor.analysis.errors import (
    SCORE_COLUMNS,
    error_table,
    error_terms,
    metrics_by,
    score_frame,
    unseen_rows,
)
from monitor.analysis.frames import corpus_frame
from monitor.analysis.heldout import fingerprints
from monitor.model.explain import Explanation
from monitor.model.registry import FINGERPRINTS_FILE
from monitor.model.scorer import Scorer
from tests.conftest import REPO


def _scored(rows: list[tuple[int, float, str | None]]) -> pd.DataFrame:
    """Rows of (y, probability, topic) as score_frame would return them at threshold 0.5."""
    frame = pd.DataFrame(
        [
            {
                "text": f"post {i}",
                "y": y,
                "probability": p,
                "topic": topic,
                "register": "tweet",
                "source": "corpus",
                "origin": f"t.csv:{i}",
                "predicted": "hoax" if p >= 0.5 else "valid",
                "towards_hoax": "",
                "towards_valid": "",
                "explanation": Explanation(up=[], down=[]),
            }
            for i, (y, p, topic) in enumerate(rows)
        ]
    )
    outcome = {(1, "hoax"): "TP", (0, "hoax"): "FP", (1, "valid"): "FN", (0, "valid"): "TN"}
    frame["outcome"] = [
        outcome[(y, p)] for y, p in zip(frame["y"], frame["predicted"], strict=True)
    ]
    return frame


def test_scores_outcomes_and_explanations_match_the_model(shipped_model: Path) -> None:
    corpus = corpus_frame(sorted((REPO / "training_data/corpus").glob("*.csv")))
    rows = pd.concat([corpus.loc[corpus["y"] == 1].head(20), corpus.loc[corpus["y"] == 0].head(20)])
    scorer = Scorer.load(shipped_model)

    scored = score_frame(scorer, rows)

    assert list(scored.columns) == [*rows.columns, *SCORE_COLUMNS]
    flagged = scored["probability"] >= scorer.threshold
    assert (scored["predicted"] == flagged.map({True: "hoax", False: "valid"})).all()
    for _, row in scored.iterrows():
        want = {(1, True): "TP", (0, True): "FP", (1, False): "FN", (0, False): "TN"}
        assert row["outcome"] == want[(row["y"], row["probability"] >= scorer.threshold)]
    first = scored.iloc[0]
    label, weight = first["explanation"].up[0]
    assert first["towards_hoax"].startswith(f"{label} ({weight:+.2f})")


def test_false_positives_are_listed_most_confident_first_and_only_them() -> None:
    scored = _scored([(0, 0.7, "a"), (1, 0.9, "a"), (0, 0.95, "b"), (0, 0.2, "b"), (0, 0.6, "a")])

    table = error_table(scored, "fp")

    assert table["probability"].tolist() == [0.95, 0.7, 0.6]
    assert table["origin"].tolist() == ["t.csv:2", "t.csv:0", "t.csv:4"]


def test_false_negatives_are_listed_lowest_score_first_up_to_the_limit() -> None:
    scored = _scored([(1, 0.4, "a"), (1, 0.1, "a"), (1, 0.3, "b"), (0, 0.1, "b")])

    table = error_table(scored, "fn", limit=2)

    assert table["probability"].tolist() == [0.1, 0.3]


def test_long_texts_are_shortened_to_one_line() -> None:
    scored = _scored([(0, 0.9, "a")])
    scored.loc[0, "text"] = "baris satu\nbaris dua " + "x" * 300

    text = error_table(scored, "fp")["text"].item()

    assert "\n" not in text
    assert len(text) == 160
    assert text.endswith("…")


def test_an_unknown_error_kind_is_refused() -> None:
    kind: Any = "tp"  # not an ErrorKind: this checks the refusal at run time
    with pytest.raises(ValueError, match="kind"):
        error_table(_scored([(0, 0.9, "a")]), kind)


def test_metrics_per_group_count_flags_and_errors_and_add_an_overall_row() -> None:
    scored = _scored(
        [
            (1, 0.9, "fuel"),
            (0, 0.8, "fuel"),
            (1, 0.2, "fuel"),
            (0, 0.1, "fuel"),
            (1, 0.9, "health"),
            (0, 0.3, None),
        ]
    )

    table = metrics_by(scored, "topic")

    assert list(table.index) == ["fuel", "health", "(none)", "(all)"]
    fuel = table.loc["fuel"]
    assert (fuel["rows"], fuel["hoax"], fuel["flagged"]) == (4, 2, 2)
    assert (fuel["tp"], fuel["fp"], fuel["fn"]) == (1, 1, 1)
    assert fuel["precision"] == 0.5
    assert fuel["recall"] == 0.5
    assert fuel["pr_auc"] == pytest.approx(0.833, abs=1e-3)
    health_pr_auc, none_precision = table.loc["health", "pr_auc"], table.loc["(none)", "precision"]
    assert isinstance(health_pr_auc, float)
    assert isinstance(none_precision, float)
    assert math.isnan(health_pr_auc)
    assert math.isnan(none_precision)
    assert table.loc["(all)", "rows"] == 6
    assert table.loc["(all)", "tp"] == 2


def test_error_terms_count_what_pushed_the_errors() -> None:
    scored = _scored([(0, 0.9, "a"), (0, 0.8, "a"), (1, 0.1, "a"), (1, 0.95, "a")])
    # pandas-stubs only let .at store scalars, but an object column holds any object.
    scored.at[0, "explanation"] = Explanation(  # type: ignore[assignment]
        up=[("term:sebarkan", 1.0), ("feature:capital_ratio", 0.5)], down=[]
    )
    scored.at[1, "explanation"] = Explanation(up=[("term:sebarkan", 2.0)], down=[])  # type: ignore[assignment]
    scored.at[2, "explanation"] = Explanation(up=[], down=[("raw:Kabupaten", -0.4)])  # type: ignore[assignment]
    scored.at[3, "explanation"] = Explanation(up=[("term:hoaks", 3.0)], down=[])  # type: ignore[assignment]

    fp = error_terms(scored, "fp")
    fn = error_terms(scored, "fn")

    assert fp.index.tolist() == ["term:sebarkan", "feature:capital_ratio"]
    assert fp.loc["term:sebarkan", "posts"] == 2
    assert fp.loc["term:sebarkan", "mean_weight"] == 1.5
    assert fn.index.tolist() == ["raw:Kabupaten"]


def test_error_terms_of_no_errors_are_an_empty_table() -> None:
    assert error_terms(_scored([(1, 0.9, "a")]), "fp").empty


def test_rows_the_model_was_trained_on_are_left_out(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": ["satu dua", "Tiga  EMPAT", "lima"], "y": [0, 1, 0]})
    model = tmp_path / "model"
    model.mkdir()
    seen = fingerprints(pd.Series(["tiga empat"]))
    (model / FINGERPRINTS_FILE).write_text(seen.iloc[0] + "\n", encoding="utf-8")

    assert unseen_rows(frame, model)["text"].tolist() == ["satu dua", "lima"]
