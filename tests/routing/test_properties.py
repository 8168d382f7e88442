"""Property tests: routing never raises on arbitrary text and always finds a delimited name."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.routing import Place, all_regions, find_places, region_covers, route_region

_REGIONS = set(all_regions())


@given(st.text())
def test_find_places_never_raises_and_returns_gazetteer_places(text: str) -> None:
    places = find_places(text)

    assert all(isinstance(p, Place) and p.name in _REGIONS for p in places)


@given(st.lists(st.text(), max_size=5), st.one_of(st.none(), st.text()))
def test_route_region_never_raises(texts: list[str], source_region: str | None) -> None:
    region = route_region(texts, source_region)

    assert region is None or region.strip()


@given(st.text(), st.one_of(st.none(), st.text()))
def test_region_covers_never_raises(officer: str, case: str | None) -> None:
    assert isinstance(region_covers(officer, case), bool)


@given(st.text(), st.text())
def test_a_name_set_off_by_commas_is_always_found(before: str, after: str) -> None:
    places = find_places(before + ", Kota Medan, " + after)

    assert Place("city", "Kota Medan", "Sumatera Utara") in places
