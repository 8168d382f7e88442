"""Stage 2 of the compiled path: plain ``[a-z]+`` words analysed in C give the Python results.

Three ways are compared, each with its own normalizer (independent memos): the Python
reference (``compiled=False``), stage 1 only (``compiled_words=False``: every new chunk goes
to ``Normalizer._analyse_chunk``) and stage 1+2 (the default).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import features as feat
from monitor.text.charnorm import clean_text
from monitor.text.langid import marker_words
from monitor.text.pipeline import Normalizer, _RecordingStemmer
from monitor.text.slang import SlangLexicon, default_slang
from monitor.text.stopwords import NEGATIONS, default_stopwords
from tests.text.test_cnorm import (
    assert_batches_agree,
    assert_same,
    benchmark_stream,
    needs_extension,
)
from tests.text.test_golden import PAIRS

pytestmark = needs_extension

# The safe punctuation the C side takes around a word (SAFE_PUNCT in cnorm/07_word_chunks.c).
SAFE = '.,!?;:"()'


def _three(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stage 1+2, stage 1 only, Python reference) normalizers with the same lexicons."""
    both = Normalizer(**kwargs)  # type: ignore[arg-type]
    stage1 = Normalizer(compiled_words=False, **kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert both._fast is not None and both._fast.plain_words
    assert stage1._fast is not None and not stage1._fast.plain_words
    return both, stage1, reference


def assert_three_agree(
    normalizers: tuple[Normalizer, Normalizer, Normalizer],
    texts: Sequence[str],
    batch: int = 1000,
) -> None:
    both, stage1, reference = normalizers
    for start in range(0, len(texts), batch):
        chunk = list(texts[start : start + batch])
        want = reference.normalize_many(chunk)
        for got in (both.normalize_many(chunk), stage1.normalize_many(chunk)):
            for raw, g, w in zip(chunk, got, want, strict=True):
                assert_same(g, w, raw)


def assert_golden_inputs_agree(normalizers: tuple[Normalizer, Normalizer, Normalizer]) -> None:
    """The golden file's inputs give the reference's results in batches, one at a time and
    again from the memo (the last normalizer is the Python reference)."""
    texts = [raw for _n, raw, _e in PAIRS]
    assert_three_agree(normalizers, texts, batch=37)
    for raw in texts:
        want = normalizers[2].normalize(raw)
        for normalizer in normalizers[:2]:
            assert_same(normalizer.normalize(raw), want, raw)


def assert_agree_and_claims_match(
    normalizers: tuple[Normalizer, Normalizer, Normalizer],
    texts: Sequence[str],
    claims: Callable[[str], bool],
    assert_one_match: Callable[[str], None],
) -> None:
    """:func:`assert_three_agree`, then every chunk of ``texts`` (as cleaned) that a stage
    ``claims`` is checked against the tokenizer with ``assert_one_match``."""
    assert_three_agree(normalizers, texts)
    for text in texts:
        for chunk in clean_text(text).split():
            if claims(chunk):
                assert_one_match(chunk)


def stat(normalizer: Normalizer, name: str) -> int:
    """One of the C path's counters (``FastNormalizer.stats()``)."""
    assert normalizer._fast is not None
    return normalizer._fast.stats()[name]


def with_case(text: str, pattern: int) -> str:
    """``text`` with letters upper-cased where ``pattern``'s bits say so (cyclically)."""
    return "".join(c.upper() if pattern >> (i % 8) & 1 else c for i, c in enumerate(text))


def _sample(words: object, n: int, seed: int) -> list[str]:
    return sorted(random.Random(seed).sample(sorted(words), n))  # type: ignore[call-overload]


_MARKERS = [
    w for lang in ("jv", "su", "en", "ms", "id") for w in _sample(marker_words()[lang], 15, 1)
]
_SLANG = _sample(default_slang().keys(), 40, 2)
PLAIN_WORDS = sorted(
    {
        *_SLANG,
        *(key + clitic for key in _SLANG[:15] for clitic in ("nya", "ku", "lah")),
        *_sample(default_stopwords(), 40, 3),
        *NEGATIONS,
        *_MARKERS,
        *feat.spread_codes(),
        "wkwk",
        "wkwkwk",
        "hahaha",
        "hehe",
        "xixixi",
        "lol",
        "lmao",
        "ngakakk",
        "bahwa",
        "kwkwkw",
        "awokawok",
        "bangeeet",
        "mantaaap",
        "bansosnya",
        "hoaxnya",
        "sebarkan",
        "viralkan",
        "bagikan",
        "peringatan",
        "pemberitahuan",
        "berbahaya",
        "vaksin",
        "pemerintah",
        "menyebarkan",
        "dihapus",
        "kebohongan",
        "ha",
        "a",
        "xyzzy",
        "q" * 41,
        "b" * 40,
        "mengkomunikasikan",
    }
)
WORD_POSTS = st.lists(
    st.one_of(
        st.sampled_from(PLAIN_WORDS),
        st.sampled_from(PLAIN_WORDS).map(str.upper),
        st.sampled_from(PLAIN_WORDS).map(lambda w: w + "!"),
        st.sampled_from(PLAIN_WORDS).map(lambda w: "#" + w),
        st.text("abhkwlo", min_size=1, max_size=8),
    ),
    max_size=25,
).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _three()


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _three()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    stats = normalizers[0]._fast.stats()  # type: ignore[union-attr]
    assert stats["c_words"] > 10_000
    assert normalizers[1]._fast.stats()["c_words"] == 0  # type: ignore[union-attr]


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_three())


def test_plain_words_are_analysed_in_c_only_when_stage_two_is_on() -> None:
    both, stage1, reference = _three()
    words = ["vaksin", "berbahaya", "sebarkan", "peringatan", "yang", "kami", "wkwk", "yg"]
    assert_three_agree((both, stage1, reference), [" ".join(words)])
    assert both._fast is not None and stage1._fast is not None
    stats = both._fast.stats()
    # "wkwk" (laughter) and "yg" (slang) are analysed by stage 2b (the general path, see
    # test_cnorm_general_words.py); the other six by stage 2 proper.
    assert stats["c_words"] == 8
    assert stats["c_general_words"] == 2
    assert stats["c_laughter"] == 1
    assert stats["python_chunks"] == 0
    assert stats["slang"] == 0
    assert stats["maybe_laughter"] == 0
    assert stage1._fast.stats()["c_words"] == 0
    assert stage1._fast.stats()["python_chunks"] == len(words)
    # The C path does not write the Python word memo; the Python paths still agree.
    assert both._words.get("vaksin") is None
    assert_three_agree((both, stage1, reference), ["#vaksin vaksin, VAKSIN vaksin"])


def test_compiled_words_false_and_subclasses_keep_stage_one() -> None:
    class Custom(Normalizer):
        pass

    assert Custom()._fast is not None
    assert not Custom()._fast.plain_words  # type: ignore[union-attr]
    assert not Normalizer(compiled_words=False)._fast.plain_words  # type: ignore[union-attr]


def test_custom_lexicons_are_honoured() -> None:
    stopwords = {"penting", "ini", "saja", "vaksin", "peringatan", "hoaks"}
    slang = SlangLexicon([("vaksin", "suntik"), ("bansos", "bantuan sosial"), ("gw", "saya")])
    texts = [
        "yg penting vaksin aman",
        "Berita ini HOAKS!! sebarkan bansosnya",
        "kata biasa saja peringatan ingat",
        "gw vaksinnya bansos bansoslah menyebarkan kebohongan",
    ]
    for kwargs in (
        {"stopwords": stopwords},
        {"slang": slang},
        {"stopwords": stopwords, "slang": slang},
    ):
        normalizers = _three(**kwargs)
        assert_three_agree(normalizers, texts + list(benchmark_stream(1000)))


def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = list(benchmark_stream(2000))
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert compiled._fast is not None and compiled._fast.plain_words
    assert_batches_agree(compiled, reference, texts, batch=300)
    assert list(recorders[0].asked) == list(recorders[1].asked)


def test_a_tiny_memo_stays_bounded_and_gives_the_same_results() -> None:
    texts = list(benchmark_stream(3000))
    for size in (2, 3, 10, 101):
        normalizers = _three(memo_size=size)
        assert_three_agree(normalizers, texts, batch=250)
        for normalizer in normalizers[:2]:
            assert normalizer._fast is not None
            assert normalizer._fast.memo_len() <= size
        assert len(normalizers[0]._words) <= size


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORD_POSTS, max_size=8))
def test_posts_rich_in_plain_words_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_shared(), texts)


@settings(max_examples=60, deadline=None)
@given(st.lists(WORD_POSTS, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_the_order_of_arrival_does_not_matter(texts: list[str], rng: random.Random) -> None:
    # Fresh normalizers each time: which path (C, word memo, hashtag) meets a word first
    # varies with the order.
    batch = texts * 2
    rng.shuffle(batch)
    assert_three_agree(_three(memo_size=50), batch)


def test_the_hand_picked_words_give_the_python_results() -> None:
    normalizers = _three()
    assert_three_agree(normalizers, [*PLAIN_WORDS, " ".join(PLAIN_WORDS)], batch=64)
    stats = normalizers[0]._fast.stats()  # type: ignore[union-attr]
    # Elongated, slang, clitic-slang and laughter words are analysed by stage 2b.
    for name in ("c_words", "c_general_words", "c_laughter", "too_long"):
        assert stats[name] > 0, name
    for name in ("slang", "elongated", "clitic_slang", "maybe_laughter"):
        assert stats[name] == 0, name
    assert stats["marker_words"] > 0
    assert stats["stable_calls"] > 0
