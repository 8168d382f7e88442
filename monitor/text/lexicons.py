"""Where the shipped word lists live and how they are read.

All lists are UTF-8 text under ``monitor/text/lexicons/``; a line starting with ``#`` is a
comment, blank lines are ignored. A missing file reads as empty so the normalizer still
works while a list is being written.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")
SLANG_FILE = LEXICON_DIR / "slang.tsv"
EMOJI_FILE = LEXICON_DIR / "emoji.tsv"
STOPWORDS_EXTRA_FILE = LEXICON_DIR / "stopwords_extra.txt"
STANDARD_WORDS_FILE = LEXICON_DIR / "standard_words.txt"
STEM_CACHE_FILE = LEXICON_DIR / "stem_cache.tsv"
LANGUAGE_MARKER_FILES = {
    lang: LEXICON_DIR / f"lang_{lang}.txt" for lang in ("id", "ms", "en", "jv", "su")
}


def _content_lines(path: Path) -> list[str]:
    if not path.is_file():
        return []
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.lstrip().startswith("#"):
            lines.append(raw)
    return lines


def read_word_list(path: Path) -> list[str]:
    """Return the lowercase words of a one-word-per-line file (empty if the file is missing)."""
    return [line.strip().lower() for line in _content_lines(path)]


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """Return ``(key, value)`` pairs of a ``key<TAB>value`` file, stripped, in file order.

    Lines without a tab are skipped. Keys are not lowercased: callers decide.
    """
    pairs = []
    for line in _content_lines(path):
        key, sep, value = line.partition("\t")
        if sep and key.strip():
            pairs.append((key.strip(), value.strip()))
    return pairs


@lru_cache(maxsize=1)
def standard_words() -> frozenset[str]:
    """Standard words used by the slang lexicon's targets (``standard_words.txt``)."""
    return frozenset(read_word_list(STANDARD_WORDS_FILE))
