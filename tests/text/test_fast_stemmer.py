"""Our stemmer gives exactly Sastrawi's stems."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from monitor.text.fast_stemmer import FastStemmer

PREFIXES = [
    "",
    "",
    "me",
    "mem",
    "men",
    "meng",
    "meny",
    "pe",
    "pem",
    "pen",
    "peng",
    "peny",
    "per",
    "ber",
    "be",
    "ter",
    "te",
    "di",
    "ke",
    "se",
    "ku",
    "kau",
    "memper",
    "diper",
    "keter",
]
SUFFIXES = [
    "",
    "",
    "kan",
    "i",
    "an",
    "nya",
    "lah",
    "kah",
    "pun",
    "ku",
    "mu",
    "isme",
    "isasi",
    "kannya",
    "inya",
    "annya",
    "kanlah",
    "-nya",
    "-lah",
]


def _reference() -> object:
    return StemmerFactory().create_stemmer()


def sample_words(count: int, seed: int = 20261126) -> list[str]:
    """Distinct words: roots, affixed roots, reduplications, typos and random strings."""
    rng = random.Random(seed)
    roots = sorted(w for w in FastStemmer().dictionary if w.isalpha())
    words: set[str] = set()
    while len(words) < count:
        root = rng.choice(roots)
        kind = rng.random()
        if kind < 0.1:
            word = root
        elif kind < 0.7:
            word = rng.choice(PREFIXES) + root + rng.choice(SUFFIXES)
        elif kind < 0.8:
            word = f"{root}-{rng.choice(PREFIXES)}{root}{rng.choice(SUFFIXES)}"
        elif kind < 0.9:
            i = rng.randrange(len(root))
            word = root[:i] + rng.choice("aiueokx0-") + root[i:]
        else:
            word = "".join(rng.choice("aiueomnkpstdgrlbhcjy-") for _ in range(rng.randint(1, 9)))
        words.add(word)
    return sorted(words)


def test_stems_equal_sastrawi_on_ten_thousand_distinct_words() -> None:
    reference = _reference()
    ours = FastStemmer()
    words = sample_words(10_500)
    assert len(set(words)) >= 10_000
    mismatches = [
        (w, reference.stem(w), ours.stem(w))  # type: ignore[attr-defined]
        for w in words
        if reference.stem(w) != ours.stem(w)  # type: ignore[attr-defined]
    ]
    assert mismatches == []


def test_known_stems() -> None:
    ours = FastStemmer()
    assert ours.stem("Vaksinnya") == "vaksin"
    assert ours.stem("pemberitaan") == "berita"
    assert ours.stem("anak-anak") == "anak"
    assert ours.stem("mempengaruhi") == "pengaruh"
    assert ours.stem("") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeghikmnprstuyAEIZ -'.0129é\u200b", max_size=25))
def test_stems_equal_sastrawi_on_arbitrary_strings(text: str) -> None:
    assert FastStemmer().stem(text) == _REFERENCE.stem(text)  # type: ignore[attr-defined]


_REFERENCE = _reference()
