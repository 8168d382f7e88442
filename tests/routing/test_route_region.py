"""route_region, province_of and all_regions."""

from __future__ import annotations

from monitor.routing import all_regions, province_of, route_region


def test_posts_naming_one_regency_route_to_it() -> None:
    posts = ["Awas, air PDAM Kab. Sleman tercemar!", "Sleman: air PDAM aman diminum"]

    assert route_region(posts) == "Kabupaten Sleman"


def test_posts_naming_a_province_by_alias_route_to_the_province() -> None:
    posts = ["gempa besar akan terjadi di Jatim malam ini", "BMKG: tidak ada gempa di jatim"]

    assert route_region(posts) == "Jawa Timur"


def test_a_dominant_regency_wins_over_a_rarely_named_one() -> None:
    posts = [
        "Banjir bandang di Kota Bogor",
        "Kota Bogor terendam",
        "pengungsi Kota Bogor dari Depok juga",
    ]

    assert route_region(posts) == "Kota Bogor"


def test_two_regencies_named_equally_route_to_their_province() -> None:
    posts = ["longsor di Kota Bogor", "longsor di Kota Depok"]

    assert route_region(posts) == "Jawa Barat"


def test_the_regencys_own_province_supports_it_rather_than_competing() -> None:
    posts = ["Kota Bandung, Jawa Barat: air mati", "Jawa Barat siaga", "Jawa Barat lagi"]

    assert route_region(posts) == "Kota Bandung"


def test_a_regency_does_not_win_against_another_province_named_as_often() -> None:
    posts = ["kejadian di Kota Bandung", "kejadian di Jawa Timur", "Jawa Timur lagi"]

    assert route_region(posts) == "Jawa Timur"


def test_a_post_counts_once_per_place_however_often_it_repeats_it() -> None:
    posts = ["Bogor Bogor Bogor Bogor!!!", "Kota Depok banjir", "Kota Depok lagi"]

    assert route_region(posts) == "Kota Depok"


def test_provinces_named_equally_fall_back_to_the_source_region() -> None:
    posts = ["hoaks di Aceh", "hoaks di Bali"]

    assert route_region(posts, source_region="Bali") == "Bali"
    assert route_region(posts) is None


def test_posts_naming_no_place_route_to_the_source_region_by_official_name() -> None:
    posts = ["vaksin mengandung chip", "awas chip di vaksin"]

    assert route_region(posts, source_region="jabar") == "Jawa Barat"
    assert route_region(posts, source_region="Kota Bogor") == "Kota Bogor"


def test_an_unknown_source_region_is_kept_as_configured() -> None:
    assert route_region(["tanpa tempat"], source_region="  Kecamatan Cawang ") == (
        "Kecamatan Cawang"
    )


def test_posts_naming_no_place_without_a_source_region_stay_central() -> None:
    assert route_region(["vaksin mengandung chip"]) is None
    assert route_region(["vaksin mengandung chip"], source_region="   ") is None
    assert route_region([]) is None


def test_province_of_accepts_names_and_aliases() -> None:
    assert province_of("Kabupaten Bogor") == "Jawa Barat"
    assert province_of("Jakut") == "DKI Jakarta"
    assert province_of("Jawa Barat") == "Jawa Barat"
    assert province_of("Kota Batu") == "Jawa Timur"
    assert province_of("Atlantis") is None
    assert province_of("") is None


def test_all_regions_lists_every_place_once_grouped_by_province() -> None:
    regions = all_regions()

    assert len(regions) == len(set(regions)) == 38 + 416 + 98
    assert regions[0] == "Aceh"
    papua_selatan = regions.index("Papua Selatan")
    assert regions[papua_selatan + 1 : papua_selatan + 5] == [
        "Kabupaten Asmat",
        "Kabupaten Boven Digoel",
        "Kabupaten Mappi",
        "Kabupaten Merauke",
    ]
    for region in regions:
        assert province_of(region) is not None
