"""Checks on the shipped gazetteer file and on the loader's guards against bad data."""

from __future__ import annotations

from collections import Counter

import pytest

from monitor.routing.ambiguity import CONTEXT_REQUIRED
from monitor.routing.gazetteer import (
    GazetteerEntry,
    GazetteerError,
    Place,
    load_gazetteer,
    parse_gazetteer,
)
from monitor.routing.matcher import PlaceIndex, default_index

PROVINCES = {
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Kepulauan Riau", "Jambi",
    "Sumatera Selatan", "Kepulauan Bangka Belitung", "Bengkulu", "Lampung", "DKI Jakarta",
    "Jawa Barat", "Banten", "Jawa Tengah", "DI Yogyakarta", "Jawa Timur", "Bali",
    "Nusa Tenggara Barat", "Nusa Tenggara Timur", "Kalimantan Barat", "Kalimantan Tengah",
    "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara", "Sulawesi Utara",
    "Gorontalo", "Sulawesi Tengah", "Sulawesi Barat", "Sulawesi Selatan", "Sulawesi Tenggara",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Barat Daya", "Papua Selatan",
    "Papua Tengah", "Papua Pegunungan",
}  # fmt: skip

HEADER = "kind\tname\tprovince\taliases\n"


def _places() -> list[Place]:
    return [entry.place for entry in load_gazetteer()]


def test_it_lists_all_38_provinces_including_the_2022_papua_provinces() -> None:
    provinces = [p.name for p in _places() if p.kind == "province"]

    assert len(provinces) == 38
    assert set(provinces) == PROVINCES


def test_it_lists_416_regencies_and_98_cities() -> None:
    kinds = Counter(p.kind for p in _places())

    assert kinds["regency"] == 416
    assert kinds["city"] == 98
    assert kinds["regency"] + kinds["city"] >= 500


def test_every_regency_and_city_belongs_to_one_of_the_38_provinces() -> None:
    for place in _places():
        assert place.province in PROVINCES, place


def test_every_province_has_at_least_one_regency() -> None:
    with_regencies = {p.province for p in _places() if p.kind == "regency"}

    assert with_regencies == PROVINCES


@pytest.mark.parametrize(
    ("province", "regencies", "cities"),
    [
        ("Aceh", 18, 5),
        ("Sumatera Utara", 25, 8),
        ("DKI Jakarta", 1, 5),
        ("Jawa Barat", 18, 9),
        ("Jawa Tengah", 29, 6),
        ("DI Yogyakarta", 4, 1),
        ("Jawa Timur", 29, 9),
        ("Nusa Tenggara Timur", 21, 1),
        ("Sulawesi Barat", 6, 0),
        ("Sulawesi Selatan", 21, 3),
        ("Papua", 8, 1),
        ("Papua Barat", 7, 0),
        ("Papua Barat Daya", 5, 1),
        ("Papua Selatan", 4, 0),
        ("Papua Tengah", 8, 0),
        ("Papua Pegunungan", 8, 0),
    ],
)
def test_a_province_has_its_known_number_of_regencies_and_cities(
    province: str, regencies: int, cities: int
) -> None:
    kinds = Counter(p.kind for p in _places() if p.province == province and p.kind != "province")

    assert (kinds["regency"], kinds["city"]) == (regencies, cities)


def test_names_carry_their_official_prefix() -> None:
    for place in _places():
        if place.kind == "regency":
            assert place.name.startswith("Kabupaten "), place
        if place.kind == "city":
            assert place.name.startswith("Kota "), place


def test_every_name_and_alias_resolves_to_its_own_place() -> None:
    index = default_index()
    for entry in load_gazetteer():
        assert index.lookup(entry.place.name) == entry.place
        for alias in entry.aliases:
            assert alias == alias.lower()
            assert index.lookup(alias) == entry.place, alias


def test_every_context_required_word_is_an_alias_of_some_place() -> None:
    index = default_index()
    for word in CONTEXT_REQUIRED:
        assert index.lookup(word) is not None, word


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("bogor", "Kabupaten Bogor"),
        ("kota bogor", "Kota Bogor"),
        ("kab. bogor", "Kabupaten Bogor"),
        ("gorontalo", "Gorontalo"),
        ("kabupaten gorontalo", "Kabupaten Gorontalo"),
        ("kota gorontalo", "Kota Gorontalo"),
        ("jambi", "Jambi"),
        ("kota jambi", "Kota Jambi"),
        ("yogyakarta", "DI Yogyakarta"),
        ("kota yogyakarta", "Kota Yogyakarta"),
        ("banjar", "Kabupaten Banjar"),
        ("kota banjar", "Kota Banjar"),
    ],
)
def test_a_shared_name_means_province_then_regency_unless_kota_is_written(
    phrase: str, name: str
) -> None:
    place = default_index().lookup(phrase)

    assert place is not None
    assert place.name == name


def test_the_loader_rejects_a_wrong_header() -> None:
    with pytest.raises(GazetteerError, match="header"):
        parse_gazetteer("kind\tname\n")


def test_the_loader_rejects_an_unknown_kind() -> None:
    with pytest.raises(GazetteerError, match="kind"):
        parse_gazetteer(HEADER + "village\tDesa X\tJambi\t\n")


def test_the_loader_rejects_a_place_whose_province_has_no_row() -> None:
    with pytest.raises(GazetteerError, match="no province row"):
        parse_gazetteer(HEADER + "regency\tKabupaten Kerinci\tJambi\tkerinci\n")


def test_the_loader_rejects_an_uppercase_alias() -> None:
    with pytest.raises(GazetteerError, match="lowercase"):
        parse_gazetteer(HEADER + "province\tJambi\tJambi\tJMB\n")


def test_the_loader_rejects_a_regency_name_without_its_prefix() -> None:
    with pytest.raises(GazetteerError, match="must start with"):
        parse_gazetteer(HEADER + "province\tJambi\tJambi\t\nregency\tKerinci\tJambi\t\n")


def test_the_index_rejects_an_alias_that_names_two_places() -> None:
    jambi = Place("province", "Jambi", "Jambi")
    entries = [
        GazetteerEntry(jambi, ()),
        GazetteerEntry(Place("regency", "Kabupaten Kerinci", "Jambi"), ("kerinci",)),
        GazetteerEntry(Place("city", "Kota Sungai Penuh", "Jambi"), ("kerinci",)),
    ]

    with pytest.raises(GazetteerError, match="kerinci"):
        PlaceIndex(entries, context_required=(), decoys=())


def test_the_index_rejects_a_decoy_that_is_also_a_place_name() -> None:
    entries = [GazetteerEntry(Place("province", "Jambi", "Jambi"), ())]

    with pytest.raises(GazetteerError, match="decoy"):
        PlaceIndex(entries, context_required=(), decoys=("provinsi jambi",))
