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
    def misc_chunks(self) -> bool:
        """Whether number chunks, hyphenated words and ``@name.digits`` mentions are analysed
        in C (stage 3c).

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
