"""The C path counts calls to spread (``features.count_spread_calls``) itself.

``count_call_matches`` in ``_cnorm.c`` ports ``len(_CALL_RE.findall(codes))``; these tests
compare it with the regex on every short code string and on generated long ones, and check
that whole posts no longer need the Python function.
"""

from __future__ import annotations

import itertools
from typing import NoReturn

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.text import features
from monitor.text.pipeline import Normalizer
from monitor.text.types import NormalizedText
from tests.text.test_cnorm import _fast_kwargs, assert_same, needs_extension

# The code letters (features.spread_code) plus one letter that is no code.
CODE_LETTERS = "SBDdh.x"


def _cnorm_count(codes: str) -> int:
    import monitor.text._cnorm as cnorm

    return int(cnorm.count_spread_calls(codes))


@needs_extension
def test_every_short_code_string_counts_like_the_regex() -> None:
    for length in range(7):
        for letters in itertools.product(CODE_LETTERS, repeat=length):
            codes = "".join(letters)
            assert _cnorm_count(codes) == features.count_spread_calls([codes]), codes


@needs_extension
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=CODE_LETTERS, max_size=300))
def test_long_code_strings_count_like_the_regex(codes: str) -> None:
    assert _cnorm_count(codes) == features.count_spread_calls([codes])


@needs_extension
def test_known_phrases() -> None:
    assert _cnorm_count("S") == 1
    assert _cnorm_count("S.BD") == 1  # share sebelum dihapus: one call
    assert _cnorm_count("S...BD") == 1  # three words in between still belong to it
    assert _cnorm_count("S....BD") == 2  # four: two calls
    assert _cnorm_count("SSBdh") == 2
    assert _cnorm_count("BdhS") == 2
    assert _cnorm_count("Bd.h") == 0


def _refuse(_codes: object) -> NoReturn:
    raise AssertionError("the C path called the Python spread-call counter")


POSTS = [
    "Sebarkan sebelum dihapus!! vaksin itu berbahaya",
    "SEBARKAN!!! share sebelum dihapus",
    "tolong bagikan ke grup keluarga sebelum di hapus",
    "viralkan! viralkan! sebarin ya gaes",
    "sebelum dihapus admin, baca dulu di sini",
    "banjir di jakarta, warga diminta waspada",
    "share . . . . sebelum dihapus",
]


@needs_extension
def test_posts_with_spread_words_never_call_python() -> None:
    normalizer = Normalizer()
    reference = Normalizer(compiled=False)
    assert normalizer._fast is not None
    fast = type(normalizer._fast)(**{**_fast_kwargs(normalizer), "spread_calls": _refuse})
    got = fast.normalize_many(POSTS)
    assert got is not None
    for raw, g, want in zip(POSTS, got, reference.normalize_many(POSTS), strict=True):
        assert isinstance(g, NormalizedText)
        assert_same(g, want, raw)
    assert [g.features["spread_call_count"] for g in got] == [1.0, 2.0, 1.0, 3.0, 1.0, 0.0, 2.0]


@needs_extension
def test_non_ascii_codes_are_refused_by_the_test_hook() -> None:
    with pytest.raises(TypeError):
        _cnorm_count("Sé")
