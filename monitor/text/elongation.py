"""Elongated spellings collapsed (``bangeeett`` -> ``banget``) and laughter to one token.

A word is elongated when a letter repeats three times or more. Each repeated run may stand
for one or two letters (``maaaaf`` is ``maaf``, ``bangeeet`` is ``banget``, and a doubled
letter next to an elongation may be part of it: ``bangeeett``); the candidates are tried
from the most collapsed and the first known word wins. Without a known candidate, runs of
three or more become one letter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

LAUGH_TOKEN = "laugh:haha"  # noqa: S105 - a token, not a secret

_ELONGATED_RE = re.compile(r"([^\W\d_])\1\1")
# Most variable runs tried; beyond that only the default collapse is used.
MAX_VARIABLE_RUNS = 6

_LAUGH_RE = re.compile(
    r"(?:a?w+[aeo]?k+){2,}w*"  # wkwk, wkwkwk, awokawok, wakwak
    r"|(?:k+w+){2,}k*"  # kwkwkw
    r"|[bmw]{0,2}a?(?:h+[aeiou]+){2,}h*"  # haha, hehe, hihi, ahahah, bwahaha
    r"|(?:x+i+){2,}x*"  # xixixi
    r"|lol+|lmf?ao+|rofl|ngakak+"
)


def is_laughter(word: str) -> bool:
    """Whether a lowercase word is written laughter (``wkwkwk``, ``hahaha``, ``xixi``...)."""
    return len(word) >= 3 and _LAUGH_RE.fullmatch(word) is not None


def is_elongated(word: str) -> bool:
    """Whether some letter of ``word`` repeats three or more times in a row."""
    return _ELONGATED_RE.search(word) is not None


def _runs(word: str) -> list[tuple[str, int]]:
    return [(char, len(list(group))) for char, group in itertools.groupby(word)]


def collapse_elongation(word: str, is_known: Callable[[str], bool] = lambda _w: False) -> str:
    """Return ``word`` with elongations collapsed; a word that is not elongated is returned as is.

    ``is_known`` tells which candidates are real words.
    """
    if not is_elongated(word):
        return word
    runs = _runs(word)
    variable = [i for i, (char, n) in enumerate(runs) if n >= 2 and char.isalpha()]
    default = "".join(char * (1 if n >= 3 and char.isalpha() else n) for char, n in runs)
    if len(variable) > MAX_VARIABLE_RUNS:
        return default
    # Choices per variable run: elongated runs prefer 1 then 2; doubled runs prefer 2 then 1.
    options = [((1, 2) if runs[i][1] >= 3 else (2, 1)) for i in variable]
    candidates = []
    for combo in itertools.product(*options):
        lengths = dict(zip(variable, combo, strict=True))
        candidate = "".join(char * lengths.get(i, n) for i, (char, n) in enumerate(runs))
        # Prefer fewer deviations from the default (elongations -> 1, doubles kept).
        deviations = sum(
            1 for i, length in lengths.items() if length != (1 if runs[i][1] >= 3 else 2)
        )
        candidates.append((deviations, candidate))
    candidates.sort(key=lambda item: item[0])
    for _deviations, candidate in candidates:
        if is_known(candidate):
            return candidate
    return default
