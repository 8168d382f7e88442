"""Type stub for the optional C extension built from ``_cnorm.c`` (see that file's header)."""

from collections.abc import Callable, Sequence
from typing import Any

from monitor.text.types import NormalizedText

class FastNormalizer:
    """The per-post path of ``Normalizer`` with its own bounded chunk memo."""

    def __init__(
        self,
        *,
        analyse: Callable[[str], tuple[str, int, str]],
        fallback: Callable[[Any, int, int, str], tuple[str, float, float]],
        clean: Callable[[str], str],
        spread_calls: Callable[[list[str]], int],
        result_type: type[Any],
        languages: tuple[str, ...],
        feature_names: tuple[str, ...],
        packed_fields: tuple[str, ...],
        memo_size: int,
        max_memo_chunk: int,
        max_text_chars: int,
        vote_scale: float,
        min_lexical_votes: float,
        unknown_ratio: float,
        unknown_penalty: float,
        smoothing: float,
        words: tuple[object, ...] | None = None,
        hashtags: tuple[object, ...] | None = None,
        stems: tuple[object, ...] | None = None,
        emoji: tuple[object, ...] | None = None,
        clean_shortcut: tuple[tuple[int, int, int], ...] | None = None,
        known_covers_lexicons: bool = False,
    ) -> None: ...
    @property
    def direct_results(self) -> bool:
        """Whether results are filled in directly (else built by calling ``result_type``)."""
    def normalize_many(self, texts: Sequence[str], /) -> list[NormalizedText] | None:
        """Results for a list or tuple of exact str; ``None`` for anything else."""
    @property
    def plain_words(self) -> bool:
        """Whether plain ``[a-z]+`` words are analysed in C (stage 2)."""
    @property
    def general_words(self) -> bool:
        """Whether elongated, slang and clitic-slang ``[a-z]+`` words are analysed in C (2b).

        Only where stage 2 is on; can be switched off (or on again) by assignment.
        """
    @general_words.setter
    def general_words(self, value: bool) -> None: ...
    @property
    def stems(self) -> bool:
        """Whether stems (and plain fixed points) can be answered in C (``stems`` given)."""
    @property
    def word_chunks(self) -> bool:
        """Whether words with capitals and/or safe punctuation are analysed in C (stage 3a).

        Only where stage 2 is on; can be switched off (or on again) by assignment.
        """
    @word_chunks.setter
    def word_chunks(self, value: bool) -> None: ...
    @property
    def link_chunks(self) -> bool:
        """Whether chunks that are one URL or one mention are analysed in C (stage 3b).

        Only where stage 2 is on; can be switched on (or off) by assignment.
        """
    @link_chunks.setter
    def link_chunks(self, value: bool) -> None: ...
    @property
    def hashtag_chunks(self) -> bool:
        """Whether chunks that are one hashtag are analysed in C (stage 3c).

        Only where stage 2 is on and the hashtag lexicons were given; can be switched off
        (or on again) by assignment.
        """
    @hashtag_chunks.setter
    def hashtag_chunks(self, value: bool) -> None: ...
    def stem(self, word: str, /) -> str:
        """``call_stem(word)``: the stemmer's stem, answered in C where it can be (tests)."""
    def stable(self, token: str, /) -> str:
        """``call_stable(token)``: ``" ".join(Normalizer._stable(token))`` (tests)."""
    @property
    def emoji_chunks(self) -> bool:
        """Whether chunks of emoji are analysed in C (stage 4b).

        Only where stage 2 is on and the tables were given; can be switched by assignment.
        """
    @emoji_chunks.setter
    def emoji_chunks(self, value: bool) -> None: ...
    @property
    def clean_shortcut(self) -> bool:
        """Whether non-ASCII posts are cleaned in C where ``clean_text`` is trivial (4a).

        Only where the table was given; can be switched by assignment.
        """
    @clean_shortcut.setter
    def clean_shortcut(self, value: bool) -> None: ...
    def clean(self, text: str, /) -> str:
        """``clean_text(text)`` as the C path computes it (ASCII, shortcut or callback)."""
    @property
    def digit_words(self) -> bool:
        """Whether alphanumeric words with a digit (``rupa2``, ``2019``, ``s3n4ng!``) and safe
        punctuation around them are analysed in C (stage 3e).

        Only where stage 2 is on; can be switched off (or on again) by assignment.
        """
    @digit_words.setter
    def digit_words(self, value: bool) -> None: ...
    @property
    def misc_chunks(self) -> bool:
        """Whether number chunks, hyphenated words and ``@name.digits`` mentions are analysed
        in C (stage 3d).

        Only where stage 2 is on; can be switched off (or on again) by assignment.
        """
    @misc_chunks.setter
    def misc_chunks(self, value: bool) -> None: ...
    def stats(self) -> dict[str, int]:
        """Counters of the chunks analysed since construction (see ``_cnorm.c``)."""
    def memo_len(self) -> int:
        """Chunks held by the memo (both generations)."""
    def clear_memo(self) -> None:
        """Forget every memoised chunk."""

def count_spread_calls(codes: str, /) -> int:
    """features.count_spread_calls of one ASCII code string, counted in C (for the tests)."""
