"""Digits in words: real numbers stay, digits used as letters become letters, ``2`` repeats.

* ``2019``, ``50.000``, ``Rp50.000``, ``10%``, ``5G``, ``50rb`` are numbers and are kept;
* ``t3rbukt1`` -> ``terbukti``, ``k4mu`` -> ``kamu``: digits standing for letters (leet / alay
  spelling) are replaced, but only when the result is a known word, so codes such as
  ``h5n1``, ``g20`` or ``covid19`` are left alone;
* ``anak2`` -> ``anak-anak``, ``kata2nya`` -> ``kata-katanya``: the Indonesian ``2`` for
  reduplication.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

# Letters a digit can stand for, most likely first.
LEET: dict[str, tuple[str, ...]] = {
    "0": ("o",),
    "1": ("i", "l"),
    "3": ("e",),
    "4": ("a",),
    "5": ("s",),
    "6": ("g", "b"),
    "7": ("t",),
    "8": ("b",),
    "9": ("g",),
}
MAX_LEET_CANDIDATES = 16

# Units and multipliers written right after a number.
UNITS = frozenset(
    [
        "k",
        "rb",
        "ribu",
        "jt",
        "juta",
        "m",
        "miliar",
        "t",
        "triliun",
        "an",
        "x",
        "th",
        "thn",
        "tahun",
        "g",
        "gb",
        "mb",
        "kb",
        "tb",
        "kg",
        "gr",
        "mg",
        "km",
        "cm",
        "mm",
        "ml",
        "l",
        "lt",
        "jam",
        "hari",
        "bulan",
        "menit",
        "detik",
        "s",
        "st",
        "nd",
        "rd",
        "pm",
        "am",
        "wib",
        "wita",
        "wit",
        "d",
        "p",
        "hp",
        "mp",
    ]
)

_NUMBER_RE = re.compile(r"(?:rp\.?)?\d+(?:[.,:/-]\d+)*(?:%|[a-z]+)?")
_UNIT_SPLIT_RE = re.compile(r"((?:rp\.?)?\d+(?:[.,:/-]\d+)*)([a-z]+)")
# A base, the reduplication mark, then an optional suffix.
_REDUP_RE = re.compile(r"([^\W\d_][^\W_]*?)2(nya|an|kan|i|lah|ku|mu|pun)?")


def is_number(token: str) -> bool:
    """Whether a lowercase token is a number, an amount or a number with a unit.

    ``2019``, ``50.000``, ``rp50.000``, ``10%``, ``5g``, ``50rb``, ``12/03/2020`` are numbers;
    ``covid19``, ``t3rbukt1`` and ``24jamnya`` are not.
    """
    match = _NUMBER_RE.fullmatch(token)
    if match is None:
        return False
    unit = _UNIT_SPLIT_RE.fullmatch(token)
    return unit is None or unit.group(2) in UNITS


def split_number_word(token: str) -> tuple[str, str] | None:
    """Split ``2hari``-like tokens (number glued to a word that is no unit) into two parts.

    Returns ``None`` when the token is not a number followed by letters.
    """
    match = _UNIT_SPLIT_RE.fullmatch(token)
    if match is None or match.group(2) in UNITS:
        return None
    return match.group(1), match.group(2)


def expand_reduplication(word: str) -> str | None:
    """``anak2`` -> ``anak-anak``, ``kata2nya`` -> ``kata-katanya``; ``None`` if not that form.

    The base must have at least three characters, start with a letter and contain no other
    ``2`` (``ke2`` is too short to be sure).
    """
    match = _REDUP_RE.fullmatch(word)
    if match is None:
        return None
    base, suffix = match.group(1), match.group(2) or ""
    if len(base) < 3 or "2" in base:
        return None
    return f"{base}-{base}{suffix}"


def deleet(word: str, is_known: Callable[[str], bool]) -> str | None:
    """Return ``word`` with digits read as letters if that gives a known word, else ``None``.

    Only words mixing letters and the digits of ``LEET`` are tried; ``is_known`` decides.
    """
    if word.isdigit() or not any(c.isdigit() for c in word):
        return None
    if not any(c.isalpha() for c in word):
        return None
    options: list[tuple[str, ...]] = []
    for char in word:
        if char.isdigit():
            letters = LEET.get(char)
            if letters is None:
                return None
            options.append(letters)
        else:
            options.append((char,))
    for count, letters_combo in enumerate(itertools.product(*options)):
        if count >= MAX_LEET_CANDIDATES:
            break
        candidate = "".join(letters_combo)
        if is_known(candidate):
            return candidate
    return None
