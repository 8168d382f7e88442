"""Character-level cleaning: Unicode NFKC, invisible characters, accent folding.

These run on the whole post before it is split into tokens; each is one linear pass in C
(``unicodedata.normalize`` / ``str.translate``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Invisible characters that only split or glue words: zero-width space/joiners, word joiner,
# BOM, soft hyphen, Mongolian vowel separator, bidi marks and embeddings/isolates.
ZERO_WIDTH_CHARS = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064"
    "\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Variation selectors only choose a glyph style (emoji vs text); they carry no meaning here.
_VARIATION_SELECTORS = "".join(chr(c) for c in range(0xFE00, 0xFE10))

_INVISIBLE = frozenset(ZERO_WIDTH_CHARS + _VARIATION_SELECTORS)
_INVISIBLE_RE = re.compile(f"[{re.escape(ZERO_WIDTH_CHARS + _VARIATION_SELECTORS)}]")


def _build_fold_table() -> dict[int, str]:
    """Map every precomposed Latin letter (U+00C0..U+024F, U+1E00..U+1EFF) to its base letters.

    Combining marks (U+0300..U+036F) map to nothing, so stray ones left after NFKC vanish.
    """
    table: dict[int, str] = {}
    for code in [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base
    table.update({0x00DF: "ss", 0x00C6: "AE", 0x00E6: "ae", 0x0152: "OE", 0x0153: "oe"})
    table.update({0x00D8: "O", 0x00F8: "o", 0x0110: "D", 0x0111: "d", 0x0141: "L", 0x0142: "l"})
    table.update(dict.fromkeys(range(0x0300, 0x0370), ""))
    # Typographic apostrophes and quotes become ASCII so "jum’at" and "jum'at" agree.
    table.update({0x2018: "'", 0x2019: "'", 0x201B: "'", 0x2032: "'", 0x02BC: "'"})
    return table


_FOLD_TABLE = _build_fold_table()
_FOLDABLE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FOLD_TABLE)) + "]")


def strip_invisible(text: str) -> str:
    """Remove zero-width, bidi and variation-selector characters.

    Control characters and unusual spaces need no work here: they are whitespace or
    punctuation for the tokenizer.
    """
    if text.isascii() or _INVISIBLE_RE.search(text) is None:
        return text
    return _INVISIBLE_RE.sub("", text)


def nfkc(text: str) -> str:
    """Return the NFKC form of ``text`` (full-width letters, ligatures, fancy digits...).

    Lone surrogates (which NFKC accepts but no encoder does) are replaced by U+FFFD.
    """
    if text.isascii():
        return text
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _has_surrogates(text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def fold_accents(text: str) -> str:
    """Replace accented Latin letters by their base letters (``café`` -> ``cafe``).

    Letters of other scripts are left alone: dropping their combining marks would change
    the word, not just its accents.
    """
    if text.isascii() or _FOLDABLE_RE.search(text) is None:
        return text
    return text.translate(_FOLD_TABLE)


def clean_text(text: str) -> str:
    """Full character cleaning of a raw post: NFKC, invisible characters, accents.

    Case is kept (capitals are a feature and split camel-case hashtags). The result is a
    fixed point: ``clean_text(clean_text(x)) == clean_text(x)``.
    """
    if text.isascii():  # each step leaves ASCII text as it is
        return text
    cleaned = fold_accents(strip_invisible(nfkc(text)))
    # Folding can expose a new NFKC form only in contrived inputs; one more pass makes the
    # function idempotent in every case. Each step returns its input object when it changes
    # nothing, so an unchanged text needs no second pass (it would give the same result).
    if cleaned is not text and not cleaned.isascii():
        again = fold_accents(strip_invisible(nfkc(cleaned)))
        if again != cleaned:
            return _fixpoint(again)
    return cleaned


def _fixpoint(text: str) -> str:
    for _ in range(4):
        nxt = fold_accents(strip_invisible(nfkc(text)))
        if nxt == text:
            return text
        text = nxt
    return text


# --- the compiled path's cleaning shortcut (_cnorm.c, stage 4a) -----------------------------
# Blocks searched for characters that clean_text leaves alone or only deletes: Latin-1
# punctuation and symbols, general punctuation (with the invisible characters), symbols and
# arrows, CJK symbols, variation selectors, the BOM, emoji and pictographs, tag characters.
# Letters of other scripts are left out on purpose: clean_text's callback handles them.
_SHORTCUT_BLOCKS = (
    (0x0080, 0x00FF),
    (0x180E, 0x180E),
    (0x2000, 0x2BFF),
    (0x3000, 0x303F),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0x1F000, 0x1FBFF),
    (0xE0000, 0xE007F),
)
# Conjoining Hangul jamo: vowels and trailing consonants compose with a preceding syllable
# although they are letters (NFKC_Quick_Check=Maybe without being marks).
_HANGUL_JAMO = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))
_HANGUL_JAMO_CODES = frozenset(c for first, last in _HANGUL_JAMO for c in range(first, last + 1))
# Variation selectors are marks (Mn) but no canonical composition has one as its second
# character (tests/text/test_cnorm_nonascii.py checks it against every decomposition).
_NON_COMPOSING_MARKS = range(0xFE00, 0xFE10)
CLEAN_KEEP = 0
CLEAN_DROP = 1


@lru_cache(maxsize=1)
def shortcut_ranges() -> tuple[tuple[int, int, int], ...]:
    """Characters for which ``clean_text`` is trivial, as sorted ``(first, last, action)`` runs.

    ``CLEAN_KEEP``: every step of clean_text leaves the character as it is; ``CLEAN_DROP``:
    strip_invisible deletes it and the other steps leave it. For a text whose non-ASCII
    characters all lie in these runs, ``clean_text(text)`` is ``text`` without its DROP
    characters, whatever their context:

    NFKC of a string is not the concatenation of per-character NFKC: a character may be
    reordered (canonical combining class > 0) or composed with the one before it
    (NFKC_Quick_Check=Maybe: combining marks and conjoining jamo). Each character taken here
    is NFKC-invariant alone (NFKC_Quick_Check is not No), has combining class 0 and is no
    mark (except the variation selectors, which compose with nothing) and no conjoining
    jamo, so NFKC_Quick_Check is Yes; ASCII characters have the same properties. By the
    quick-check algorithm of UAX #15 a string of such characters is in NFKC, so ``nfkc``
    returns it unchanged, and it stays so with the DROP characters deleted (the remaining
    characters have the same properties). strip_invisible deletes exactly the DROP
    characters, fold_accents changes none of the rest (checked per character: its table is a
    per-character map), and the second pass finds a fixed point, so the result is the text
    minus its DROP characters. Surrogates are in none of the blocks.
    """
    actions: dict[int, int] = {}
    for first, last in _SHORTCUT_BLOCKS:
        for code in range(first, last + 1):
            action = _shortcut_action(chr(code))
            if action is not None:
                actions[code] = action
    runs: list[list[int]] = []
    for code in sorted(actions):
        if runs and runs[-1][1] == code - 1 and runs[-1][2] == actions[code]:
            runs[-1][1] = code
        else:
            runs.append([code, code, actions[code]])
    return tuple((first, last, action) for first, last, action in runs)


def _shortcut_action(char: str) -> int | None:
    """CLEAN_KEEP / CLEAN_DROP for one character (see :func:`shortcut_ranges`), else None."""
    code = ord(char)
    # Cheapest tests first (every start-up runs this over thousands of characters).
    if (
        code < 0x80
        or 0xD800 <= code <= 0xDFFF
        or code in _HANGUL_JAMO_CODES
        or code in _FOLD_TABLE  # fold_accents(char) != char
        or unicodedata.combining(char) != 0
        or (unicodedata.category(char)[0] == "M" and code not in _NON_COMPOSING_MARKS)
        or not unicodedata.is_normalized("NFKC", char)
    ):
        return None
    return CLEAN_DROP if char in _INVISIBLE else CLEAN_KEEP  # what strip_invisible does
