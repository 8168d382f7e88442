"""Find gazetteer places in raw text: one dictionary lookup per candidate word sequence.

Every surface form of every place becomes a key (a tuple of normalized tokens, see
:mod:`monitor.routing.tokens`). Matching is leftmost-longest inside each segment: at each
word that can start a key, the longest key starting there wins ("Kota Bogor" over "Bogor",
"Papua Barat Daya" over "Papua Barat"), its words are consumed, and scanning resumes after
it. Cost is linear in the text: a 20,000-character post is a few thousand dict lookups.

Surface forms derived for each gazetteer entry (all case- and accent-insensitive):

* province: its name and aliases, each also after "Provinsi"/"Prov."/"Pemprov";
* regency: its official name, "Kabupaten"/"Kab." + its core name, each alias, and
  "Kabupaten"/"Kab." + each alias;
* city: its official name, "Kota" + its core name, each alias, and "Kota" + each alias;
* every multi-word alias also written as one word ("gunungkidul", "#jawabarat").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from monitor.routing.ambiguity import (
    CONTEXT_REQUIRED,
    DECOY_PHRASES,
    LOCATIVE_WORDS,
    STREET_WORDS,
)
from monitor.routing.gazetteer import GazetteerEntry, GazetteerError, Place, load_gazetteer
from monitor.routing.tokens import Token, key_of, segments

_PREFIX_WORD = {"province": "provinsi", "regency": "kabupaten", "city": "kota"}


@dataclass(frozen=True, slots=True)
class _Target:
    place: Place | None  # None: a decoy phrase, consumed without a place
    needs_context: bool
    phrase: str  # the form that created the key, for error messages


class PlaceIndex:
    """Every surface form of the given places, ready for :meth:`find` and :meth:`lookup`."""

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        *,
        context_required: Iterable[str] = CONTEXT_REQUIRED,
        decoys: Iterable[str] = DECOY_PHRASES,
    ) -> None:
        """Build the index.

        Raises GazetteerError when one surface form would name two different places, when a
        decoy phrase is also a place's surface form, or when a form is not a single segment
        (contains punctuation other than "-", "_" or an abbreviation's full stop).
        """
        self._keys: dict[tuple[str, ...], _Target] = {}
        self._context_keys = {_key(phrase) for phrase in context_required}
        self._entries = tuple(entries)
        for entry in self._entries:
            for phrase, key in _surface_forms(entry):
                self._add(key, _Target(entry.place, key in self._context_keys, phrase))
        for phrase in decoys:
            self._add(_key(phrase), _Target(None, False, phrase))
        self._starts = frozenset(key[0] for key in self._keys)
        self._max_len = max((len(key) for key in self._keys), default=0)

    @property
    def entries(self) -> tuple[GazetteerEntry, ...]:
        """The gazetteer entries this index was built from, in their original order."""
        return self._entries

    def _add(self, key: tuple[str, ...], target: _Target) -> None:
        existing = self._keys.get(key)
        if existing is not None and existing.place != target.place:
            first = existing.place.name if existing.place else "a decoy phrase"
            second = target.place.name if target.place else "a decoy phrase"
            raise GazetteerError(
                f"{target.phrase!r} would name both {first} (as {existing.phrase!r}) and {second}"
            )
        if existing is None:
            self._keys[key] = target

    def find(self, text: str) -> list[Place]:
        """Return the places named in ``text`` in reading order, one item per mention.

        Never raises. See the module docstring for the matching rules and ``GAZETTEER.md``
        for ambiguous words, decoy phrases and street names.
        """
        found: list[Place] = []
        for segment in segments(text):
            self._scan(segment, found)
        return found

    def _scan(self, segment: Sequence[Token], found: list[Place]) -> None:
        norms = [token.norm for token in segment]
        position = 0
        while position < len(norms):
            if norms[position] not in self._starts:
                position += 1
                continue
            consumed = 1
            longest = min(self._max_len, len(norms) - position)
            for length in range(longest, 0, -1):
                target = self._keys.get(tuple(norms[position : position + length]))
                if target is None:
                    continue
                if target.needs_context and not _has_context(segment, position):
                    continue
                consumed = length
                if target.place is not None and not _after_street_word(norms, position):
                    found.append(target.place)
                break
            position += consumed

    def lookup(self, phrase: str) -> Place | None:
        """Return the place that the whole of ``phrase`` names, or None.

        Meant for configured values (an officer's or a source's region), so words that need
        context in running text ("Kota Batu" = "batu") are accepted here. Never raises.
        """
        key = key_of(phrase)
        target = self._keys.get(key) if key else None
        return target.place if target else None


def _key(phrase: str) -> tuple[str, ...]:
    key = key_of(phrase)
    if not key:
        raise GazetteerError(f"{phrase!r} is not a single run of words")
    return key


def _surface_forms(entry: GazetteerEntry) -> list[tuple[str, tuple[str, ...]]]:
    """The (phrase, key) pairs that name ``entry``; see the module docstring."""
    prefix = _PREFIX_WORD[entry.place.kind]
    names = [entry.place.name] if entry.place.kind == "province" else []
    bare = [*names, *entry.aliases]
    phrases = [entry.place.name, f"{prefix} {entry.core}", *entry.aliases]
    phrases += [f"{prefix} {alias}" for alias in bare if _key(alias)[0] != prefix]
    forms = [(phrase, _key(phrase)) for phrase in phrases]
    for alias in bare:
        key = _key(alias)
        if len(key) > 1:
            forms.append((alias, ("".join(key),)))
    return forms


def _has_context(segment: Sequence[Token], position: int) -> bool:
    """A context-requiring word counts after a locative word and when capitalized."""
    return (
        position > 0
        and segment[position - 1].norm in LOCATIVE_WORDS
        and segment[position].capitalized
    )


def _after_street_word(norms: Sequence[str], position: int) -> bool:
    """True for "Jalan Bandung", "Jl. Medan Merdeka", "Jalan Raya Bogor"."""
    if position > 0 and norms[position - 1] in STREET_WORDS:
        return True
    return position > 1 and norms[position - 1] == "raya" and norms[position - 2] in STREET_WORDS


@lru_cache(maxsize=1)
def default_index() -> PlaceIndex:
    """The index of the shipped gazetteer, built once per process."""
    return PlaceIndex(load_gazetteer())
