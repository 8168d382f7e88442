"""The JSONL/CSV file connector on real files under tmp_path."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.sources import FetchResult, NotConfigured, SourceError, build_source
from monitor.sources.files import FileSource


def file_source(path: Path, **settings: object) -> FileSource:
    source = build_source("file", {"path": str(path), **settings})
    assert isinstance(source, FileSource)
    return source


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def drain(source: FileSource, cursor: str | None = None) -> list[FetchResult]:
    """Fetch until the source reports it is exhausted (bounded, so a bug cannot hang)."""
    results = []
    for _ in range(100):
        result = source.fetch(cursor)
        results.append(result)
        cursor = result.cursor
        if result.exhausted:
            return results
    raise AssertionError("the source never reported exhaustion")


def texts(result: FetchResult) -> list[str]:
    return [post.text for post in result.posts]


# -- JSON Lines ---------------------------------------------------------------------------


def test_it_maps_jsonl_fields_and_keeps_the_record_as_raw(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    record = {
        "id": "tw-1",
        "text": "Beredar kabar vaksin palsu di Surabaya",
        "url": "https://example.id/p/1",
        "author": "warga_sby",
        "published_at": "2024-03-05T10:00:00+07:00",
        "likes": 12,
        "shares": "1.234",
        "comments": "2,5rb",
        "views": 40000,
        "platform": "x",
    }
    path.write_text(jsonl(record), encoding="utf-8")

    result = file_source(path).fetch(None)

    assert result.problems == []
    assert result.exhausted is True
    (post,) = result.posts
    assert post.external_id == "tw-1"
    assert post.text == "Beredar kabar vaksin palsu di Surabaya"
    assert post.url == "https://example.id/p/1"
    assert post.author == "warga_sby"
    assert post.published_at == datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
    assert (post.likes, post.shares, post.comments, post.views) == (12, 1234, 2500, 40000)
    assert post.raw == record


def test_it_accepts_the_alternative_column_names(tmp_path: Path) -> None:
    path = tmp_path / "posts.ndjson"
    path.write_text(
        jsonl(
            {"external_id": 77, "text": "satu", "date": "2024-03-05T00:00:00Z"},
            {"id": "b", "text": "dua", "created_at": 1709596800},
        ),
        encoding="utf-8",
    )

    first, second = file_source(path).fetch(None).posts

    assert first.external_id == "77"
    assert first.published_at == datetime(2024, 3, 5, tzinfo=UTC)
    assert second.published_at == datetime(2024, 3, 5, tzinfo=UTC)


def test_the_fields_setting_maps_our_names_to_other_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(jsonl({"kode": "k-9", "isi": "Isu BLT palsu", "suka": 5}), encoding="utf-8")

    (post,) = (
        file_source(path, fields={"id": "kode", "text": "isi", "likes": "suka"}).fetch(None).posts
    )

    assert (post.external_id, post.text, post.likes) == ("k-9", "Isu BLT palsu", 5)


def test_a_post_without_id_gets_the_sha256_of_its_text(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"text": "tanpa id"}, {"id": "", "text": "id kosong"}), encoding="utf-8")

    first, second = file_source(path).fetch(None).posts

    assert first.external_id == hashlib.sha256(b"tanpa id").hexdigest()
    assert second.external_id == hashlib.sha256(b"id kosong").hexdigest()


def test_malformed_lines_are_reported_by_line_number_and_the_rest_ingested(
    tmp_path: Path,
) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        jsonl({"id": 1, "text": "baik"})
        + "{not json\n"
        + "\n"
        + '["a", "list"]\n'
        + jsonl({"id": 5, "text": "   "}, {"id": 6, "note": "no text"})
        + '{"id": 7, "text": "nan", "likes": NaN}\n'
        + jsonl({"id": 8, "text": "juga baik"}),
        encoding="utf-8",
    )

    result = file_source(path).fetch(None)

    assert texts(result) == ["baik", "juga baik"]
    assert [p.split(":")[0] for p in result.problems] == [
        "line 2",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
    ]
    assert "invalid JSON" in result.problems[0]
    assert "not a JSON object" in result.problems[1]
    assert "missing text" in result.problems[2]
    assert "NaN" in result.problems[4]


def test_unparseable_counts_become_zero_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(
        jsonl({"id": 1, "text": "x", "likes": "banyak", "shares": -4, "views": True}),
        encoding="utf-8",
    )

    result = file_source(path).fetch(None)

    (post,) = result.posts
    assert (post.likes, post.shares, post.views) == (0, 0, 0)
    assert len(result.problems) == 3
    assert all(p.startswith("line 1: ") for p in result.problems)
    assert "likes 'banyak' is not a count" in result.problems[0]


def test_an_unreadable_date_is_left_empty_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "x", "date": "kemarin sore"}), encoding="utf-8")

    result = file_source(path).fetch(None)

    assert result.posts[0].published_at is None
    assert result.problems == ["line 1: unreadable date 'kemarin sore'; left empty"]


def test_times_without_offset_are_read_in_the_configured_zone(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "x", "date": "2024-03-05 10:00"}), encoding="utf-8")

    jakarta = file_source(path, timezone="Asia/Jakarta").fetch(None).posts[0]
    utc = file_source(path).fetch(None).posts[0]

    assert jakarta.published_at == datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
    assert utc.published_at == datetime(2024, 3, 5, 10, 0, tzinfo=UTC)


def test_invalid_utf8_is_replaced_and_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"id": 1, "text": "baik"}\n{"id": 2, "text": "rusak \xff\xfe di sini"}\n')

    result = file_source(path).fetch(None)

    assert texts(result) == ["baik", "rusak \ufffd\ufffd di sini"]
    assert result.problems == ["line 2: invalid utf-8 bytes replaced with U+FFFD"]


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + jsonl({"id": "bom", "text": "awal"}).encode())

    result = file_source(path).fetch(None)

    assert result.problems == []
    assert result.posts[0].external_id == "bom"


def test_crlf_line_endings_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b'{"id": 1, "text": "a"}\r\n{"id": 2, "text": "b"}\r\n')

    assert texts(file_source(path).fetch(None)) == ["a", "b"]


def test_a_legacy_encoding_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(jsonl({"id": 1, "text": "Café Sétiabudi"}).encode("latin-1"))

    result = file_source(path, encoding="latin-1").fetch(None)

    assert texts(result) == ["Café Sétiabudi"]
    assert result.problems == []


# -- pacing, cursor, growth ---------------------------------------------------------------


def test_batch_size_paces_the_stream(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl(*({"id": i, "text": f"post {i}"} for i in range(5))), encoding="utf-8")

    results = drain(file_source(path, batch_size=2))

    assert [texts(r) for r in results] == [["post 0", "post 1"], ["post 2", "post 3"], ["post 4"]]
    assert [r.exhausted for r in results] == [False, False, True]


def test_a_new_process_resumes_from_the_committed_cursor(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl(*({"id": i, "text": f"post {i}"} for i in range(4))), encoding="utf-8")
    committed = file_source(path, batch_size=3).fetch(None).cursor

    # An uncommitted fetch after that one is lost in a crash; the restart uses `committed`.
    file_source(path, batch_size=3).fetch(committed)
    resumed = file_source(path, batch_size=3).fetch(committed)

    assert texts(resumed) == ["post 3"]
    assert resumed.exhausted is True


def test_the_cursor_is_json_with_offset_and_line(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    content = jsonl({"id": 1, "text": "a"}, {"id": 2, "text": "b"})
    path.write_text(content, encoding="utf-8")

    cursor = file_source(path).fetch(None).cursor

    assert cursor is not None
    data = json.loads(cursor)
    assert (data["offset"], data["line"]) == (len(content.encode()), 2)


def test_lines_appended_later_are_picked_up_from_the_cursor(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "lama"}), encoding="utf-8")
    source = file_source(path)
    first = source.fetch(None)

    with path.open("a", encoding="utf-8") as handle:
        handle.write("oops\n" + jsonl({"id": 3, "text": "baru"}))
    second = source.fetch(first.cursor)
    third = source.fetch(second.cursor)

    assert texts(first) == ["lama"]
    assert texts(second) == ["baru"]
    assert second.problems[0].startswith("line 2: invalid JSON")
    assert third.posts == []
    assert third.problems == []


def test_a_half_written_last_line_waits_for_its_newline(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "utuh"}) + '{"id": 2, "text": "setengah', "utf-8")
    source = file_source(path)
    first = source.fetch(None)

    with path.open("a", encoding="utf-8") as handle:
        handle.write(' jadi"}\n')
    second = source.fetch(first.cursor)

    assert texts(first) == ["utuh"]
    assert first.problems == ["line 2: incomplete last line (no newline yet); left for later"]
    assert texts(second) == ["setengah jadi"]


def test_a_complete_last_line_without_newline_is_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text('{"id": 1, "text": "akhir"}', encoding="utf-8")

    result = file_source(path).fetch(None)

    assert texts(result) == ["akhir"]
    assert result.problems == []


def test_a_replaced_file_is_read_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "versi satu yang panjang"}), encoding="utf-8")
    cursor = file_source(path).fetch(None).cursor
    path.write_text(jsonl({"id": 9, "text": "versi dua, juga panjang"}), encoding="utf-8")

    result = file_source(path).fetch(cursor)

    assert texts(result) == ["versi dua, juga panjang"]
    assert "replaced" in result.problems[0]


def test_a_truncated_file_is_read_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "a"}, {"id": 2, "text": "b"}), encoding="utf-8")
    cursor = file_source(path).fetch(None).cursor
    path.write_text(jsonl({"id": 3, "text": "c"}), encoding="utf-8")

    result = file_source(path).fetch(cursor)

    assert texts(result) == ["c"]
    assert "truncated" in result.problems[0]


def test_an_unreadable_cursor_restarts_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text(jsonl({"id": 1, "text": "a"}), encoding="utf-8")

    result = file_source(path).fetch('{"offset": "lots"}')

    assert texts(result) == ["a"]
    assert "cursor is unreadable" in result.problems[0]


def test_an_empty_file_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_bytes(b"")

    result = file_source(path).fetch(None)

    assert (result.posts, result.problems, result.exhausted) == ([], [], True)


def test_a_file_of_garbage_is_still_read_in_bounded_steps(tmp_path: Path) -> None:
    path = tmp_path / "posts.jsonl"
    path.write_text("garbage\n" * 5 + jsonl({"id": 1, "text": "akhirnya"}), encoding="utf-8")

    results = drain(file_source(path, batch_size=2))

    assert [len(r.problems) for r in results] == [2, 2, 1]
    assert texts(results[-1]) == ["akhirnya"]


# -- CSV ----------------------------------------------------------------------------------

CSV_WITH_MULTILINE = (
    "id,text,likes,kanal\n"
    '1,"Banjir di Bekasi,\nwarga mengungsi",5,wa\n'
    '2,"Kata ""hoaks"" beredar",7,fb\n'
    "3,terlalu,banyak,kolom,di sini\n"
    "4,baris biasa,0,x\n"
)


def test_csv_rows_with_quoted_multiline_fields_are_read(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(CSV_WITH_MULTILINE, encoding="utf-8")

    result = file_source(path).fetch(None)

    assert texts(result) == [
        "Banjir di Bekasi,\nwarga mengungsi",
        'Kata "hoaks" beredar',
        "baris biasa",
    ]
    assert result.posts[0].raw == {
        "id": "1",
        "text": "Banjir di Bekasi,\nwarga mengungsi",
        "likes": "5",
        "kanal": "wa",
    }
    assert result.problems == ["line 5: expected 4 fields, found 5"]


def test_csv_pacing_resumes_after_complete_multiline_records(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(CSV_WITH_MULTILINE, encoding="utf-8")

    results = drain(file_source(path, batch_size=1))

    assert [texts(r) for r in results if r.posts] == [
        ["Banjir di Bekasi,\nwarga mengungsi"],
        ['Kata "hoaks" beredar'],
        ["baris biasa"],
    ]
    assert json.loads(results[0].cursor or "")["line"] == 3


def test_a_csv_record_with_an_open_quote_at_the_end_waits_for_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('id,text\n1,satu\n2,"belum\nselesai', encoding="utf-8")
    source = file_source(path)
    first = source.fetch(None)

    with path.open("a", encoding="utf-8") as handle:
        handle.write(' ditulis"\n3,tiga\n')
    second = source.fetch(first.cursor)

    assert texts(first) == ["satu"]
    assert first.problems == ["line 3: incomplete record at end of file; left for later"]
    assert texts(second) == ["belum\nselesai ditulis", "tiga"]


def test_a_malformed_csv_quote_is_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text('id,text\n1,"tertutup"lalu teks\n2,baik\n', encoding="utf-8")

    result = file_source(path).fetch(None)

    assert texts(result) == ["baik"]
    assert result.problems[0].startswith("line 2: malformed CSV row")


def test_csv_with_bom_crlf_and_invalid_bytes(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(b"\xef\xbb\xbfid,text\r\n1,halo\r\n2,rusak \x80\r\n")

    result = file_source(path).fetch(None)

    assert [(p.external_id, p.text) for p in result.posts] == [
        ("1", "halo"),
        ("2", "rusak \ufffd"),
    ]
    assert result.problems == ["line 3: invalid utf-8 bytes replaced with U+FFFD"]


def test_tsv_and_custom_delimiters(tmp_path: Path) -> None:
    tsv = tmp_path / "posts.tsv"
    tsv.write_text("id\ttext\n1\tdengan tab, dan koma\n", encoding="utf-8")
    semicolon = tmp_path / "export.txt"
    semicolon.write_text("id;text\n1;titik koma\n", encoding="utf-8")

    assert texts(file_source(tsv).fetch(None)) == ["dengan tab, dan koma"]
    assert texts(file_source(semicolon, format="csv", delimiter=";").fetch(None)) == ["titik koma"]


def test_a_csv_without_a_text_column_is_a_permanent_error(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,isi\n1,teks\n", encoding="utf-8")

    with pytest.raises(SourceError, match="no text column") as caught:
        file_source(path).fetch(None)

    assert caught.value.permanent is True


def test_blank_lines_before_the_csv_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("\n\nid,text\n1,satu\n", encoding="utf-8")

    result = file_source(path).fetch(None)

    assert [(p.external_id, p.text) for p in result.posts] == [("1", "satu")]


def test_a_csv_with_only_a_header_gives_nothing(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n", encoding="utf-8")

    result = file_source(path).fetch(None)

    assert (result.posts, result.problems, result.exhausted) == ([], [], True)


def test_csv_rows_appended_later_are_picked_up(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text("id,text\n1,satu\n", encoding="utf-8")
    source = file_source(path)
    first = source.fetch(None)

    with path.open("a", encoding="utf-8") as handle:
        handle.write("2,dua\n")
    second = source.fetch(first.cursor)

    assert texts(second) == ["dua"]


# -- failures and settings ----------------------------------------------------------------


def test_a_missing_file_is_a_permanent_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="file not found") as caught:
        file_source(tmp_path / "nowhere.jsonl").fetch(None)

    assert caught.value.permanent is True


def test_a_directory_is_a_permanent_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()

    with pytest.raises(SourceError) as caught:
        file_source(folder).fetch(None)

    assert caught.value.permanent is True


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"path": "posts.xlsx"},
        {"path": "posts.jsonl", "format": "xml"},
        {"path": "posts.jsonl", "batch_size": 0},
        {"path": "posts.jsonl", "batch_size": "500"},
        {"path": "posts.jsonl", "fields": {"body": "isi"}},
        {"path": "posts.jsonl", "fields": {"text": ""}},
        {"path": "posts.jsonl", "fields": ["text"]},
        {"path": "posts.jsonl", "encoding": "utf-16"},
        {"path": "posts.jsonl", "encoding": "no-such-codec"},
        {"path": "posts.jsonl", "timezone": "Mars/Olympus"},
        {"path": "posts.csv", "delimiter": ";;"},
        {"path": "posts.csv", "delimiter": '"'},
    ],
)
def test_missing_or_invalid_settings_are_not_configured(settings: dict[str, object]) -> None:
    with pytest.raises(NotConfigured):
        build_source("file", settings)
