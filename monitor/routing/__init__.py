"""Route cases to regional officers from the places their posts name.

Public interface (see :mod:`monitor.routing.router`): :class:`Place`, :func:`find_places`,
:func:`route_region`, :func:`region_covers`, :func:`province_of`, :func:`all_regions`.
The gazetteer and its matching rules are described in ``GAZETTEER.md`` next to this file.
"""

from monitor.routing.router import (
    Place,
    all_regions,
    find_places,
    province_of,
    region_covers,
    route_region,
)

__all__ = [
    "Place",
    "all_regions",
    "find_places",
    "province_of",
    "region_covers",
    "route_region",
]
