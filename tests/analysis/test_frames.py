"""Labelled rows as one table: the corpus, reviewers' labels, and back to LabelledData."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.analysis.frames import (
    FRAME_COLUMNS,
    corpus_frame,
    empty_frame,
    to_labelled,
    training_frame,
)
from monitor.model.dataset import DataError

HEADER = "id,text,label,hoax_category,topic,register,region,date,claim_group\n"


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def _store_row(text: str, label: str, post_id: int, **fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        "text": text,
        "label": label,
        "y": int(label == "hoax"),
        "topic": None,
        "register": "tweet",
        "claim_group": f"case:{post_id}",
        "date": date(2026, 11, 20),
        "hoax_category": "fabricated" if label == "hoax" else None,
        "source": "store",
        "file": None,
        "origin": f"post {post_id}",
    }
    row.update(fields)
    return row


@pytest.fixture
def corpus(tmp_path: Path) -> list[Path]:
    return [
        _csv(
            tmp_path / "health.csv",
            [
                'h-1,"Vaksin bikin mandul!! sebarkan",hoax,fabricated,health,'
                "whatsapp_forward,,2024-01-02,h-mandul",
                "h-2,Posyandu buka Sabtu pagi,valid,,health,news_lead,,2024-01-03,h-posyandu",
            ],
        ),
        _csv(
            tmp_path / "fuel.csv",
            [
                "f-1,Pertalite dihapus besok,hoax,misleading,fuel,tweet,,,f-pertalite",
                "f-2,,valid,,fuel,tweet,,2024-02-01,f-empty",
            ],
        ),
    ]


def test_corpus_rows_keep_label_topic_register_category_and_origin(
    corpus: list[Path],
) -> None:
    frame = corpus_frame(corpus)

    assert list(frame.columns) == list(FRAME_COLUMNS)
    assert frame["label"].tolist() == ["hoax", "valid", "hoax"]
    assert frame["y"].tolist() == [1, 0, 1]
    assert frame["register"].tolist() == ["whatsapp_forward", "news_lead", "tweet"]
    assert frame["hoax_category"].tolist() == ["fabricated", None, "misleading"]
    assert frame["claim_group"].tolist() == ["h-mandul", "h-posyandu", "f-pertalite"]
    assert frame["date"].tolist() == [date(2024, 1, 2), date(2024, 1, 3), None]
    assert frame["origin"].tolist() == ["health.csv:2", "health.csv:3", "fuel.csv:2"]
    assert set(frame["source"]) == {"corpus"}


def test_a_corpus_file_without_a_label_column_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("text\nhalo\n", encoding="utf-8")

    with pytest.raises(DataError):
        corpus_frame([bad])


def test_training_frame_appends_store_labels_and_prefers_them_over_the_same_text(
    corpus: list[Path],
) -> None:
    store = pd.DataFrame(
        [
            _store_row("  POSYANDU buka sabtu pagi ", "hoax", 7),
            _store_row("LPG naik Desember", "hoax", 8),
        ]
    )

    frame = training_frame(corpus, store)

    assert frame["origin"].tolist() == ["health.csv:2", "fuel.csv:2", "post 7", "post 8"]
    assert frame.loc[frame["origin"] == "post 7", "label"].item() == "hoax"


def test_training_frame_needs_every_frame_column_in_the_store_labels(
    corpus: list[Path],
) -> None:
    with pytest.raises(ValueError, match="claim_group"):
        training_frame(corpus, pd.DataFrame([{"text": "x", "label": "hoax"}]))


def test_training_frame_of_nothing_is_empty() -> None:
    assert training_frame([], empty_frame()).empty


def test_to_labelled_keeps_rows_in_order_with_their_groups_and_origins(
    corpus: list[Path],
) -> None:
    frame = training_frame(corpus, pd.DataFrame([_store_row("LPG naik", "hoax", 8)]))

    data = to_labelled(frame)

    assert data.texts == frame["text"].tolist()
    assert data.labels == [1, 0, 1, 1]
    assert data.claim_groups == ["h-mandul", "h-posyandu", "f-pertalite", "case:8"]
    assert data.topics == ["health", "health", "fuel", None]
    assert data.dates[2] is None
    assert data.origins == [("health.csv", 2), ("health.csv", 3), ("fuel.csv", 2), ("store", 8)]


def test_to_labelled_summarises_each_corpus_file_and_the_reviewer_labels(
    corpus: list[Path],
) -> None:
    frame = training_frame(corpus, pd.DataFrame([_store_row("LPG naik", "hoax", 8)]))
    part = frame.iloc[[0, 2, 3]]

    files = {f.path: f for f in to_labelled(part).files}

    health, fuel = str(corpus[0]), str(corpus[1])
    assert set(files) == {health, fuel, "store: reviewer labels"}
    assert files[health].sha256 == hashlib.sha256(corpus[0].read_bytes()).hexdigest()
    assert files[health].rows_used == 1
    assert files[fuel].rows_used == 1
    assert files["store: reviewer labels"].rows_used == 1
    assert files["store: reviewer labels"].format == "store"


def test_the_store_summary_changes_when_a_label_changes() -> None:
    hoax = to_labelled(pd.DataFrame([_store_row("LPG naik", "hoax", 8)])).files[0]
    valid = to_labelled(pd.DataFrame([_store_row("LPG naik", "valid", 8)])).files[0]

    assert hoax.sha256 != valid.sha256


def test_to_labelled_refuses_an_empty_frame() -> None:
    with pytest.raises(ValueError, match="no labelled rows"):
        to_labelled(empty_frame())
