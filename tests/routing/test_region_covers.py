"""region_covers: which regional officer sees which case."""

from __future__ import annotations

from monitor.routing import region_covers


def test_a_province_officer_covers_the_province_and_everything_in_it() -> None:
    assert region_covers("Jawa Barat", "Jawa Barat")
    assert region_covers("Jawa Barat", "Kabupaten Bogor")
    assert region_covers("Jawa Barat", "Kota Depok")


def test_a_province_officer_does_not_cover_another_province() -> None:
    assert not region_covers("Jawa Barat", "Jawa Timur")
    assert not region_covers("Jawa Barat", "Kota Surabaya")


def test_a_regency_officer_covers_only_their_own_regency() -> None:
    assert region_covers("Kabupaten Bogor", "Kabupaten Bogor")
    assert not region_covers("Kabupaten Bogor", "Kota Bogor")
    assert not region_covers("Kabupaten Bogor", "Jawa Barat")
    assert not region_covers("Kota Depok", "Kabupaten Bogor")


def test_aliases_are_accepted_on_both_sides() -> None:
    assert region_covers("Jabar", "Kota Depok")
    assert region_covers("DKI Jakarta", "jakut")


def test_a_central_case_is_covered_by_no_regional_officer() -> None:
    assert not region_covers("Jawa Barat", None)
    assert not region_covers("", "Jawa Barat")


def test_unknown_regions_cover_only_the_same_name() -> None:
    assert region_covers("Kecamatan Cawang", "kecamatan  cawang")
    assert not region_covers("Kecamatan Cawang", "Kecamatan Cililitan")
    assert not region_covers("Kecamatan Cawang", "DKI Jakarta")
