"""Assembling labelled data: joined text columns, label mapping, problems with lines."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.model.dataset import DataError, LoadOptions, load_labelled, parse_date


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_it_joins_text_columns_and_maps_labels_case_insensitively(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.csv",
        "title;body;tagging\nJudul;Isi berita;Hoax \nJudul dua;;valid\n;Hanya isi;HOAX\n",
    )
    options = LoadOptions(text_columns=("title", "body"), label_column="tagging")
    data = load_labelled([path], options)
    assert data.texts == ["Judul\nIsi berita", "Judul dua", "Hanya isi"]
    assert data.labels == [1, 0, 1]
    assert data.label_values == {"Hoax": 1, "valid": 1, "HOAX": 1}
    assert data.origins == [("a.csv", 2), ("a.csv", 3), ("a.csv", 4)]


def test_it_reports_unusable_rows_with_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "b.csv",
        'text,label\n"dua\nbaris",hoax\n,valid\ntanpa label,\nlima,mungkin\nenam,valid\n',
    )
    data = load_labelled([path], LoadOptions(valid_values=("valid",)))
    assert data.texts == ["dua\nbaris", "enam"]
    assert [str(p) for p in data.problems] == [
        "b.csv:4: empty text",
        "b.csv:5: missing label",
        "b.csv:6: unknown label 'mungkin'",
    ]
    assert data.files[0].rows_used == 2
    assert data.files[0].rows_skipped == 3


def test_without_valid_values_any_other_label_is_valid(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", "text,label\nsatu,hoax\ndua,fakta\n")
    assert load_labelled([path]).labels == [1, 0]


def test_it_keeps_topics_claim_groups_and_dates(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "d.csv",
        "text,label,topic,claim_group,date\n"
        "satu,hoax,kesehatan,g1,2025-03-01\n"
        "dua,valid,,,bukan tanggal\n",
    )
    data = load_labelled([path])
    assert data.topics == ["kesehatan", None]
    assert data.claim_groups == ["g1", None]
    assert data.dates == [date(2025, 3, 1), None]


def test_rows_per_topic_numbers_topics_by_row_position(tmp_path: Path) -> None:
    rows = "".join(f"teks {i},{'hoax' if i % 2 else 'valid'}\n" for i in range(7))
    path = _write(tmp_path / "e.csv", "text,label\n" + rows)
    data = load_labelled([path], LoadOptions(rows_per_topic=3))
    assert data.topics == ["e.csv#0"] * 3 + ["e.csv#1"] * 3 + ["e.csv#2"]


def test_it_reads_several_files_in_order(tmp_path: Path) -> None:
    first = _write(tmp_path / "1.csv", "text,label\nsatu,hoax\n")
    second = tmp_path / "2.jsonl"
    second.write_text('{"text": "dua", "label": "valid"}\n')
    data = load_labelled([first, second])
    assert data.texts == ["satu", "dua"]
    assert [f.format for f in data.files] == ["csv", "jsonl"]


def test_a_missing_column_or_no_usable_row_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "f.csv", "isi,label\nsatu,hoax\n")
    with pytest.raises(DataError, match=r"missing column\(s\) \['text'\]"):
        load_labelled([path])
    empty = _write(tmp_path / "g.csv", "text,label\n,hoax\n")
    with pytest.raises(DataError, match="no usable rows"):
        load_labelled([empty])
    with pytest.raises(DataError, match="no data files"):
        load_labelled([])


def test_it_parses_iso_dates_and_datetimes() -> None:
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("2024-02-29T23:10:00Z") == date(2024, 2, 29)
    assert parse_date("29/02/2024") is None
    assert parse_date("") is None
