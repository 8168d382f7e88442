"""Slang and alay spellings to standard words (the mapping step, on our own fixtures)."""

from __future__ import annotations

from pathlib import Path

from monitor.text.pipeline import Normalizer
from monitor.text.slang import SlangLexicon, default_slang
from monitor.text.stopwords import build_stopwords


def test_a_slang_word_maps_to_its_standard_words() -> None:
    lexicon = SlangLexicon([("yg", "yang"), ("otw", "dalam perjalanan")])
    assert lexicon.lookup("yg") == ("yang",)
    assert lexicon.lookup("otw") == ("dalam", "perjalanan")
    assert lexicon.map_word("rumah") == ("rumah",)
    assert lexicon.lookup("rumah") is None


def test_keys_are_lowercased_and_the_first_mapping_wins() -> None:
    lexicon = SlangLexicon([("GK", "tidak"), ("gk", "enggak")])
    assert lexicon.lookup("gk") == ("tidak",)
    assert len(lexicon) == 1


def test_the_lexicon_file_format_is_read(tmp_path: Path) -> None:
    path = tmp_path / "slang.tsv"
    path.write_text("# comment\nbgt\tsangat\n\nno tab here\ngpp\ttidak apa apa\n", encoding="utf-8")
    lexicon = SlangLexicon.from_file(path)
    assert lexicon.lookup("bgt") == ("sangat",)
    assert lexicon.lookup("gpp") == ("tidak", "apa", "apa")
    assert lexicon.keys() == {"bgt", "gpp"}
    assert lexicon.targets() == {"sangat", "tidak", "apa"}


def test_a_missing_file_gives_an_empty_lexicon(tmp_path: Path) -> None:
    assert len(SlangLexicon.from_file(tmp_path / "missing.tsv")) == 0


def test_the_normalizer_maps_slang_before_stemming() -> None:
    normalizer = Normalizer(
        slang=SlangLexicon([("ngebohongin", "membohongi"), ("gk", "tidak"), ("hoax", "hoaks")]),
        stopwords=build_stopwords(),
    )
    assert normalizer.normalize("gk ngebohongin hoax").tokens == ("tidak", "bohong", "hoaks")


def test_slang_is_recognised_with_a_clitic_attached() -> None:
    normalizer = Normalizer(slang=SlangLexicon([("bansos", "bantuan sosial")]))
    assert normalizer.normalize("bansosnya").tokens == ("bantu", "sosial")


def test_reduplication_written_with_a_space_is_stemmed_as_one_word() -> None:
    normalizer = Normalizer(slang=SlangLexicon([("anak2", "anak anak")]))
    assert normalizer.normalize("anak2").tokens == ("anak",)


def test_the_shipped_lexicon_is_loaded_when_present() -> None:
    assert len(default_slang()) >= 1500
