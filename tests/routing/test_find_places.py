"""find_places: place mentions in raw post text."""

from __future__ import annotations

import pytest

from monitor.routing import Place, find_places


def _names(text: str) -> list[str]:
    return [place.name for place in find_places(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Warga Kab. Bogor diminta waspada", "Kabupaten Bogor"),
        ("Pemkab Bogor membantah kabar itu", "Kabupaten Bogor"),
        ("Banjir di Kota Bogor hari ini", "Kota Bogor"),
        ("Pemkot Bogor: itu hoaks", "Kota Bogor"),
        ("hoaks gempa susulan di jabar", "Jawa Barat"),
        ("Jakut tenggelam katanya", "Kota Administrasi Jakarta Utara"),
        ("liburan ke Jogja", "DI Yogyakarta"),
        ("Pemda DIY membantah", "DI Yogyakarta"),
        ("D.I. Yogyakarta", "DI Yogyakarta"),
        ("polisi Sulsel bertindak", "Sulawesi Selatan"),
        ("bantuan untuk NTT", "Nusa Tenggara Timur"),
        ("pindah ke IKN", "Kalimantan Timur"),
        ("banjir Kaltim", "Kalimantan Timur"),
        ("Makassar diguyur hujan", "Kota Makassar"),
        ("kabar dari Medan", "Kota Medan"),
        ("Kep. Seribu", "Kabupaten Administrasi Kepulauan Seribu"),
        ("Prov. Kep. Riau", "Kepulauan Riau"),
        ("Sumatra Utara", "Sumatera Utara"),
        ("wisata Labuan Bajo", "Kabupaten Manggarai Barat"),
        ("konser di Solo", "Kota Surakarta"),
        ("Kota Solo", "Kota Surakarta"),
    ],
)
def test_it_finds_a_place_by_name_alias_or_prefix(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_it_returns_places_with_kind_and_province() -> None:
    assert find_places("Kabupaten Gunungkidul") == [
        Place("regency", "Kabupaten Gunungkidul", "DI Yogyakarta")
    ]


def test_it_ignores_case_and_accents() -> None:
    assert _names("JAWA BARAT") == ["Jawa Barat"]
    assert _names("Jàwa Bárat") == ["Jawa Barat"]


def test_it_prefers_the_longest_name_at_each_position() -> None:
    assert _names("Papua Barat Daya") == ["Papua Barat Daya"]
    assert _names("Kota Bogor") == ["Kota Bogor"]
    assert _names("Tanjung Balai Karimun") == ["Kabupaten Karimun"]
    assert _names("Maluku Tenggara Barat") == ["Kabupaten Kepulauan Tanimbar"]


def test_it_reports_every_mention_in_reading_order() -> None:
    text = "Dari Surabaya ke Malang, lalu kembali ke Surabaya."

    assert _names(text) == ["Kota Surabaya", "Kabupaten Malang", "Kota Surabaya"]


def test_it_matches_whole_words_only() -> None:
    assert _names("medannya berat sekali") == []
    assert _names("sebalinya") == []
    assert _names("Jakarta2024") == ["DKI Jakarta"]


def test_a_name_does_not_run_across_punctuation() -> None:
    assert _names("di Jawa. Barat sana") == []
    assert _names("Kota, Bogor") == ["Kabupaten Bogor"]


def test_hyphens_underscores_and_joined_spellings_match() -> None:
    assert _names("Tojo Una-Una") == ["Kabupaten Tojo Una-Una"]
    assert _names("Kota Pare-Pare") == ["Kota Parepare"]
    assert _names("#banjir_bekasi") == ["Kabupaten Bekasi"]
    assert _names("Gunung Kidul dan gunungkidul") == ["Kabupaten Gunungkidul"] * 2
    assert _names("#jawabarat") == ["Jawa Barat"]


def test_it_splits_camel_case_hashtags() -> None:
    assert _names("#BanjirJakarta #KotaBatu") == ["DKI Jakarta", "Kota Batu"]


def test_an_ordinary_word_needs_a_prefix_or_a_capitalized_locative_context() -> None:
    assert _names("duduk di batu besar") == []
    assert _names("batu bara naik harga") == []
    assert _names("serang mereka!") == []
    assert _names("banjir di Batu") == ["Kota Batu"]
    assert _names("Kota Batu") == ["Kota Batu"]
    assert _names("Kab. Serang") == ["Kabupaten Serang"]
    assert _names("warga Pati mengungsi") == ["Kabupaten Pati"]
    assert _names("Bima Arya berkata") == []


def test_decoy_phrases_name_no_place() -> None:
    assert _names("medan perang melawan hoaks") == []
    assert _names("makan nasi padang") == []
    assert _names("bendera palu arit") == []
    assert _names("dari Sabang sampai Merauke") == []
    assert _names("cepat berkembang biak") == []
    assert _names("nasib malang menimpanya di Malang") == ["Kabupaten Malang"]


def test_a_place_after_jalan_is_a_street() -> None:
    assert _names("demo di Jl. Medan Merdeka Barat") == []
    assert _names("rumah di Jalan Bandung, Malang") == ["Kabupaten Malang"]
    assert _names("macet di Jalan Raya Bogor") == []


def test_it_finds_nothing_in_text_without_places() -> None:
    assert find_places("") == []
    assert find_places("Pemerintah membantah kabar vaksin berbahaya 🙏") == []


def test_it_reads_a_long_post_in_full() -> None:
    filler = "kabar ini beredar luas di media sosial tanpa sumber yang jelas. " * 300
    text = filler + "Banjir di Kota Bogor." + filler + "Kab. Sleman juga."

    assert len(text) > 20_000
    assert _names(text) == ["Kota Bogor", "Kabupaten Sleman"]
