"""Language of a post: Indonesian, Malay, English, Javanese, Sundanese or other.

Choice of detector. General-purpose detectors are poor on this register: on short informal
Indonesian ``py3langid`` answers Malay about half the time (``gk tau knp bgt yg viral`` ->
``ms``), ``lingua`` has no Javanese or Sundanese model, and neither knows Sundanese, Javanese
or Indonesian slang. Both also cost 50-100 µs per post, more than the rest of the normalizer.
So the primary signal is lexical, computed per word and memoised with the word:

* marker lists written for this project (``lexicons/lang_{id,ms,en,jv,su}.txt``): words that
  tell Indonesian from Malay (``mau``/``mahu``, ``karena``/``kerana``, ``gak``, ``banget``),
  Javanese (``ora``, ``kowe``, ``piye``), Sundanese (``teu``, ``naon``, ``kumaha``), English;
* the shared Indonesian/Malay vocabulary (Sastrawi's root dictionary and stopwords, the slang
  lexicon, words whose stem is a root), which leans Indonesian (0.7 / 0.3). Marker words win
  over the shared vocabulary, except English words Indonesian has borrowed (``video``,
  ``virus``), which count half English, half shared.

When a post has (almost) no known word, or mostly unknown ones, the well-kept ``py3langid``
(a maintained, numpy-only port of langid.py with a 97-language model) is asked; it is loaded
lazily on first need. If it is confident the post is in a language outside our five, the post
is ``other``; otherwise the lexical answer stands, or py3langid's when there is none.

Mixed posts are never dropped: the dominant language wins, the confidence drops with the
share of other-language votes, and that share is reported (``code_mix_ratio`` feature).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from monitor.text.lexicons import LANGUAGE_MARKER_FILES, read_word_list

LANGS: tuple[str, ...] = ("id", "ms", "en", "jv", "su")
OTHER = "other"
Votes = tuple[float, float, float, float, float]
NO_VOTES: Votes = (0.0, 0.0, 0.0, 0.0, 0.0)

MARKER_WEIGHT = 2.0
SHARED_VOCAB_VOTES: Votes = (0.7, 0.3, 0.0, 0.0, 0.0)
# Below this many votes, or with more than UNKNOWN_RATIO unknown words per known one, the
# lexical evidence is too thin and py3langid is asked.
MIN_LEXICAL_VOTES = 1.0
UNKNOWN_RATIO = 2.0
# py3langid answering a language outside ours with at least this probability wins.
FALLBACK_OTHER_PROBABILITY = 0.5
# py3langid needs some letters to say anything useful.
MIN_FALLBACK_LETTERS = 10
FALLBACK_MAX_CHARS = 2000
# Confidence = top / (all votes + UNKNOWN_PENALTY * unknown words + SMOOTHING).
UNKNOWN_PENALTY = 0.25
SMOOTHING = 0.5


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """Detected language, confidence in [0, 1] and share of other-language votes in [0, 1]."""

    language: str
    confidence: float
    code_mix_ratio: float


@lru_cache(maxsize=1)
def marker_words() -> dict[str, frozenset[str]]:
    """Language -> marker words, from the shipped lists."""
    return {lang: frozenset(read_word_list(path)) for lang, path in LANGUAGE_MARKER_FILES.items()}


@lru_cache(maxsize=1)
def _marker_languages() -> dict[str, tuple[int, ...]]:
    """Marker word -> indexes (into ``LANGS``) of the languages it marks."""
    index: dict[str, list[int]] = {}
    for i, lang in enumerate(LANGS):
        for word in marker_words()[lang]:
            index.setdefault(word, []).append(i)
    return {word: tuple(langs) for word, langs in index.items()}


_EN = LANGS.index("en")


def word_votes(word: str, in_shared_vocabulary: bool) -> Votes | None:
    """Return the language votes of one lowercase word, or ``None`` if it tells nothing.

    ``in_shared_vocabulary`` says whether the word (or its stem) is Indonesian/Malay
    vocabulary. A marker word gives ``MARKER_WEIGHT`` split over its marker languages; an
    English marker that is also shared vocabulary (a loanword) gives half of that to the
    shared Indonesian/Malay side instead.
    """
    langs = _marker_languages().get(word)
    if langs is None:
        return SHARED_VOCAB_VOTES if in_shared_vocabulary else None
    votes = [0.0] * len(LANGS)
    weight = MARKER_WEIGHT
    if in_shared_vocabulary and _EN in langs:
        weight /= 2
        for i, share in enumerate(SHARED_VOCAB_VOTES):
            votes[i] += share * weight
    for i in langs:
        votes[i] += weight / len(langs)
    return (votes[0], votes[1], votes[2], votes[3], votes[4])


def needs_fallback(votes: Votes, known_words: int, unknown_words: int) -> bool:
    """Whether the lexical evidence is too thin and py3langid should be asked."""
    return sum(votes) < MIN_LEXICAL_VOTES or unknown_words > UNKNOWN_RATIO * known_words + 1


def decide(
    votes: Votes, known_words: int, unknown_words: int, fallback_text: str = ""
) -> LanguageResult:
    """Turn summed votes into a label.

    When :func:`needs_fallback`, ``fallback_text`` (the post without URLs, mentions and
    emoji) goes to py3langid if it has enough letters. A post with nothing to go on (only
    links, emoji or numbers) is ``other`` with confidence 0.
    """
    total = votes[0] + votes[1] + votes[2] + votes[3] + votes[4]
    if total < MIN_LEXICAL_VOTES or unknown_words > UNKNOWN_RATIO * known_words + 1:
        fallback = _fallback(fallback_text)
        if fallback is not None and (
            total <= 0
            or (fallback.language == OTHER and fallback.confidence >= FALLBACK_OTHER_PROBABILITY)
        ):
            return fallback
        if total <= 0:
            return _NOTHING
    return LanguageResult(*lexical_decision(votes, total, unknown_words))


def lexical_decision(votes: Votes, total: float, unknown_words: int) -> tuple[str, float, float]:
    """(language, confidence, code-mix ratio) from the votes alone; ``total`` > 0 is their sum.

    The part of :func:`decide` after the fallback check, as a plain tuple for the hot path.
    """
    best = 0
    top = votes[0]
    for i in (1, 2, 3, 4):  # strict ">" keeps the first on ties: id before ms
        if votes[i] > top:
            best, top = i, votes[i]
    confidence = top / (total + UNKNOWN_PENALTY * unknown_words + SMOOTHING)
    return LANGS[best], min(1.0, confidence), max(0.0, 1.0 - top / total)


_NOTHING = LanguageResult(OTHER, 0.0, 0.0)


def sum_votes(all_votes: Iterable[Votes]) -> Votes:
    """Element-wise sum of vote tuples."""
    acc = [0.0] * len(LANGS)
    for votes in all_votes:
        for i, value in enumerate(votes):
            acc[i] += value
    return (acc[0], acc[1], acc[2], acc[3], acc[4])


# --- py3langid fallback -------------------------------------------------------------------

_LOCK = threading.Lock()
_IDENTIFIER: Any = None


def _identifier() -> Any:
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _IDENTIFIER = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _IDENTIFIER


def _fallback(text: str) -> LanguageResult | None:
    """Ask py3langid; ``None`` when the text has too few letters to ask."""
    text = text[:FALLBACK_MAX_CHARS]
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_FALLBACK_LETTERS:
        return None
    label, probability = _identifier().classify(text)
    language = label if label in LANGS else OTHER
    # A statistical guess on a post we could not read lexically: halve its confidence for
    # our own languages (py3langid mixes them up on informal text).
    confidence = float(probability) * (0.5 if language != OTHER else 1.0)
    return LanguageResult(language, max(0.0, min(1.0, confidence)), 0.0)
