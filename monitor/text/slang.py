"""Slang and alay spellings to standard Indonesian, from ``lexicons/slang.tsv``.

The lexicon (``slang<TAB>standard``, one mapping per entry) is written for this project. A
value may hold several words (``otw`` -> ``on the way``...); it is returned split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from monitor.text.lexicons import SLANG_FILE, read_pairs


class SlangLexicon:
    """Immutable slang -> standard mapping (keys and values lowercase)."""

    __slots__ = ("_map",)

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        mapping: dict[str, tuple[str, ...]] = {}
        for key, value in pairs:
            words = tuple(value.lower().split())
            if words and key.lower() not in mapping:
                mapping[key.lower()] = words
        self._map: Mapping[str, tuple[str, ...]] = mapping

    @classmethod
    def from_file(cls, path: Path = SLANG_FILE) -> SlangLexicon:
        """Load a ``slang<TAB>standard`` file; a missing file gives an empty lexicon."""
        return cls(read_pairs(path))

    def lookup(self, word: str) -> tuple[str, ...] | None:
        """Return the standard words for ``word``, or ``None`` when it is not slang."""
        return self._map.get(word)

    def map_word(self, word: str) -> tuple[str, ...]:
        """Return the standard words for ``word``; a word that is not slang maps to itself."""
        return self._map.get(word) or (word,)

    def __contains__(self, word: object) -> bool:
        return word in self._map

    def __len__(self) -> int:
        return len(self._map)

    def keys(self) -> frozenset[str]:
        """All slang spellings."""
        return frozenset(self._map)

    def targets(self) -> frozenset[str]:
        """Every standard word that appears in a value."""
        return frozenset(w for words in self._map.values() for w in words)


@lru_cache(maxsize=1)
def default_slang() -> SlangLexicon:
    """The shipped lexicon, loaded once."""
    return SlangLexicon.from_file()
