"""Properties on arbitrary text: no exception, idempotence, linear work."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import FEATURE_NAMES, normalize
from monitor.text.pipeline import Normalizer
from monitor.text.stem import StemCache, Stemmer

# Text that looks like posts: words, slang, digits, marks, emoji, URLs, invisible characters.
FRAGMENTS = st.sampled_from(
    [
        "vaksin",
        "Berbahaya",
        "gk",
        "bgt",
        "yg",
        "anak2",
        "t3rbukt1",
        "bangeeett",
        "wkwkwk",
        "#TolakHoaks",
        "@budi",
        "https://bit.ly/x",
        "Rp50.000",
        "2019",
        "5G",
        "😂",
        "🇮🇩",
        "👍🏽",
        "!!!",
        "??",
        "sebarkan",
        "sebelum",
        "dihapus",
        "ora",
        "teu",
        "the",
        "\u200b",
        "é",
        "ﬁ",
        "menyebarkan",
        "peringatan",
        "-",
        ".",
        "'",
        ":",
        "\n",
        "  ",
    ]
)
POSTY = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=40).map("".join)
ANY_TEXT = st.one_of(st.text(), POSTY)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalize_never_raises_and_keeps_its_contract(text: str) -> None:
    result = normalize(text)
    assert result.text == " ".join(result.tokens)
    assert tuple(result.features) == FEATURE_NAMES
    assert 0.0 <= result.language_confidence <= 1.0
    assert result.language in {"id", "ms", "en", "jv", "su", "other"}


def test_lone_surrogates_do_not_raise() -> None:
    assert normalize("vaksin \ud800 aman \udfff").tokens == ("vaksin", "aman")


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_normalize_is_idempotent_on_its_own_output(text: str) -> None:
    once = normalize(text)
    assert normalize(once.text).tokens == once.tokens


def _work(normalizer: Normalizer, text: str) -> int:
    """Count the Python function calls made while normalizing ``text``.

    Every regular expression runs on a piece of bounded length and every Python function
    makes a bounded number of C calls, apart from single linear C passes over the whole text
    (NFKC, split, map, join); so the number of Python calls measures the work without timing
    anything.
    """
    calls = 0

    def tracer(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.settrace(tracer)
    try:
        normalizer.normalize(text)
    finally:
        sys.settrace(None)
    return calls


def _fresh(tmp_path: Path) -> Normalizer:
    return Normalizer(stemmer=Stemmer(cache=StemCache(tmp_path / "stems.tsv")))


def _words(rng: random.Random, count: int) -> str:
    letters = "aiueokmnprstbdgl"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(count)
    )


_NO_FIXTURE_CHECK = [HealthCheck.function_scoped_fixture]


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=_NO_FIXTURE_CHECK)
@given(st.integers(min_value=0, max_value=2**32))
def test_work_grows_linearly_with_new_words(tmp_path: Path, seed: int) -> None:
    text = _words(random.Random(seed), 1500)
    half = text[: len(text) // 2]
    # Fresh normalizers: every chunk is new, the expensive case.
    assert _work(_fresh(tmp_path), text) <= 2.3 * _work(_fresh(tmp_path), half) + 2000


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=_NO_FIXTURE_CHECK)
@given(st.text(min_size=1, max_size=60))
def test_work_on_a_one_megabyte_post_is_linear(tmp_path: Path, unit: str) -> None:
    big = (unit * (1_000_000 // len(unit) + 1))[:1_000_000]
    half = big[:500_000]
    assert _work(_fresh(tmp_path), big) <= 2.3 * _work(_fresh(tmp_path), half) + 2000


def test_work_on_a_long_run_without_spaces_is_linear(tmp_path: Path) -> None:
    run = ("abc.d#x@y t3s" * 20_000)[:200_000].replace(" ", "")
    assert _work(_fresh(tmp_path), run) <= 2.3 * _work(_fresh(tmp_path), run[:100_000]) + 2000
