"""Surface features of a post that the model can use besides its words.

The post-level assembly lives in :mod:`monitor.text.pipeline`; this module holds the pieces
that are not counts of tokens: the share of capitals and the calls to spread the message
(``sebarkan``, ``viralkan``, ``share sebelum dihapus``...).
"""

from __future__ import annotations

import re

# Imperatives asking the reader to pass the message on (standard forms, after slang mapping).
SPREAD_WORDS = frozenset(
    [
        "sebarkan",
        "sebarluaskan",
        "viralkan",
        "bagikan",
        "teruskan",
        "share",
        "sharing",
        "sharekan",
        "forward",
        "forwardkan",
        "broadcast",
        "repost",
        "sebar",
        "sebarin",
        "viralin",
        "bagiin",
    ]
)
BEFORE_WORDS = frozenset({"sebelum", "before"})
# "(sebelum) dihapus / dihilangkan / diblokir / deleted / ditakedown"
DELETED_WORDS = frozenset(
    [
        "dihapus",
        "dihapuskan",
        "dihilangkan",
        "diblokir",
        "dibanned",
        "didelete",
        "ditakedown",
        "terhapus",
        "hilang",
        "deleted",
        "removed",
        "banned",
    ]
)
DELETE_ROOTS = frozenset({"hapus", "hilangkan", "delete", "takedown", "blokir", "banned"})

# One code letter per word: S spread word, B "before", D "deleted", d "di", h delete root.
_CALL_RE = re.compile(r"S(?:[^S]{0,3}?B(?:D|dh))?|B(?:D|dh)")

_ASCII_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_ASCII_LOWER = bytes(range(ord("a"), ord("z") + 1))


def spread_code(word: str) -> str:
    """Return the one-letter spread-call code of a standard word ("." for none)."""
    if word in SPREAD_WORDS:
        return "S"
    if word in BEFORE_WORDS:
        return "B"
    if word in DELETED_WORDS:
        return "D"
    if word == "di":
        return "d"
    if word in DELETE_ROOTS:
        return "h"
    return "."


def spread_codes() -> dict[str, str]:
    """Word -> spread-call code letter, for every word that has one (others are ".")."""
    codes = {word: spread_code(word) for word in SPREAD_WORDS | BEFORE_WORDS | DELETED_WORDS}
    codes.update({word: spread_code(word) for word in DELETE_ROOTS | {"di"}})
    return codes


def count_spread_calls(codes: list[str]) -> int:
    """Count calls to spread in the concatenated codes of a post's words, in order.

    A spread word counts once, together with a "before it is deleted" phrase right after
    it (``share sebelum dihapus`` is one call); the phrase alone is a call too.
    """
    return len(_CALL_RE.findall("".join(codes)))


def capital_ratio(text: str) -> float:
    """Share of capital letters among the (ASCII, after accent folding) letters of ``text``."""
    data = text.encode("ascii", "ignore")
    without_upper = len(data.translate(None, _ASCII_UPPER))
    upper = len(data) - without_upper
    lower = without_upper - len(data.translate(None, _ASCII_UPPER + _ASCII_LOWER))
    letters = upper + lower
    return upper / letters if letters else 0.0
