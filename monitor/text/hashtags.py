"""Hashtags split into words: ``#TolakHoaks`` -> ``tolak hoaks``.

Camel case and letter/digit boundaries split first (``#2019GantiPresiden`` -> ``2019 ganti
presiden``); a lowercase run is then segmented into known words (``tolakhoaks`` -> ``tolak
hoaks``) with a shortest-segmentation dynamic programme. A run that cannot be covered by
known words is kept whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Longest run segmented; longer runs are kept whole (keeps the work per hashtag bounded).
MAX_SEGMENTED_RUN = 40
MAX_WORD = 20

_PARTS_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\W\d_]+")


def camel_parts(tag: str) -> list[str]:
    """Split a hashtag body on case changes, digits and underscores (case kept).

    ``TolakHoaks`` -> ``[Tolak, Hoaks]``; ``BPJSGratis`` -> ``[BPJS, Gratis]``.
    """
    return _PARTS_RE.findall(tag)


def segment(run: str, is_word: Callable[[str], bool]) -> list[str]:
    """Split a lowercase run into the fewest known words, or return ``[run]``.

    ``is_word`` decides what is known. Single letters are never used as words. Among
    segmentations with the fewest words the one with the longest first word wins.
    """
    n = len(run)
    if n > MAX_SEGMENTED_RUN or is_word(run):
        return [run]
    # best[i] = (number of words, split point) for the suffix run[i:]
    best: list[tuple[int, int] | None] = [None] * (n + 1)
    best[n] = (0, n)
    for i in range(n - 1, -1, -1):
        choice: tuple[int, int] | None = None
        for j in range(min(n, i + MAX_WORD), i + 1, -1):
            tail = best[j]
            if tail is None or not is_word(run[i:j]):
                continue
            if choice is None or tail[0] + 1 < choice[0]:
                choice = (tail[0] + 1, j)
        best[i] = choice
    if best[0] is None:
        return [run]
    words = []
    i = 0
    while i < n:
        step = best[i]
        assert step is not None  # every split point on the chosen path has a choice
        words.append(run[i : step[1]])
        i = step[1]
    return words


def split_hashtag(tag: str, is_word: Callable[[str], bool]) -> list[str]:
    """Return the lowercase words of a hashtag (with or without the leading ``#``)."""
    words: list[str] = []
    for part in camel_parts(tag.lstrip("#")):
        lower = part.lower()
        if lower.isalpha() and (part.islower() or part.isupper()):
            words.extend(segment(lower, is_word))
        else:
            words.append(lower)
    return words
