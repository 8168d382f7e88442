"""Memo, persistent stem cache and batch deduplication."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.text.stem import (
    BoundedMemo,
    StemCache,
    Stemmer,
    build_stem_cache,
    read_stem_cache,
    rebuild_shipped_stem_cache,
    write_stem_cache,
)


def test_the_memo_never_holds_more_than_its_size() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(10)
    for i in range(1000):
        memo.put(str(i), i)
        assert len(memo) <= 10
    assert memo.get("999") == 999
    assert memo.get("0") is None


def test_the_memo_keeps_a_recently_used_entry_across_a_rotation() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(4)
    memo.put("a", 1)
    memo.put("b", 2)  # young generation full: it becomes the old one
    assert memo.get("a") == 1  # promoted back to the young generation
    memo.put("c", 3)
    memo.put("d", 4)
    assert memo.get("a") == 1


def test_get_old_finds_and_promotes_only_old_entries() -> None:
    memo: BoundedMemo[str, int] = BoundedMemo(6)
    memo.put("a", 1)
    memo.put("b", 2)
    memo.put("x", 0)  # rotation: "a", "b" and "x" are now old
    memo.put("c", 3)
    assert memo.get_old("c") is None  # young entries are not its business
    assert memo.get_old("a") == 1
    assert memo.get_many(["a"]) == [1]  # promoted to the young generation
    assert memo.get_old("zzz") is None


def test_the_memo_rejects_a_useless_size() -> None:
    with pytest.raises(ValueError, match="maxsize"):
        BoundedMemo(1)


def test_a_word_is_stemmed_from_scratch_only_once(tmp_path: Path) -> None:
    stemmer = Stemmer(cache=StemCache(tmp_path / "cache.tsv"))
    assert stemmer.stem("menyebarkan") == "sebar"
    assert stemmer.stem("menyebarkan") == "sebar"
    assert stemmer.computed == 1


def test_dictionary_roots_cost_no_stemming(tmp_path: Path) -> None:
    stemmer = Stemmer(cache=StemCache(tmp_path / "cache.tsv"))
    assert stemmer.stem("rumah") == "rumah"
    assert stemmer.computed == 0


def test_a_batch_stems_each_distinct_word_once(tmp_path: Path) -> None:
    stemmer = Stemmer(cache=StemCache(tmp_path / "cache.tsv"))
    stems = stemmer.stem_many(["diberitakan", "menyebarkan", "diberitakan", "menyebarkan"])
    assert stems == {"diberitakan": "berita", "menyebarkan": "sebar"}
    assert stemmer.computed == 2


def test_the_cache_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "cache.tsv"
    count = write_stem_cache({"menyebarkan": "sebar", "jokowi": "jokowi"}, path)
    assert count == 2
    assert read_stem_cache(path) == {"menyebarkan": "sebar", "jokowi": "jokowi"}
    assert "jokowi\n" in path.read_text(encoding="utf-8")  # a stem equal to its word


def test_a_shipped_cache_is_used_instead_of_stemming(tmp_path: Path) -> None:
    path = tmp_path / "cache.tsv"
    build_stem_cache(["menyebarkan", "rumah"], path)
    assert read_stem_cache(path) == {"menyebarkan": "sebar"}  # roots are not stored
    stemmer = Stemmer(cache=StemCache(path))
    assert stemmer.stem("menyebarkan") == "sebar"
    assert stemmer.computed == 0


def test_words_learnt_at_run_time_can_be_saved(tmp_path: Path) -> None:
    path = tmp_path / "cache.tsv"
    write_stem_cache({"menyebarkan": "sebar"}, path)
    cache = StemCache(path)
    stemmer = Stemmer(cache=cache)
    stemmer.stem("diberitakan")
    assert cache.new_words == 1
    assert cache.save() == 2
    assert read_stem_cache(path) == {"menyebarkan": "sebar", "diberitakan": "berita"}


def test_the_cache_stops_growing_at_its_bound_and_the_memo_takes_over(tmp_path: Path) -> None:
    cache = StemCache(tmp_path / "cache.tsv", max_new_words=1)
    stemmer = Stemmer(cache=cache, memo_size=10)
    stemmer.stem("diberitakan")
    stemmer.stem("menyebarkan")
    assert len(cache) == 1
    assert stemmer.stem("menyebarkan") == "sebar"
    assert stemmer.computed == 2
    stemmer.stem("mendengarkan")  # the cache is full: the memo keeps it
    assert stemmer.stem("mendengarkan") == "dengar"
    assert stemmer.computed == 3


def test_the_cache_is_loaded_only_when_first_needed(tmp_path: Path) -> None:
    path = tmp_path / "cache.tsv"
    cache = StemCache(path)
    write_stem_cache({"menyebarkan": "sebar"}, path)  # written after construction
    assert cache.get("menyebarkan") == "sebar"


def test_the_shipped_cache_is_built_from_the_words_the_normalizer_stems(tmp_path: Path) -> None:
    path = tmp_path / "cache.tsv"
    rebuild_shipped_stem_cache(["Vaksinnya menyebarkan penyakit"], path)
    assert read_stem_cache(path) == {
        "vaksinnya": "vaksin",
        "menyebarkan": "sebar",
        "penyakit": "sakit",
    }
