"""Stopwords: Sastrawi's list plus ours (``lexicons/stopwords_extra.txt``), configurable.

Negations are never stopwords: "vaksin tidak aman" and "vaksin aman" are opposite claims,
so ``tidak``, ``bukan``, ``belum``, ``jangan`` and their informal, regional and English forms
are kept. A few truth words of Sastrawi's list (``benar``, ``betul``) are kept as well: "tidak
benar" is how a debunk says "false".
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

from monitor.text.lexicons import STOPWORDS_EXTRA_FILE, read_word_list

_INDONESIAN_NEGATIONS = "tidak tak bukan belum jangan tiada enggak nggak engga ngga gak ga kagak"
_INFORMAL_NEGATIONS = "nda ndak tdk gk bkn blm jgn"
_REGIONAL_NEGATIONS = "ora mboten dudu durung ojo teu henteu acan ulah sanes"  # Javanese, Sundanese
_ENGLISH_NEGATIONS = "not no never dont doesnt didnt isnt arent wasnt werent cant cannot wont"
NEGATIONS: frozenset[str] = frozenset(
    " ".join(
        (_INDONESIAN_NEGATIONS, _INFORMAL_NEGATIONS, _REGIONAL_NEGATIONS, _ENGLISH_NEGATIONS)
    ).split()
)

# Sastrawi stopwords that carry the claim in hoax/debunk posts.
CLAIM_WORDS: frozenset[str] = frozenset({"benar", "betul", "salah"})

DEFAULT_KEEP: frozenset[str] = NEGATIONS | CLAIM_WORDS


def sastrawi_stopwords() -> frozenset[str]:
    """Sastrawi's own stopword list (lowercase)."""
    return frozenset(w.lower() for w in StopWordRemoverFactory().get_stop_words())


def build_stopwords(
    extra: Iterable[str] = (),
    *,
    include_sastrawi: bool = True,
    keep: Iterable[str] = DEFAULT_KEEP,
) -> frozenset[str]:
    """Return a stopword set: Sastrawi's list (optional) + ``extra``, minus ``keep``."""
    words: set[str] = set(sastrawi_stopwords()) if include_sastrawi else set()
    words.update(w.lower() for w in extra)
    return frozenset(words - set(keep))


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Sastrawi + ``lexicons/stopwords_extra.txt`` minus negations and claim words."""
    return build_stopwords(read_word_list(STOPWORDS_EXTRA_FILE))
