"""Type stub for the optional C extension built from ``_cstem.c`` (see that file's header)."""

from collections.abc import Iterable

MAX_WORD_LENGTH: int

class CStemmer:
    """Sastrawi's stemmer in C over a copy of ``dictionary`` (only its ``[a-z]`` words)."""

    def __init__(self, dictionary: Iterable[str]) -> None: ...
    def stem_word(self, word: str, /) -> str | None:
        """The stem of a ``[a-z]{0,MAX_WORD_LENGTH}`` word, else ``None``."""
    def dictionary_size(self) -> int:
        """How many dictionary words the stemmer holds."""
