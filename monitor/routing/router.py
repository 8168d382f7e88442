"""Route a case to a region from the places its posts name.

Public interface: :class:`Place`, :func:`find_places`, :func:`route_region`,
:func:`region_covers`, :func:`province_of` and :func:`all_regions`. Region names are the
official names of the gazetteer ("Jawa Barat", "Kabupaten Bogor", "Kota Administrasi
Jakarta Utara"); ``None`` means the case stays with the central desk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from monitor.routing.gazetteer import Place
from monitor.routing.matcher import default_index

__all__ = [
    "DOMINANCE",
    "Place",
    "all_regions",
    "find_places",
    "province_of",
    "region_covers",
    "route_region",
]

# A regency/city "clearly dominates" when it is named in at least this many times as many
# posts as its strongest rival (another regency/city, or another province).
DOMINANCE = 2


def find_places(text: str) -> list[Place]:
    """Return the places named in raw post text, in reading order, one item per mention.

    Matching is case- and accent-insensitive, on whole words, leftmost-longest ("Kota
    Bogor" is one mention of the city, not also of "Bogor"). Ordinary words that are also
    place names, decoy phrases and street names are handled as documented in
    ``monitor/routing/GAZETTEER.md``. Never raises.
    """
    return default_index().find(text)


def route_region(texts: Sequence[str], source_region: str | None = None) -> str | None:
    """Return the region a case with these post texts is routed to, or None (central).

    Each post counts at most once per place, and a regency/city counts for its province
    too. In order:

    1. the most-named regency/city, if it is named in at least ``DOMINANCE`` times as many
       posts as the next regency/city and as any other province;
    2. else the province named in strictly the most posts;
    3. else ``source_region``, as its official name when the gazetteer knows it (or
       stripped as given when it does not);
    4. else None.

    Never raises.
    """
    index = default_index()
    regency_counts: Counter[Place] = Counter()
    province_counts: Counter[str] = Counter()
    for text in texts:
        places = set(index.find(text))
        regency_counts.update(place for place in places if place.kind != "province")
        province_counts.update({place.province for place in places})
    regency = _dominant_regency(regency_counts, province_counts)
    if regency is not None:
        return regency.name
    province = _leading_province(province_counts)
    if province is not None:
        return province
    return _canonical(source_region)


def _dominant_regency(
    regency_counts: Counter[Place], province_counts: Counter[str]
) -> Place | None:
    if not regency_counts:
        return None
    ranked = sorted(regency_counts.items(), key=lambda item: (-item[1], item[0].name))
    top, count = ranked[0]
    rivals = [other for _, other in ranked[1:2]]
    rivals += [n for province, n in province_counts.items() if province != top.province]
    return top if count >= DOMINANCE * max(rivals, default=0) else None


def _leading_province(province_counts: Counter[str]) -> str | None:
    ranked = province_counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _canonical(region: str | None) -> str | None:
    if region is None or not region.strip():
        return None
    place = default_index().lookup(region)
    return place.name if place else region.strip()


def region_covers(officer_region: str, case_region: str | None) -> bool:
    """Whether an officer assigned ``officer_region`` handles a case routed to ``case_region``.

    A province officer covers the province and every regency/city in it; a regency/city
    officer covers only that regency/city. Both arguments may be official names or any
    gazetteer alias ("Jabar"; a bare shared name such as "Bogor" means the regency). A
    name the gazetteer does not know covers only the same name (case and spacing ignored).
    A central case (None) is covered by no regional officer. Never raises.
    """
    if case_region is None or not officer_region.strip():
        return False
    index = default_index()
    officer = index.lookup(officer_region)
    case = index.lookup(case_region)
    if officer is None or case is None:
        return _fold(officer_region) == _fold(case_region)
    if officer.kind == "province":
        return case.province == officer.name
    return case == officer


def _fold(region: str) -> str:
    return " ".join(region.casefold().split())


def province_of(region: str) -> str | None:
    """Return the official province name of a region (a province returns itself).

    ``region`` may be an official name or any alias; returns None when the gazetteer
    does not know it. Never raises.
    """
    place = default_index().lookup(region)
    return place.province if place else None


def all_regions() -> list[str]:
    """Every region an officer can be assigned, for drop-downs.

    Each province is followed by its regencies (alphabetical) and then its cities
    (alphabetical); provinces come in the gazetteer's order (roughly west to east).
    """
    entries = default_index().entries
    regions: list[str] = []
    for province in (e.place for e in entries if e.place.kind == "province"):
        regions.append(province.name)
        for kind in ("regency", "city"):
            regions += sorted(
                e.place.name
                for e in entries
                if e.place.kind == kind and e.place.province == province.name
            )
    return regions
