"""Stage 3a of the compiled path: one ASCII word with capitals and/or safe punctuation around it.

A chunk ``P* W P*`` (``W`` one run of ``[A-Za-z]``, each ``P`` one of ``. , ! ? ; : " ( )``)
whose lowercase word stage 2 handles is analysed in C (``analyse_word_chunk`` in
``_cnorm.c``). Compared, each with its own normalizer (independent memos): the Python
reference (``compiled=False``), stage 1+2 only (``word_chunks`` switched off) and stage
1+2+3a (the default).
"""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text.charnorm import clean_text
from monitor.text.pipeline import MAX_WORD, Normalizer, token_matches
from monitor.text.slang import SlangLexicon
from tests.text.test_cnorm import benchmark_stream, needs_extension
from tests.text.test_cnorm_words import (
    PLAIN_WORDS,
    SAFE,
    assert_golden_inputs_agree,
    assert_three_agree,
    stat,
    with_case,
)

pytestmark = needs_extension

UNSAFE = "'-/@#_&*+=%$<>[]{}~^|`\\0123456789"
# The chunks stage 3a may take (the C side also requires lower(W) to be stage-2 plain and
# sends W in RESERVED to Python when punctuation follows it).
_CANDIDATE = re.compile(r"[.,!?;:\"()]*([A-Za-z]+)[.,!?;:\"()]*")
RESERVED = frozenset({"www", "url", "emoji", "laugh"})

TRICKY = [
    "Vaksin",
    "VAKSIN",
    "vAkSiN",
    "vaksin,",
    "(vaksin)",
    '"hoaks"',
    "benar?!",
    "Hoaks!!!",
    "...",
    "!!!",
    "url:",
    "url:x",
    "url:.",
    "url:-",
    "URL:.",
    "emoji:",
    "emoji:.",
    "laugh:haha",
    "laugh:.",
    "Laugh!",
    "www.x",
    "www.,",
    "WWW.!",
    "www.",
    "Www.Detik.com",
    "detik.com",
    "Detik.com,",
    "e-mail",
    "E-mail!",
    "dont'",
    "'kata'",
    "a.b",
    "A.b",
    "x@y",
    "#Tag",
    "@User",
    "Rp.",
    "Rp.5",
    "COVID19,",
    "Sebarkan!!",
    "SEBARKAN",
    "Wkwkwk!!",
    "WKWK",
    "Hahaha?",
    "Bangeeett!",
    "Bansosnya?",
    "Gk,",
    "YG!",
    "(Jangan)",
    "TIDAK!",
    "Http:",
    "https.",
    "(Yang)",
    "Dan,",
    "Peringatan!!!",
    "PEMERINTAH:",
    "Menyebarkan;",
    "??Berbahaya??",
    ":(",
    ":)Vaksin",
    "Vaksin:)",
    '("Vaksin!")',
    "vaksin.Hoaks",
    "Vaksin..hoaks",
    "Vaksin-hoaks",
    "Vaksin_",
    "_Vaksin",
    "Vaksin/",
    "Vaksin&",
    "Vaksin2",
    "Vaksín!",
    "VAKSIN\u2019",
    "Q" * 41 + "!",
    "B" * 40 + ",",
    "(" + "a" * 46 + ")",
    "(" + "Ab" * 23 + ")",
    "!" * 44 + "Vaksin",
]


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stage 1+2+3a, stage 1+2, Python reference) normalizers with the same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    stage2 = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and full._fast.word_chunks
    assert stage2._fast is not None
    stage2._fast.word_chunks = False
    assert stage2._fast.plain_words and not stage2._fast.word_chunks
    return full, stage2, reference


def _may_take(normalizer: Normalizer, chunk: str) -> bool:
    """Whether stage 3a is allowed to analyse ``chunk`` (the C side may still decline)."""
    match = _CANDIDATE.fullmatch(chunk)
    if match is None or re.fullmatch("[a-z]+", chunk) or len(chunk) > 48:
        return False
    word = match.group(1).lower()
    if word in RESERVED and match.end(1) < len(chunk):
        return False
    if normalizer._plain_word(word) is not None:
        return True
    # Stage 2b takes the words _plain_word declines (elongated, slang, clitic-slang,
    # laughter) unless they are too long.
    return len(word) <= MAX_WORD


def test_stage_three_a_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    assert Custom()._fast is not None
    assert not Custom()._fast.word_chunks  # type: ignore[union-attr]
    assert not Normalizer(compiled_words=False)._fast.word_chunks  # type: ignore[union-attr]


def test_the_tokenizer_sees_only_the_word_in_a_safe_chunk() -> None:
    # The claim analyse_word_chunk rests on, checked on every safe shape around a few words.
    words = ["Vaksin", "a", "X", "wWwx", "Urls", "EMOJIS", "laughs", "http", "Rp", "https", "ww"]
    shapes = ["{}", "{}.", ".{}", "({})", '"{}"', "{}?!", "{}:", "{}:.", "{}...", "{}.,;"]
    shapes += [p + "{}" + q for p in SAFE for q in SAFE]
    for word in words:
        for shape in shapes:
            chunk = shape.format(word)
            matches = [(m.lastgroup, m.group()) for m in token_matches(chunk)]
            assert matches == [("word", word)], chunk
    # ... and why the reserved words are reserved.
    assert [m.lastgroup for m in token_matches("url:.")] == ["special"]
    assert [m.lastgroup for m in token_matches("www.,")] == ["url"]
    assert [m.lastgroup for m in token_matches("WWW.!")] == ["url"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(SAFE, max_size=4),
    st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=10),
    st.text(SAFE, max_size=4),
)
def test_the_tokenizer_property(before: str, word: str, after: str) -> None:
    if after and word.lower() in RESERVED:
        return
    matches = [(m.lastgroup, m.group()) for m in token_matches(before + word + after)]
    assert matches == [("word", word)]


def test_the_tricky_chunks_give_the_python_results() -> None:
    for chunk in TRICKY:  # one fresh set of normalizers per chunk: a cold memo each time
        full, stage2, reference = _normalizers()
        before = stat(full, "c_word_chunks")
        assert_three_agree((full, stage2, reference), [chunk, f"{chunk} {chunk}", chunk])
        taken = stat(full, "c_word_chunks") - before
        if not any(_may_take(reference, c) for c in clean_text(chunk).split()):
            assert taken == 0, chunk
        assert stat(stage2, "c_word_chunks") == 0
    full, stage2, reference = _normalizers()
    assert_three_agree((full, stage2, reference), [" ".join(TRICKY), *TRICKY])
    for name in ("c_word_chunks", "python_word_chunks"):
        assert stat(full, name) > 0, name


def test_which_chunks_are_taken() -> None:
    full, _stage2, reference = _normalizers()
    taken = ["Vaksin", "VAKSIN", "vAkSiN", "vaksin,", "(vaksin)", '"hoaks"', "benar?!"]
    taken += ["Sebarkan!!", "SEBARKAN", "(Jangan)", "TIDAK!", "??Berbahaya??"]
    taken += ["Bangeeett!", "Gk,", "Bansosnya?", "Rp.", "Wkwkwk!!"]  # stage 2b words
    for chunk in taken:
        assert _may_take(reference, chunk), chunk
    assert_three_agree((full, _stage2, reference), [" ".join(taken)])
    assert stat(full, "c_word_chunks") == len(taken)
    assert stat(full, "python_chunks") == 0
    not_taken = ["url:", "url:x", "url:.", "www.,", "emoji:"]
    not_taken += ["e-mail", "dont'", "'kata'", "a.b", "#Tag", "@User"]
    not_taken += ["COVID19,", "...", "!!!", "Vaksin-hoaks", "Vaksin2", "Laugh!", "vaksin"]
    for chunk in not_taken:
        assert not _may_take(reference, chunk), chunk
    assert_three_agree((full, _stage2, reference), [" ".join(not_taken)])
    assert stat(full, "c_word_chunks") == len(taken)
    # "vaksin" is stage 2; "www.," (a URL) and "@User" (a mention) are stage 3b; "#Tag" (a
    # hashtag) is stage 3c; "e-mail" and "Vaksin-hoaks" (hyphenated words) are stage 3d;
    # "COVID19," and "Vaksin2" (letters and digits) are stage 3e.
    assert stat(full, "python_chunks") == len(not_taken) - 8


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_word_chunks") > 5_000
    assert stat(normalizers[1], "c_word_chunks") == 0


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())


def test_custom_lexicons_are_honoured() -> None:
    stopwords = {"penting", "ini", "saja", "vaksin", "peringatan", "hoaks"}
    slang = SlangLexicon([("vaksin", "suntik"), ("bansos", "bantuan sosial"), ("gw", "saya")])
    texts = [
        "YG penting, Vaksin aman!",
        "Berita INI HOAKS!! (sebarkan) Bansosnya?",
        "Kata biasa saja; PERINGATAN: ingat",
        '"Gw" vaksinnya? BANSOS, Bansoslah! Menyebarkan kebohongan...',
        " ".join(TRICKY),
    ]
    for kwargs in (
        {"stopwords": stopwords},
        {"slang": slang},
        {"stopwords": stopwords, "slang": slang},
    ):
        normalizers = _normalizers(**kwargs)
        assert_three_agree(normalizers, texts + list(benchmark_stream(1000)))
        assert stat(normalizers[0], "c_word_chunks") > 0


_WORDS = sorted({*PLAIN_WORDS, *(c for c in TRICKY if len(c) < 20)})
_CHUNKS = st.builds(
    lambda before, word, case, after: before + with_case(word, case) + after,
    st.text(SAFE + UNSAFE, max_size=3),
    st.sampled_from(_WORDS),
    st.integers(0, 255),
    st.text(SAFE + UNSAFE, max_size=3),
)
CHUNK_POSTS = st.lists(
    st.one_of(
        _CHUNKS,
        st.builds(
            lambda before, word, case, after: before + with_case(word, case) + after,
            st.text(SAFE, max_size=3),
            st.sampled_from(_WORDS),
            st.integers(0, 255),
            st.text(SAFE, max_size=3),
        ),
        st.sampled_from(TRICKY),
    ),
    max_size=20,
).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _normalizers()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CHUNK_POSTS, max_size=8))
def test_posts_of_punctuated_words_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_shared(), texts)


@settings(max_examples=40, deadline=None)
@given(st.lists(CHUNK_POSTS, min_size=1, max_size=6))
def test_fresh_normalizers_give_the_python_results(texts: list[str]) -> None:
    # Fresh memos: which path (C chunk, C word, Python word memo) meets a word first varies.
    assert_three_agree(_normalizers(memo_size=50), texts * 2)
