"""The compiled per-post path (``monitor.text._cnorm``) gives exactly the Python path's results.

Every comparison runs two separate normalizers, so their memos are independent: one with
the C path (the default) and the Python reference (``Normalizer(compiled=False)``). Results
must be equal dataclasses whose features have the same keys in the same order, the same value
types and bit-identical floats.

Every test but the ``PANTAU_PURE_PYTHON`` one needs the built extension. They skip only when
``PANTAU_PURE_PYTHON=1`` disables it on purpose; otherwise a missing build fails
:func:`test_the_extension_is_built_and_used` (``setup.py`` builds it with ``optional=True``,
so a broken build would otherwise go unnoticed).
"""

from __future__ import annotations

import functools
import gc
import importlib
import random
import struct
import sys
import threading
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import FEATURE_NAMES
from monitor.text.extensions import PURE_PYTHON_ENV, pure_python_requested
from monitor.text.pipeline import (
    C_NORMALIZER_AVAILABLE,
    MAX_MEMO_CHUNK,
    MAX_TEXT_CHARS,
    Normalizer,
    _RecordingStemmer,
    default_normalizer,
)
from monitor.text.types import NormalizedText
from tests.text.pure_python import run_pure_python
from tests.text.test_golden import PAIRS
from tests.text.test_properties import FRAGMENTS

needs_extension = pytest.mark.skipif(
    pure_python_requested(), reason=f"{PURE_PYTHON_ENV} is set: the C extension is disabled"
)
BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@functools.cache
def benchmark_stream(n: int) -> tuple[str, ...]:
    """The first ``n`` posts of the benchmark's synthetic stream."""
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    bench = importlib.import_module("bench_normalize")
    return tuple(bench.generate_stream(n))


def _float_bits(value: object) -> object:
    return struct.pack("<d", value) if isinstance(value, float) else value


def assert_same(got: NormalizedText, want: NormalizedText, raw: str) -> None:
    """Equal results, down to feature order, value types and float bits."""
    assert got == want, raw
    assert type(got) is NormalizedText
    assert type(got.tokens) is tuple
    assert type(got.features) is MappingProxyType
    assert tuple(got.features) == tuple(want.features) == FEATURE_NAMES, raw
    assert [type(v) for v in got.features.values()] == [type(v) for v in want.features.values()]
    assert [_float_bits(v) for v in got.features.values()] == [
        _float_bits(v) for v in want.features.values()
    ], raw
    assert type(got.language_confidence) is type(want.language_confidence)
    assert _float_bits(got.language_confidence) == _float_bits(want.language_confidence), raw


def assert_batches_agree(
    compiled: Normalizer, reference: Normalizer, texts: Sequence[str], batch: int = 1000
) -> None:
    assert compiled.compiled
    assert not reference.compiled
    for start in range(0, len(texts), batch):
        chunk = list(texts[start : start + batch])
        got = compiled.normalize_many(chunk)
        want = reference.normalize_many(chunk)
        assert len(got) == len(want) == len(chunk)
        for raw, g, w in zip(chunk, got, want, strict=True):
            assert_same(g, w, raw)


# --- the extension is there and used ----------------------------------------------------------


@needs_extension
def test_the_extension_is_built_and_used() -> None:
    import monitor.text._cnorm as cnorm  # fails if setup.py silently skipped the build

    assert C_NORMALIZER_AVAILABLE
    assert isinstance(default_normalizer()._fast, cnorm.FastNormalizer)
    normalizer = Normalizer()
    assert normalizer.compiled
    assert normalizer._fast is not None
    assert normalizer._fast.direct_results  # results filled in without the dataclass __init__
    normalizer.normalize_many(["vaksin berbahaya", "sebarkan!!"])
    assert normalizer._fast.memo_len() == 3
    assert len(normalizer._chunks) == 0  # the Python chunk memo is not used
    assert not Normalizer(compiled=False).compiled


def test_pure_python_env_disables_the_extension() -> None:
    code = """if True:
        import json, sys
        from monitor.text import pipeline
        normalizer = pipeline.Normalizer()
        texts = json.loads(sys.stdin.read())
        print(json.dumps({
            "available": pipeline.C_NORMALIZER_AVAILABLE,
            "compiled": normalizer.compiled,
            "imported": "monitor.text._cnorm" in sys.modules,
            "results": [[r.text, r.language] for r in normalizer.normalize_many(texts)],
        }))
    """
    texts = ["Sebarkan sebelum dihapus!! @x #Hoaks 😱", "gk tau knp bgt yg viral", ""]
    child = run_pure_python(code, texts)
    assert child["available"] is False
    assert child["compiled"] is False
    assert child["imported"] is False
    reference = Normalizer(compiled=False).normalize_many(texts)
    assert child["results"] == [[r.text, r.language] for r in reference]


# --- equal results ------------------------------------------------------------------------------


@needs_extension
def test_the_benchmark_stream_gives_the_python_results() -> None:
    assert_batches_agree(Normalizer(), Normalizer(compiled=False), benchmark_stream(20_000))


@needs_extension
def test_the_golden_inputs_give_the_python_results() -> None:
    texts = [raw for _n, raw, _e in PAIRS]
    compiled, reference = Normalizer(), Normalizer(compiled=False)
    assert_batches_agree(compiled, reference, texts, batch=37)
    # One post at a time, and again once every chunk is memoised.
    for raw in texts:
        assert_same(compiled.normalize(raw), reference.normalize(raw), raw)


@needs_extension
def test_every_memoisable_chunk_is_memoised_once_whatever_its_key_length() -> None:
    # Keys of up to 13 bytes live in the entry, longer ones in the arena; votes of long
    # hashtags need more than 8 bits. Each chunk here is analysed once, then only found.
    chunks = [
        *("a" * n for n in range(1, MAX_MEMO_CHUNK + 1)),
        *("kata" * n for n in range(1, 13)),
        "#" + "tolak" * 9,  # 9 words: votes beyond 255
        "🇮🇩" * 6,  # 12 characters, 48 bytes of UTF-8
        "é" * MAX_MEMO_CHUNK,  # 96 bytes
        "😱" * MAX_MEMO_CHUNK,  # 192 bytes
        "https://example.org/" + "x" * (MAX_MEMO_CHUNK - 20),
    ]
    compiled, reference = Normalizer(), Normalizer(compiled=False)
    assert compiled._fast is not None
    text = " ".join(chunks)
    assert_batches_agree(compiled, reference, [text, text[::-1], text])
    memoised = compiled._fast.memo_len()
    assert memoised >= len(set(chunks))
    before = compiled._fast.stats()
    assert_batches_agree(compiled, reference, [text, " ".join(reversed(chunks))])
    assert compiled._fast.memo_len() == memoised
    assert compiled._fast.stats() == before  # no chunk analysed again


@needs_extension
def test_a_tiny_memo_stays_bounded_and_gives_the_same_results() -> None:
    texts = list(benchmark_stream(3000))
    for size in (2, 3, 10, 101):
        compiled = Normalizer(memo_size=size)
        assert compiled._fast is not None
        assert_batches_agree(compiled, Normalizer(compiled=False), texts, batch=250)
        assert compiled._fast.memo_len() <= size
        compiled._fast.clear_memo()
        assert compiled._fast.memo_len() == 0
    roomy = Normalizer(memo_size=1000)
    assert roomy._fast is not None
    roomy.normalize_many(texts)
    assert 500 <= roomy._fast.memo_len() <= 1000


@needs_extension
def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = list(benchmark_stream(2000))
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert_batches_agree(compiled, reference, texts, batch=300)
    assert list(recorders[0].asked) == list(recorders[1].asked)


@needs_extension
def test_custom_lexicons_are_honoured() -> None:
    texts = ["yg penting vaksin aman", "Berita ini HOAKS!! sebarkan", "kata biasa saja"]
    stopwords = {"penting", "ini", "saja"}
    compiled = Normalizer(stopwords=stopwords)
    reference = Normalizer(stopwords=stopwords, compiled=False)
    assert_batches_agree(compiled, reference, texts)
    assert "penting" not in compiled.normalize(texts[0]).tokens


@pytest.mark.parametrize("stopwords", [None, {"penting", "ini", "saja", "zzzunknown"}])
def test_known_holds_every_word_lexicon(stopwords: set[str] | None) -> None:
    # The C path skips the lexicon lookups of a word outside Normalizer.known (the
    # pipeline vouches for this with known_covers_lexicons): it must hold them all.
    normalizer = Normalizer(stopwords=stopwords, compiled=False)
    for lexicon in (
        normalizer._slang_keys,
        normalizer.stopwords,
        normalizer._markers,
        normalizer._shared_or_slang,
        normalizer.shared_vocabulary,
        normalizer.dictionary,
    ):
        assert lexicon <= normalizer.known
    compiled = Normalizer(stopwords=stopwords)
    texts = ["zzzunknown penting kata biasa", "menyebarkan zzzunknownnya yg"]
    assert_batches_agree(compiled, Normalizer(stopwords=stopwords, compiled=False), texts)


EDGE_CASES = [
    "",
    " ",
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000",
    "kata\x00kata \x00 nul",
    "vaksin \ud800 aman \udfff",
    "\udbff\udfff",
    "a" * 48,
    "a" * 49,
    "vaksin " + "b" * 48 + "é",
    "ﬁ ＶＡＫＳＩＮ café naïve ½",
    "emoji😂😂 🇮🇩🇮🇩 👍🏽 ❤️",
    "https://" + "x" * 300 + ".com/" + "y" * 600,
    "#" + "TolakHoaks" * 50,
    "x" * 100_000,
    "vaksin aman " * 5000,
    "12 345 Rp50.000 50rb 5G 2019 100% 1/2/2020",
    "wkwkwk hahaha bangeeett t3rbukt1 anak2",
    "sebarkan sebelum dihapus share sebelum dihapus BAGIKAN",
    "The quick brown fox jumps over the lazy dog",
    "ora ngerti kowe piye teu naon kumaha",
]


@needs_extension
def test_edge_cases_give_the_python_results() -> None:
    compiled, reference = Normalizer(), Normalizer(compiled=False)
    assert_batches_agree(compiled, reference, EDGE_CASES + EDGE_CASES[::-1])
    assert_batches_agree(compiled, reference, [])
    assert compiled.normalize_many([]) == []
    for raw in EDGE_CASES:
        assert_same(compiled.normalize(raw), reference.normalize(raw), raw)


@needs_extension
def test_the_language_fallback_gives_the_python_results() -> None:
    texts = [
        "Bonjour tout le monde, comment allez-vous aujourd'hui mes amis?",
        "Der schnelle braune Fuchs springt über den faulen Hund",
        "xqzv plmk trwq bnmz vaksin",
        "https://bit.ly/x @budi 😂 2019",
        "wkwk",
    ]
    compiled, reference = Normalizer(), Normalizer(compiled=False)
    assert_batches_agree(compiled, reference, texts)
    results = compiled.normalize_many(texts)
    # Only py3langid gives "other" with a confidence: the fallback ran.
    assert any(r.language == "other" and r.language_confidence > 0 for r in results)
    assert results[3].language == "other"
    assert results[3].language_confidence == 0.0


@needs_extension
def test_a_ten_megabyte_post_is_cut_like_in_python() -> None:
    unit = "Vaksin berbahaya!! https://bit.ly/x 😱 wkwk "
    big = unit * (MAX_TEXT_CHARS // len(unit) + 50)
    assert len(big) > MAX_TEXT_CHARS + 1000
    got = Normalizer().normalize(big)
    want = Normalizer(compiled=False).normalize(big)
    assert_same(got, want, "10 MB post")
    assert got.features["char_count"] == len(big)


@needs_extension
def test_duplicates_tuples_and_subclasses() -> None:
    class Text(str):
        __slots__ = ()

    compiled, reference = Normalizer(), Normalizer(compiled=False)
    texts = ["Sebarkan!!", "vaksin aman", "Sebarkan!!", "vaksin aman"]
    got = compiled.normalize_many(texts)
    assert got[0] is got[2]  # identical posts are normalized once
    assert got == reference.normalize_many(texts)
    assert compiled.normalize_many(tuple(texts)) == got
    # str subclasses (whose methods may be overridden) go through the Python path.
    assert compiled.normalize_many([Text("Sebarkan!!"), "vaksin aman"]) == got[:2]
    assert compiled.normalize(Text("vaksin aman")) == got[1]


@needs_extension
def test_non_strings_are_refused_like_in_python() -> None:
    compiled, reference = Normalizer(), Normalizer(compiled=False)
    for bad in (["ok", b"bytes"], ["ok", None], [1]):
        with pytest.raises(TypeError) as got:
            compiled.normalize_many(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError) as want:
            reference.normalize_many(bad)  # type: ignore[arg-type]
        assert str(got.value) == str(want.value)
    with pytest.raises(TypeError, match="expects str"):
        compiled.normalize(None)  # type: ignore[arg-type]


@needs_extension
def test_no_memory_or_reference_leak_over_repeated_batches() -> None:
    texts = list(benchmark_stream(2000)) + EDGE_CASES[:13]
    normalizer = Normalizer()
    normalizer.normalize_many(texts)  # every chunk memoised
    token = normalizer.normalize_many(["vaksin"])[0].tokens[0]
    refs = sys.getrefcount(token)
    gc.collect()
    tracemalloc.start()
    try:
        for _ in range(3):
            normalizer.normalize_many(texts)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(15):
            normalizer.normalize_many(texts)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert growth < 64 * 1024, growth
    assert sys.getrefcount(token) == refs


@needs_extension
def test_an_exception_in_a_callback_leaves_the_normalizer_usable() -> None:
    normalizer = Normalizer()
    texts = ["vaksin aman", "kata baru sekali", "vaksin aman lagi " + "x" * 60]
    want = Normalizer(compiled=False).normalize_many(texts)
    calls = 0

    def failing(chunk: str) -> Any:
        nonlocal calls
        calls += 1
        if calls == 4:
            raise KeyboardInterrupt
        return normalizer._analyse_chunk(chunk)

    fast = normalizer._fast
    assert fast is not None
    # The same constants around a callback that fails once, on the fourth new chunk.
    normalizer._fast = type(fast)(**{**_fast_kwargs(normalizer), "analyse": failing})
    with pytest.raises(KeyboardInterrupt):
        normalizer.normalize_many(texts)
    assert 0 < normalizer._fast.memo_len() < 6
    assert normalizer.normalize_many(texts) == want
    assert normalizer.normalize_many(texts) == want


@needs_extension
def test_constants_that_do_not_match_the_extension_are_refused() -> None:
    normalizer = Normalizer()
    assert normalizer._fast is not None
    make = type(normalizer._fast)
    kwargs = _fast_kwargs(normalizer)
    with pytest.raises(ValueError, match="packed_fields"):
        make(**{**kwargs, "packed_fields": kwargs["packed_fields"][::-1]})
    with pytest.raises(ValueError, match="feature_names"):
        make(**{**kwargs, "feature_names": ("char_count",)})
    with pytest.raises(ValueError, match="maxsize"):
        make(**{**kwargs, "memo_size": 1})


def _fast_kwargs(normalizer: Normalizer) -> dict[str, Any]:
    from monitor.text import pipeline

    return {
        "analyse": normalizer._analyse_chunk,
        "fallback": pipeline._fallback_language,
        "clean": pipeline.clean_text,
        "spread_calls": pipeline.feat.count_spread_calls,
        "result_type": NormalizedText,
        "languages": pipeline.LANGS,
        "feature_names": FEATURE_NAMES,
        "packed_fields": pipeline.PACKED_FIELDS,
        "memo_size": 100,
        "max_memo_chunk": pipeline.MAX_MEMO_CHUNK,
        "max_text_chars": MAX_TEXT_CHARS,
        "vote_scale": pipeline.VOTE_SCALE,
        "min_lexical_votes": pipeline.MIN_LEXICAL_VOTES,
        "unknown_ratio": pipeline.UNKNOWN_RATIO,
        "unknown_penalty": pipeline.UNKNOWN_PENALTY,
        "smoothing": pipeline.SMOOTHING,
    }


# --- properties -----------------------------------------------------------------------------

# The property tests' fragments plus pieces that exercise more of the per-post path.
PIECES = st.one_of(
    FRAGMENTS,
    st.sampled_from(
        [
            "VAKSIN",
            "#dirumahaja",
            "@budi_99",
            "www.detik.com/berita",
            "kominfo.go.id",
            "a@b.co",
            "50rb",
            "12,5%",
            "❤️",
            "share",
            "mahu",
            "\x00",
            "\ud83d",
            "\udca9",
        ]
    ),
)
POSTS = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=30).map("".join)
ANY_POST = st.one_of(st.text(), POSTS)
WITH_SURROGATES = st.lists(
    st.one_of(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), PIECES), max_size=20
).map("".join)

COMPILED = Normalizer()
REFERENCE = Normalizer(compiled=False)
SMALL = Normalizer(memo_size=6)
_FIXTURES = [HealthCheck.too_slow]


@needs_extension
@settings(max_examples=300, deadline=None, suppress_health_check=_FIXTURES)
@given(st.lists(ANY_POST, max_size=8))
def test_any_batch_gives_the_python_results(texts: list[str]) -> None:
    assert_batches_agree(COMPILED, REFERENCE, texts)
    assert_batches_agree(SMALL, REFERENCE, texts)


@needs_extension
@settings(max_examples=150, deadline=None)
@given(st.lists(WITH_SURROGATES, max_size=5))
def test_posts_with_surrogates_give_the_python_results(texts: list[str]) -> None:
    assert_batches_agree(COMPILED, REFERENCE, texts)


@needs_extension
@settings(max_examples=100, deadline=None)
@given(st.lists(POSTS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_repeated_and_shuffled_posts_give_the_python_results(
    texts: list[str], rng: random.Random
) -> None:
    batch = texts * 2
    rng.shuffle(batch)
    assert_batches_agree(COMPILED, REFERENCE, batch)


@needs_extension
def test_threads_sharing_one_normalizer_get_the_reference_results() -> None:
    """The web app and the scheduler share the process-wide normalizer. Analysing a new
    chunk calls back into Python, where another thread may run and rotate the small memo;
    every thread must still get exactly the reference results."""
    texts = benchmark_stream(3000)
    want = Normalizer(compiled=False, memo_size=64).normalize_many(list(texts))
    shared = Normalizer(memo_size=64)
    mismatches: list[str] = []

    def work(offset: int) -> None:
        for start in [*range(offset, len(texts), 350), *range(0, len(texts), 450)]:
            got = shared.normalize_many(list(texts[start : start + 40]))
            for result, expected in zip(got, want[start : start + 40], strict=True):
                if result != expected:
                    mismatches.append(expected.text)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        threads = [threading.Thread(target=work, args=(k * 100,)) for k in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert mismatches == []
