"""Split raw post text into runs of normalized word tokens for place matching.

A place name may only be matched inside one *segment*: a run of words separated by
whitespace, hyphens or underscores. Any other punctuation (comma, full stop, slash, emoji,
a line break...) ends the segment, so "Jawa. Barat" never reads as "Jawa Barat". The one
exception is a full stop after a known abbreviation ("Kab.", "Kep.", "D.I."), which joins.

Tokens are ASCII letters or digits only; letters and digits are split apart ("Jakarta2024"
gives "jakarta", "2024"). Accents are stripped (NFKD) and case is folded, but each token
remembers whether it was written with a capital first letter. Inflected forms are *not*
stemmed: "Medannya" stays one token and matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


class Token(NamedTuple):
    """One word of a segment: ``norm`` is lowercase ASCII, ``capitalized`` the original case."""

    norm: str
    capitalized: bool


# Abbreviations whose trailing full stop does not end a segment ("Kab. Bogor", "D.I. Yogyakarta").
ABBREVIATIONS = frozenset({"kab", "kep", "kepl", "prov", "prop", "adm", "kec", "kel", "d", "i"})

# Spelling variants folded to one form on both sides (gazetteer keys and post text), so every
# alias need not be written once per variant: "Kab. Bogor" = "Kabupaten Bogor", "Pemkot
# Bogor" = "Kota Bogor", "Sumatra" = "Sumatera".
TOKEN_SYNONYMS = {
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "kabupatan": "kabupaten",
    "kotamadya": "kota",
    "kodya": "kota",
    "pemkot": "kota",
    "prov": "provinsi",
    "prop": "provinsi",
    "propinsi": "provinsi",
    "pemprov": "provinsi",
    "kep": "kepulauan",
    "kepl": "kepulauan",
    "adm": "administrasi",
    "sumatra": "sumatera",
    "jogjakarta": "yogyakarta",
}

# The full stop is checked after synonym folding, so both spellings of an abbreviation count.
_ABBREVIATED_NORMS = ABBREVIATIONS | {TOKEN_SYNONYMS.get(a, a) for a in ABBREVIATIONS}

# Characters that join two words of one name ("Tojo Una-Una", "#banjir_jakarta").
_JOINERS = frozenset("-_\u2010\u2011")
_TOKEN_RE = re.compile(r"[A-Za-z]+|[0-9]+|[^\sA-Za-z0-9]|\n")
# "BanjirJakarta" and "DKIJakarta" (hashtags) become two words; "iPhone" harmlessly too.
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def fold_accents(text: str) -> str:
    """Return ``text`` with accents removed (NFKD, combining marks dropped); case is kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def segments(text: str) -> list[list[Token]]:
    """Return the non-empty segments of ``text``, in order. Never raises on any string."""
    prepared = _CAMEL_RE.sub(" ", fold_accents(text))
    result: list[list[Token]] = []
    current: list[Token] = []
    for match in _TOKEN_RE.finditer(prepared):
        piece = match.group()
        if piece[0].isalnum() and piece.isascii():
            lowered = piece.lower()
            current.append(Token(TOKEN_SYNONYMS.get(lowered, lowered), piece[0].isupper()))
        elif _joins(piece, current):
            continue
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def _joins(piece: str, current: list[Token]) -> bool:
    """Whether a punctuation character continues the segment instead of ending it."""
    if piece in _JOINERS:
        return True
    return piece == "." and bool(current) and current[-1].norm in _ABBREVIATED_NORMS


def key_of(phrase: str) -> tuple[str, ...] | None:
    """Return the token tuple of a one-segment phrase, or None if it spans several or none.

    Used to turn gazetteer names and aliases into lookup keys exactly as post text is read.
    """
    parts = segments(phrase)
    if len(parts) != 1:
        return None
    return tuple(token.norm for token in parts[0])
