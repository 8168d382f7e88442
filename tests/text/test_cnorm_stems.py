"""Stems and stabilisations answered in C (``call_stem`` / ``call_stable`` in ``_cnorm.c``).

With a plain :class:`Stemmer`, the compiled path answers ``Stemmer.stem`` from the stemmer's
cache dict, its dictionary and the C stemmer, learning new words into the cache itself, and
answers ``Normalizer._stable`` for plain fixed points. Compared, each with its own stemmer on
its own stem cache (a temporary file, never the shipped one): that path, the compiled path
with every stem in Python (a :class:`Stemmer` subclass turns stems in C off) and the Python
reference (``compiled=False``). Not only the results must agree: ``Stemmer.computed``,
``StemCache.new_words``, the cache's entries and the memo must be the same after every batch.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text.fast_stemmer import C_STEMMER_AVAILABLE, FastStemmer
from monitor.text.pipeline import Normalizer, _RecordingStemmer
from monitor.text.slang import SlangLexicon
from monitor.text.stem import (
    DEFAULT_MAX_NEW_WORDS,
    DEFAULT_MEMO_SIZE,
    StemCache,
    Stemmer,
    build_stem_cache,
    read_stem_cache,
)
from monitor.text.stopwords import default_stopwords
from tests.text.test_cnorm import assert_same, benchmark_stream, needs_extension
from tests.text.test_cnorm_words import PLAIN_WORDS, stat, with_case

pytestmark = [
    needs_extension,
    pytest.mark.skipif(not C_STEMMER_AVAILABLE, reason="the C stemmer is not built"),
]

Trio = tuple[Normalizer, Normalizer, Normalizer]

ROOTS = [
    "sebar",
    "bagi",
    "ingat",
    "bohong",
    "bahaya",
    "vaksin",
    "perintah",
    "hapus",
    "tahu",
    "kirim",
    "pukul",
    "ajar",
    "tolong",
    "makan",
    "lapor",
    "dengar",
]
PREFIXES = ["", "me", "mem", "men", "meng", "meny", "ber", "ter", "di", "ke", "se", "pe", "per"]
SUFFIXES = ["", "kan", "an", "i", "nya", "lah", "ku", "mu", "pun", "kah", "isasi"]


class PythonStemmer(Stemmer):
    """A plain subclass: the compiled path then calls ``stem`` in Python for every stem."""


@functools.cache
def _fast() -> FastStemmer:
    """One FastStemmer for every stemmer here (it holds no state, only the dictionary)."""
    return FastStemmer()


@functools.cache
def _seed_cache() -> Path:
    """A small stem cache file shared (read-only) by the stemmers of these tests."""
    path = Path(tempfile.mkdtemp(prefix="pantau-stems-")) / "seed.tsv"
    words = [p + r + s for r in ROOTS[::2] for p in PREFIXES[:6] for s in SUFFIXES[:4]]
    build_stem_cache([*words, *PLAIN_WORDS[::3]], path)
    return path


def _stemmer(
    cls: type[Stemmer] = Stemmer,
    path: Path | None = None,
    max_new_words: int = DEFAULT_MAX_NEW_WORDS,
    memo_size: int = DEFAULT_MEMO_SIZE,
) -> Stemmer:
    cache = StemCache(path or _seed_cache(), max_new_words=max_new_words)
    return cls(cache=cache, memo_size=memo_size, fast=_fast())


def _trio(
    max_new_words: int = DEFAULT_MAX_NEW_WORDS,
    stem_memo: int = DEFAULT_MEMO_SIZE,
    path: Path | None = None,
    **kwargs: object,
) -> Trio:
    """(stems in C, stems in Python on the compiled path, Python reference) normalizers."""
    made = []
    for cls, compiled in ((Stemmer, True), (PythonStemmer, True), (Stemmer, False)):
        stemmer = _stemmer(cls, path, max_new_words, stem_memo)
        made.append(Normalizer(stemmer=stemmer, compiled=compiled, **kwargs))  # type: ignore[arg-type]
    c_stems, py_stems, reference = made
    assert c_stems._fast is not None and c_stems._fast.stems
    assert py_stems._fast is not None and not py_stems._fast.stems
    assert reference._fast is None
    return c_stems, py_stems, reference


def _state(normalizer: Normalizer) -> tuple[object, ...]:
    stemmer = normalizer.stemmer
    return (
        stemmer.computed,
        stemmer.cache.new_words,
        stemmer.cache.entries,
        stemmer._memo_used,
        len(stemmer.memo),
        stemmer.memo._young,
        stemmer.memo._old,
    )


def assert_agree(
    normalizers: Trio, texts: Sequence[str], batch: int = 500, *, evicting: bool = False
) -> None:
    """Same results and the same stemmer state after every batch.

    ``evicting``: the stem memo is in use and too small to keep every word it is given. The
    compiled path asks for some stems more often than the reference (it does not share the
    reference's word memo), so once the memo forgets words the reference recomputes fewer
    of them: stems in C must then leave the state the compiled path with stems in Python
    leaves (results still equal the reference's).
    """
    c_stems, py_stems, reference = normalizers
    for start in range(0, len(texts), batch):
        chunk = list(texts[start : start + batch])
        want = reference.normalize_many(chunk)
        for normalizer in (c_stems, py_stems):
            for raw, got, expected in zip(
                chunk, normalizer.normalize_many(chunk), want, strict=True
            ):
                assert_same(got, expected, raw)
        assert _state(c_stems) == _state(py_stems)
        if not evicting:
            assert _state(c_stems) == _state(reference)


def test_the_stream_sample_gives_the_python_results_and_stemmer_state() -> None:
    normalizers = _trio()
    assert_agree(normalizers, benchmark_stream(6000))
    c_stems, py_stems, reference = normalizers
    assert reference.stemmer.computed > 1000
    assert reference.stemmer.cache.new_words == reference.stemmer.computed
    # Nearly every stem and most stabilisations are answered in C...
    assert stat(c_stems, "c_stems") > 10_000
    # Python: the first stem (it loads the cache file) and the rare words that are neither
    # [a-z]+ nor one hyphenated pair such as anak-anak (stage 2b) or rupa-rupa (stage 3e).
    assert stat(c_stems, "python_stems") < 0.001 * stat(c_stems, "c_stems")
    assert stat(c_stems, "c_stable") > 1000
    assert stat(c_stems, "c_stable") > 0.9 * stat(c_stems, "stable_calls")
    # ... and no stem without stems in C; then only tokens with digits, whose test asks the
    # stems (if any) through the stem() callback, are stabilised in C.
    assert stat(py_stems, "c_stems") == 0
    assert 0 < stat(py_stems, "c_stable") < 0.5 * stat(c_stems, "c_stable")
    assert stat(py_stems, "python_stems") > 10_000


def test_a_first_stem_in_c_loads_the_cache_in_python_then_answers_in_c() -> None:
    normalizer, _py, _ref = _trio()
    assert normalizer.stemmer._entries is None
    normalizer.normalize_many(["menyebarkan pemberitahuan", "berbahaya kebohongan"])
    assert stat(normalizer, "python_stems") == 1
    assert stat(normalizer, "c_stems") >= 3
    assert normalizer.stemmer._entries is normalizer.stemmer.cache.entries


@pytest.mark.parametrize("max_new_words", [0, 1, 7, 200])
def test_a_full_cache_gives_the_same_results_and_counters(max_new_words: int) -> None:
    normalizers = _trio(max_new_words=max_new_words)
    texts = benchmark_stream(2500)
    assert_agree(normalizers, texts)
    c_stems, _py, reference = normalizers
    assert reference.stemmer.cache.new_words == max_new_words
    assert reference.stemmer._memo_used
    assert stat(c_stems, "python_stems") > 0  # the memo is Python's
    assert stat(c_stems, "c_stems") > 0  # cache and dictionary hits still are not
    # Room again in the cache: the memo stays in use, as in Python.
    for normalizer in normalizers:
        normalizer.stemmer.cache.max_new_words += 50
    assert_agree(normalizers, [*texts[:300], *benchmark_stream(3500)[2500:]])


@pytest.mark.parametrize("stem_memo", [2, 3, 10])
def test_a_tiny_stem_memo_gives_the_same_results_and_counters(stem_memo: int) -> None:
    normalizers = _trio(max_new_words=30, stem_memo=stem_memo)
    assert_agree(normalizers, benchmark_stream(1500), batch=200, evicting=True)
    assert stat(normalizers[0], "c_stems") > 0


def test_the_recording_stemmer_records_the_same_words() -> None:
    texts = benchmark_stream(1500)
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert compiled._fast is not None and compiled._fast.plain_words
    assert not compiled._fast.stems  # it must see every word asked
    for start in range(0, len(texts), 300):
        chunk = list(texts[start : start + 300])
        for raw, got, want in zip(
            chunk, compiled.normalize_many(chunk), reference.normalize_many(chunk), strict=True
        ):
            assert_same(got, want, raw)
    assert list(recorders[0].asked) == list(recorders[1].asked)
    assert stat(compiled, "c_stems") == 0
    assert stat(compiled, "python_stems") > 0


def test_unusual_stemmers_keep_their_stems_in_python(tmp_path: Path) -> None:
    class Cache(StemCache):
        pass

    shadowed = _stemmer()
    shadowed.stem = shadowed.stem  # type: ignore[method-assign]
    added = _stemmer()
    added.cache.add = added.cache.add  # type: ignore[method-assign]
    cases: list[Stemmer] = [
        _stemmer(PythonStemmer),
        Stemmer(cache=Cache(_seed_cache()), fast=_fast()),
        Stemmer(cache=StemCache(_seed_cache()), fast=FastStemmer(compiled=False)),
        shadowed,
        added,
    ]
    texts = list(benchmark_stream(300))
    reference = Normalizer(stemmer=_stemmer(), compiled=False)
    want = reference.normalize_many(texts)
    for stemmer in cases:
        normalizer = Normalizer(stemmer=stemmer)
        assert normalizer._fast is not None and not normalizer._fast.stems
        for raw, got, expected in zip(texts, normalizer.normalize_many(texts), want, strict=True):
            assert_same(got, expected, raw)
        assert stemmer.computed == reference.stemmer.computed
        assert stat(normalizer, "c_stems") == 0
    # Without stage 2 there is no call_stem at all.
    off = Normalizer(stemmer=_stemmer(), compiled_words=False)
    assert off._fast is not None and not off._fast.stems


def test_python_stems_in_between_see_and_leave_the_same_state(tmp_path: Path) -> None:
    normalizers = _trio()
    texts = benchmark_stream(1200)
    extra = ["perlindungan", "kesehatan", "vaksinasi", "sebarluaskan", "anak-anak", "Ibu"]
    for start in (0, 400, 800):
        assert_agree(normalizers, texts[start : start + 400])
        for normalizer in normalizers:
            assert [normalizer.stemmer.stem(w) for w in extra] == [
                normalizers[2].stemmer.stem(w) for w in extra
            ]
        assert _state(normalizers[0]) == _state(normalizers[2])
    saved = []
    for i, normalizer in enumerate(normalizers):
        path = tmp_path / f"saved{i}.tsv"
        normalizer.stemmer.cache.save(path)
        saved.append(path.read_text(encoding="utf-8"))
    assert saved[0] == saved[1] == saved[2]
    assert read_stem_cache(tmp_path / "saved0.tsv") == normalizers[2].stemmer.cache.entries


def test_an_empty_cache_file_and_custom_lexicons(tmp_path: Path) -> None:
    """Stems learnt from nothing; stopword stems and slang roots send tokens to _stable."""
    stopwords = {*default_stopwords(), "ingat", "tahu", "sebar"}
    slang = SlangLexicon(
        [("bahaya", "berbahaya sekali"), ("hapus", "dihapus"), ("bohong", "hoaks"), ("gw", "saya")]
    )
    words = [p + r + s for r in ROOTS for p in PREFIXES for s in SUFFIXES[:5]]
    texts = [" ".join(words[i : i + 9]) for i in range(0, len(words), 9)]
    texts += [with_case(t, i) for i, t in enumerate(texts[:40])]
    normalizers = _trio(path=tmp_path / "none.tsv", stopwords=stopwords, slang=slang)
    assert_agree(normalizers, texts, batch=40)
    c_stems = normalizers[0]
    assert stat(c_stems, "c_stable") > 0
    assert stat(c_stems, "stable_calls") > stat(c_stems, "c_stable")  # slang roots
    assert not (tmp_path / "none.tsv").exists()


WORDS = st.one_of(
    st.builds(
        lambda p, r, s: p + r + s,
        st.sampled_from(PREFIXES),
        st.sampled_from(ROOTS) | st.text("abdegiklmnoprstuy", min_size=1, max_size=9),
        st.sampled_from(SUFFIXES),
    ),
    st.sampled_from(PLAIN_WORDS),
)
POSTS = st.lists(
    st.one_of(WORDS, WORDS.map(str.capitalize), WORDS.map(lambda w: w + "!")), max_size=20
).map(" ".join)


@functools.cache
def _shared(max_new_words: int, stem_memo: int = DEFAULT_MEMO_SIZE) -> Trio:
    """Normalizers shared by a property test's examples (built on first use)."""
    path = Path(tempfile.mkdtemp(prefix="pantau-stems-")) / "none.tsv"
    return _trio(max_new_words=max_new_words, stem_memo=stem_memo, path=path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(POSTS, max_size=6))
def test_affixed_words_give_the_python_results_and_state(texts: list[str]) -> None:
    assert_agree(_shared(DEFAULT_MAX_NEW_WORDS), texts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(POSTS, max_size=6))
def test_affixed_words_with_a_small_cache_give_the_python_results_and_state(
    texts: list[str],
) -> None:
    assert_agree(_shared(40), texts)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(POSTS, max_size=6))
def test_affixed_words_with_a_small_cache_and_memo_give_the_python_results(
    texts: list[str],
) -> None:
    assert_agree(_shared(40, 16), texts, evicting=True)


# --- call_stem and call_stable on any word, through FastNormalizer.stem / .stable ------------
ODD_WORDS = [
    "",
    "a",
    "anak-anak",
    "Vaksin",
    "vaksin2",
    "covid19",
    "é",
    "café",
    "ibu",
    "ingat",
    "peringatan",
    "yg",
    "bansosnya",
    "wkwkwk",
    "hahaha",
    "bangeeet",
    "x" * 40,
    "x" * 41,
    "me" + "n" * 30 + "kan",
    "ber" + "a" * 70,
    "kata kata",
    "mem-",
]
TOKENS = st.one_of(
    WORDS,
    st.sampled_from(ODD_WORDS),
    st.sampled_from(sorted(default_stopwords())),
    st.text("abdegikmnrstuyAZ-'1é ", max_size=12),
)


def _assert_direct_calls_agree(normalizers: Trio, tokens: Sequence[str]) -> None:
    compiled, _py, reference = normalizers
    fast = compiled._fast
    assert fast is not None
    for token in tokens:
        assert fast.stem(token) == reference.stemmer.stem(token), token
        assert _state(compiled) == _state(reference), token
        assert fast.stable(token) == " ".join(reference._stable(token)), token
        assert _state(compiled) == _state(reference), token


def test_call_stem_and_call_stable_on_hand_picked_words() -> None:
    words = [
        *ODD_WORDS,
        *PLAIN_WORDS,
        *(p + r + s for r in ROOTS[:4] for p in PREFIXES for s in SUFFIXES),
    ]
    for max_new_words in (DEFAULT_MAX_NEW_WORDS, 3):
        normalizers = _trio(max_new_words=max_new_words, path=Path(tempfile.mkdtemp()) / "x.tsv")
        _assert_direct_calls_agree(normalizers, words + words[::-1])
        compiled = normalizers[0]
        assert stat(compiled, "c_stems") > 0
        assert stat(compiled, "c_stable") > 0
        assert stat(compiled, "python_stems") > 0  # "", "anak-anak", "é": Python's
        assert stat(compiled, "stable_calls") > stat(compiled, "c_stable")


# Sastrawi's plural rule: one '-' between two [a-z]+ parts is answered in C; a particle after
# the '-', more than one '-' or a part the C stemmer refuses (too long) stays in Python.
HYPHEN_PAIRS_IN_C = [
    "anak-anak",
    "rupa-rupa",
    "sama-sama",
    "bolak-balik",
    "sayur-mayur",
    "menanti-nanti",
    "tarik-menarik",
    "berlari-lari",
    "kebijakan-kebijakan",
    "pemerintah-pemerintah",
    "tumbuh-tumbuhan",
    "kupu-kupu",
    "lbih-lbih",
    "xq-zz",
    "a-a",
    "dipadepokani-dipadepokani",
]
MAX_WORD_LENGTH = 64  # _cstem.MAX_WORD_LENGTH (checked below, where the extension is built)
HYPHEN_WORDS_IN_PYTHON = [
    "rumah-nya",
    "anak-ku",
    "buku-pun",
    "anak-anak-nya",
    "kata-kata-kata",
    "-anak",
    "anak-",
    "anak--anak",
    "x" * (MAX_WORD_LENGTH + 1) + "-anak",
    "anak-" + "x" * (MAX_WORD_LENGTH + 1),
    "anak-" + "x" * (MAX_WORD_LENGTH - 1),  # "me" + its second part is too long
]


def test_hyphenated_pairs_are_stemmed_in_c_as_sastrawi_does() -> None:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from monitor.text import _cstem

    assert _cstem.MAX_WORD_LENGTH == MAX_WORD_LENGTH
    sastrawi = StemmerFactory().create_stemmer()
    normalizers = _trio(path=Path(tempfile.mkdtemp()) / "x.tsv")
    compiled = normalizers[0]
    assert compiled._fast is not None
    compiled._fast.stem("rumah")  # the first stem loads the cache file in Python
    for words, stems_in_c in ((HYPHEN_PAIRS_IN_C, True), (HYPHEN_WORDS_IN_PYTHON, False)):
        for word in words:
            python_stems = stat(compiled, "python_stems")
            assert compiled._fast.stem(word) == sastrawi.stem(word), word
            assert (stat(compiled, "python_stems") == python_stems) == stems_in_c, word
            assert normalizers[2].stemmer.stem(word) == sastrawi.stem(word), word
            assert _state(compiled) == _state(normalizers[2]), word
            _assert_direct_calls_agree(normalizers, [word])
    # Each stem was computed once (then answered from the cache), as in Python.
    assert compiled.stemmer.computed == normalizers[2].stemmer.computed


# Tokens that _stable maps to themselves though they are not [a-z]+ (hyphenated words whose
# stem is a stopword or themselves, numbers, codes and leet that deleet cannot read), answered
# in C, and tokens of the same shapes that are no fixed point, left to Python.
FIXED_IN_C = [
    *("asal-asalan", "sayur-mayur", "bolak-balik", "kupu-kupu", "rupa-rupa", "kapan-kapan"),
    *("2026", "7", "covid19", "m30ndok", "g20", "2hari"),
]
NOT_FIXED = [
    *("anak-anak", "rumah-rumah", "menanti-nanti", "kebijakan-kebijakan", "anak-anak-nya"),
    *("s3n4ng", "anak2", "t3rbukt1"),
]


def test_hyphenated_and_digit_tokens_are_stabilised_in_c_when_fixed() -> None:
    normalizers = _trio(path=Path(tempfile.mkdtemp()) / "x.tsv")
    compiled, _py, reference = normalizers
    assert compiled._fast is not None
    compiled._fast.stem("rumah")  # the first stem loads the cache file in Python
    reference.stemmer.stem("rumah")
    for tokens, fixed in ((FIXED_IN_C, True), (NOT_FIXED, False)):
        for token in tokens:
            c_stable = stat(compiled, "c_stable")
            _assert_direct_calls_agree(normalizers, [token])
            assert (stat(compiled, "c_stable") > c_stable) == fixed, token
            assert (reference._stable(token) == (token,)) == fixed, token


def test_call_stem_is_python_without_stems_in_c() -> None:
    _c, py_stems, reference = _trio()
    assert py_stems._fast is not None
    assert py_stems._fast.stem("menyebarkan") == reference.stemmer.stem("menyebarkan")
    assert stat(py_stems, "c_stems") == 0
    assert stat(py_stems, "python_stems") == 1
    with pytest.raises(RuntimeError):
        Normalizer(compiled_words=False)._fast.stem("vaksin")  # type: ignore[union-attr]


@functools.cache
def _shared_direct(max_new_words: int) -> Trio:
    return _trio(max_new_words=max_new_words, path=Path(tempfile.mkdtemp()) / "x.tsv")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TOKENS, max_size=30), st.sampled_from([DEFAULT_MAX_NEW_WORDS, 60]))
def test_call_stem_and_call_stable_give_the_python_answers(
    tokens: list[str], max_new_words: int
) -> None:
    _assert_direct_calls_agree(_shared_direct(max_new_words), tokens)
