"""Reading CSV/TSV/JSONL/XLSX with encoding and delimiter detection and line numbers."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from openpyxl import Workbook

from monitor.model.tables import TableError, detect_delimiter, detect_encoding, read_table


def test_it_detects_utf8_bom_cp1252_and_utf16() -> None:
    text = "teks;label\nsudah dicek — benar;valid\n"
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    assert detect_encoding(codecs.BOM_UTF8 + text.encode("utf-8")) == "utf-8-sig"
    assert detect_encoding(text.encode("cp1252")) == "cp1252"
    assert detect_encoding(text.encode("utf-16")) == "utf-16"


def test_it_detects_the_delimiter_from_the_header_only() -> None:
    assert detect_delimiter("a;b\n1,2,3,4;x\n") == ";"
    assert detect_delimiter("a\tb\tc\nx;y\n") == "\t"
    assert detect_delimiter('"a,b";c;d\n') == ";"
    assert detect_delimiter("text\nhello, world\n") == ","


def test_it_reads_a_cp1252_semicolon_file_with_multiline_fields(tmp_path: Path) -> None:
    content = 'berita;tagging\n"Baris satu\nbaris dua — kutipan";Valid \n"kedua";Hoax\n'
    path = tmp_path / "news.csv"
    path.write_bytes(content.encode("cp1252"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.columns == ["berita", "tagging"]
    assert [r.line for r in table.records] == [2, 4]
    assert table.records[0].cells["berita"] == "Baris satu\nbaris dua — kutipan"
    assert table.records[1].cells["tagging"] == "Hoax"


def test_it_strips_the_bom_from_the_first_column_name(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + b"text,label\nhalo,valid\n")
    table = read_table(path)
    assert table.columns == ["text", "label"]
    assert table.records[0].cells == {"text": "halo", "label": "valid"}


def test_it_reports_rows_with_the_wrong_field_count_by_starting_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('text,label\n"satu\ndua",hoax\ntiga\nempat,valid,extra\nlima,valid\n')
    table = read_table(path)
    assert [r.line for r in table.records] == [2, 6]
    assert [(p.line, p.reason) for p in table.problems] == [
        (4, "expected 2 fields, found 1"),
        (5, "expected 2 fields, found 3"),
    ]


def test_a_tsv_suffix_means_tabs(tmp_path: Path) -> None:
    path = tmp_path / "posts.tsv"
    path.write_text("text\tlabel\nhalo, apa kabar\tvalid\n")
    table = read_table(path)
    assert table.format == "tsv"
    assert table.records[0].cells["text"] == "halo, apa kabar"


def test_it_reads_jsonl_and_reports_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"text": "satu", "label": "hoax"}\n'
        "\n"
        "{not json}\n"
        '["a list"]\n'
        '{"text": "dua", "label": "valid", "score": 1.0, "tags": ["x"]}\n'
    )
    table = read_table(path)
    assert [r.line for r in table.records] == [1, 5]
    assert table.records[1].cells["score"] == "1"
    assert table.records[1].cells["tags"] == '["x"]'
    assert [p.line for p in table.problems] == [3, 4]
    assert table.columns == ["text", "label", "score", "tags"]


def test_it_reads_the_first_sheet_of_a_workbook_with_row_numbers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["text", "label"])
    sheet.append(["satu", "hoax"])
    sheet.append([None, None])
    sheet.append(["dua", 1])
    sheet.append(["tiga", "valid", "stray"])
    path = tmp_path / "posts.xlsx"
    book.save(path)
    table = read_table(path)
    assert [(r.line, r.cells["label"]) for r in table.records] == [(2, "hoax"), (4, "1")]
    assert [p.line for p in table.problems] == [5]


def test_it_refuses_missing_empty_and_headerless_files(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "absent.csv")
    (tmp_path / "empty.csv").write_text("  \n")
    with pytest.raises(TableError, match="empty"):
        read_table(tmp_path / "empty.csv")
    (tmp_path / "broken.xlsx").write_text("not a workbook")
    with pytest.raises(TableError, match="workbook"):
        read_table(tmp_path / "broken.xlsx")


def test_it_records_the_file_hash(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text,label\nx,hoax\n")
    first = read_table(path).sha256
    path.write_text("text,label\ny,hoax\n")
    assert read_table(path).sha256 != first
    assert len(first) == 64
