"""Emoji to named tokens: ``😂`` -> ``emoji:tears_of_joy``.

Names come from ``lexicons/emoji.tsv`` (``emoji<TAB>name``, written for this project; it
groups near-synonyms such as the crying faces) and otherwise from the Unicode character name
(``🦠`` -> ``emoji:microbe``). Skin-tone modifiers, variation selectors and zero-width joiners
carry no meaning for us and produce no token; a pair of regional indicators is a flag
(``🇮🇩`` -> ``emoji:flag_id``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from monitor.text.lexicons import EMOJI_FILE, read_pairs

EMOJI_PREFIX = "emoji:"

# Character class of the code points treated as emoji (pictographs, dingbats, symbols,
# arrows, geometric shapes used as bullets). Regional indicators are handled as pairs.
EMOJI_CLASS = (
    "\U0001f000-\U0001f1e5\U0001f200-\U0001f3fa\U0001f400-\U0001faff"
    "\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299"
)
REGIONAL_INDICATORS = "\U0001f1e6-\U0001f1ff"
SKIN_TONES = "\U0001f3fb-\U0001f3ff"
_NAME_CLEAN_RE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def emoji_table() -> dict[str, str]:
    """The shipped ``emoji -> name`` table."""
    table = {}
    for key, name in read_pairs(EMOJI_FILE):
        cleaned = _NAME_CLEAN_RE.sub("_", name.lower()).strip("_")
        if cleaned:
            table[key] = cleaned
    return table


@lru_cache(maxsize=4096)
def emoji_token(emoji: str) -> str | None:
    """Return the ``emoji:<name>`` token of one emoji (or a flag pair), or ``None``.

    ``None`` means the character names no emoji we know (e.g. an unassigned code point).
    """
    name = emoji_table().get(emoji)
    if name is None:
        if len(emoji) == 2 and all("\U0001f1e6" <= c <= "\U0001f1ff" for c in emoji):
            name = "flag_" + "".join(chr(ord(c) - 0x1F1E6 + ord("a")) for c in emoji)
        else:
            # A character name has only A-Z, 0-9, space and "-": the runs of anything else
            # that _NAME_CLEAN_RE turns into "_" are runs of spaces and hyphens.
            raw = unicodedata.name(emoji[0], "") if emoji else ""
            name = "_".join(raw.lower().replace("-", " ").split())
    return EMOJI_PREFIX + name if name else None
