"""The Indonesian gazetteer: provinces, regencies and cities read from ``gazetteer.tsv``.

The file has a header row ``kind name province aliases`` and one tab-separated row per
place. ``kind`` is ``province``, ``regency`` or ``city``; ``name`` is the official name
("Jawa Barat", "Kabupaten Bogor", "Kota Administrasi Jakarta Utara"); ``province`` is the
official name of the place's province (a province row names itself); ``aliases`` is a
``|``-separated list of extra lowercase surface forms. How the file was written and which
forms are derived from it is in ``GAZETTEER.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

GAZETTEER_FILE = Path(__file__).with_name("gazetteer.tsv")
HEADER = ("kind", "name", "province", "aliases")
KINDS = ("province", "regency", "city")

# Official-name prefixes per kind, longest first; the rest of the name is the place's core.
NAME_PREFIXES = {
    "regency": ("Kabupaten Administrasi ", "Kabupaten "),
    "city": ("Kota Administrasi ", "Kota "),
}


class GazetteerError(ValueError):
    """The gazetteer data is malformed or ambiguous; the message says where."""


@dataclass(frozen=True, slots=True)
class Place:
    """A province, regency (kabupaten) or city (kota), by official names."""

    kind: str
    name: str
    province: str


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """A place and its extra aliases as written in the gazetteer file."""

    place: Place
    aliases: tuple[str, ...]

    @property
    def core(self) -> str:
        """The official name without its "Kabupaten"/"Kota" prefix ("Bogor")."""
        for prefix in NAME_PREFIXES.get(self.place.kind, ()):
            if self.place.name.startswith(prefix):
                return self.place.name[len(prefix) :]
        return self.place.name


def parse_gazetteer(text: str) -> tuple[GazetteerEntry, ...]:
    """Parse gazetteer TSV text into entries, in file order.

    Raises GazetteerError on a wrong header, a row without four columns, an unknown kind,
    a regency/city name without its "Kabupaten"/"Kota" prefix, a repeated name, an alias
    that is not lowercase or is repeated in its row, or a province that has no province row.
    """
    lines = text.splitlines()
    if not lines or tuple(lines[0].split("\t")) != HEADER:
        raise GazetteerError(f"line 1: header must be {' '.join(HEADER)!r}")
    entries: list[GazetteerEntry] = []
    seen_names: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        entry = _parse_row(line, number)
        folded = entry.place.name.casefold()
        if folded in seen_names:
            raise GazetteerError(f"line {number}: name {entry.place.name!r} repeated")
        seen_names.add(folded)
        entries.append(entry)
    provinces = {e.place.name for e in entries if e.place.kind == "province"}
    for entry in entries:
        if entry.place.province not in provinces:
            raise GazetteerError(
                f"{entry.place.name!r}: province {entry.place.province!r} has no province row"
            )
    return tuple(entries)


def _parse_row(line: str, number: int) -> GazetteerEntry:
    columns = line.split("\t")
    if len(columns) != len(HEADER):
        raise GazetteerError(f"line {number}: expected {len(HEADER)} tab-separated columns")
    kind, name, province, alias_text = (column.strip() for column in columns)
    if kind not in KINDS:
        raise GazetteerError(f"line {number}: kind {kind!r} is not one of {', '.join(KINDS)}")
    if not name or not province:
        raise GazetteerError(f"line {number}: name and province are required")
    if kind == "province" and province != name:
        raise GazetteerError(f"line {number}: a province row must name itself as province")
    if kind != "province" and not name.startswith(NAME_PREFIXES[kind]):
        raise GazetteerError(f"line {number}: a {kind} name must start with {NAME_PREFIXES[kind]}")
    aliases = tuple(alias.strip() for alias in alias_text.split("|") if alias.strip())
    for alias in aliases:
        if alias != alias.lower():
            raise GazetteerError(f"line {number}: alias {alias!r} must be lowercase")
    if len(set(aliases)) != len(aliases):
        raise GazetteerError(f"line {number}: an alias is repeated")
    return GazetteerEntry(Place(kind, name, province), aliases)


@lru_cache(maxsize=1)
def load_gazetteer() -> tuple[GazetteerEntry, ...]:
    """The shipped gazetteer (parsed once). Raises GazetteerError if the file is malformed."""
    return parse_gazetteer(GAZETTEER_FILE.read_text(encoding="utf-8"))
