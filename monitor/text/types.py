"""Result type and fixed feature names of the text normalizer.

``NormalizedText`` is what every consumer (ingest, scoring, training, watchlist matching)
receives from :func:`monitor.text.normalize`. ``FEATURE_NAMES`` fixes the keys, and their
order, of ``NormalizedText.features`` so feature vectors stay aligned across model versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Bump whenever the output of ``normalize`` changes for some input; model cards record it.
NORMALIZER_VERSION = "1.0.1"

# What each feature is (all floats):
#   char_count         length of the raw post in characters
#   token_count        number of tokens
#   capital_ratio      ASCII capitals / ASCII letters (after accent folding), 0 without letters
#   exclamation_count  "!" characters;  question_count: "?" characters
#   spread_call_count  calls to pass the post on: "sebarkan", "viralkan", "share sebelum
#                      dihapus" (a call followed by "before it is deleted" counts once)
#   url_count          URLs, bare domains and e-mail addresses
#   mention_count      @mentions;  hashtag_count: hashtags;  emoji_count: emoji and flags
#   number_count       numbers, amounts and numbers with units (2019, Rp50.000, 5G, 50rb)
#   elongation_count   words written with a letter repeated three times or more
#   laugh_count        written laughter (wkwk, hahaha...)
#   code_mix_ratio     share of language votes going to other languages than the label

FEATURE_NAMES: tuple[str, ...] = (
    "char_count",
    "token_count",
    "capital_ratio",
    "exclamation_count",
    "question_count",
    "spread_call_count",
    "url_count",
    "mention_count",
    "hashtag_count",
    "emoji_count",
    "number_count",
    "elongation_count",
    "laugh_count",
    "code_mix_ratio",
)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """A raw post after normalization.

    ``text`` is ``" ".join(tokens)``. ``tokens`` are lowercase, accent-folded, slang-mapped,
    stemmed words with stopwords removed (negations kept), plus special tokens such as
    ``url:bit.ly``, ``@mention`` and ``emoji:...``. ``language`` is one of ``id``, ``ms``,
    ``en``, ``jv``, ``su``, ``other``; ``language_confidence`` is in ``[0, 1]``.
    ``features`` has exactly the keys of ``FEATURE_NAMES``, all numeric.
    """

    text: str
    tokens: tuple[str, ...]
    language: str
    language_confidence: float
    features: Mapping[str, float]
