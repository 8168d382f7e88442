"""Region rules, from ``monitor.routing`` when it is installed, else exact matching.

The routing package (the gazetteer) knows that a province officer covers every regency
and city in the province. Without it, an officer covers exactly the region they were given.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, cast


@lru_cache(maxsize=8)
def _routing_function(name: str) -> Callable[..., Any] | None:
    for module in ("monitor.routing", "monitor.routing.router"):
        try:
            function = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(function):
            return cast(Callable[..., Any], function)
    return None


def region_covers(officer_region: str | None, case_region: str | None) -> bool:
    """True when an officer assigned ``officer_region`` is responsible for ``case_region``.

    Cases without a region belong to the central office and are covered by no officer.
    """
    if not officer_region or not case_region:
        return False
    return _covers(officer_region, case_region)


@lru_cache(maxsize=65536)
def _covers(officer_region: str, case_region: str) -> bool:
    function = _routing_function("region_covers")
    if function is None:
        return officer_region.casefold() == case_region.casefold()
    return bool(function(officer_region, case_region))


@lru_cache(maxsize=1)
def all_regions() -> tuple[str, ...]:
    """Every region a case can be routed to (provinces, regencies, cities), for drop-downs."""
    function = _routing_function("all_regions")
    return tuple(function()) if function is not None else ()


@lru_cache(maxsize=1)
def _gazetteer() -> frozenset[str]:
    return frozenset(all_regions())


@lru_cache(maxsize=1024)
def _covered_in_gazetteer(officer_region: str) -> frozenset[str]:
    return frozenset(r for r in all_regions() if region_covers(officer_region, r))


def covered_regions(officer_region: str, known: Iterable[str] = ()) -> list[str]:
    """The region names an officer covers, among the gazetteer's and ``known`` ones.

    Used to filter cases in SQL; always contains ``officer_region`` itself. The gazetteer
    part is computed once per officer region.
    """
    covered = _covered_in_gazetteer(officer_region)
    gazetteer = _gazetteer()
    extra = {r for r in known if r not in gazetteer and region_covers(officer_region, r)}
    return sorted(covered | extra | {officer_region})


def clear_caches() -> None:
    """Forget what was looked up in the routing package (for tests that replace it)."""
    for cached in (_routing_function, _covers, all_regions, _gazetteer, _covered_in_gazetteer):
        clear = getattr(cached, "cache_clear", None)
        if clear is not None:
            clear()
