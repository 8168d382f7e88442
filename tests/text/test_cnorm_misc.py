"""Stage 3d of the compiled path: number chunks, hyphenated words and dotted mentions.

An ASCII chunk of at most 48 characters that is a number (``Rp494.000``, ``7/10/2024,``,
``64%``), a hyphenated word (``sama-sama``, ``SEKURANG-KURANGNYA!!``) or a mention with a
dot and digits (``@kadingyo.1268``), with stage 3a's safe punctuation around it, is analysed
in C (``analyse_misc_chunk`` in ``_cnorm.c``). Compared, each with its own normalizer
(independent memos): the Python reference (``compiled=False``), the compiled path with
``misc_chunks`` off and with it on.
"""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text.charnorm import clean_text
from monitor.text.pipeline import MAX_WORD, Normalizer, _RecordingStemmer, token_matches
from monitor.text.slang import SlangLexicon, default_slang
from tests.text.test_cnorm import assert_batches_agree, benchmark_stream, needs_extension
from tests.text.test_cnorm_words import (
    SAFE,
    assert_agree_and_claims_match,
    assert_golden_inputs_agree,
    assert_three_agree,
    stat,
    with_case,
)

pytestmark = needs_extension

_P = r"[.,!?;:\"()]*"
MAX_CHUNK = 48
COUNTERS = ("c_numbers", "c_hyphen_words", "c_dotted_mentions")
# What the C side takes (its own description, written independently of the tokenizer).
_NUMBER_SHAPE = re.compile(
    rf"{_P}((?:[Rr][Pp]\.?)?[0-9]+(?:[.,:/][0-9]+)+%?|[0-9]+%){_P}", re.ASCII
)
_HYPHEN_SHAPE = re.compile(rf"{_P}([A-Za-z]+(?:-[A-Za-z]+)+){_P}", re.ASCII)
_MENTION_SHAPE = re.compile(rf"(@[A-Za-z0-9_]+)\.([0-9]+){_P}", re.ASCII)

CHUNKS = [
    # numbers
    "Rp494.000",
    "rp494.000",
    "RP494.000",
    "rP.5.000",
    "Rp.5,000,000.",
    "Rp5.000!!",
    "(Rp850.000)",
    "7/10/2024",
    "14/11/2021,",
    "12:30",
    "12:30:45?",
    "1.2.3.4.5",
    "1,5%",
    "64%",
    "64%!",
    "64%%",
    "%64",
    "Rp64%",
    "Rp5",
    "Rp.5",
    "Rp..5.000",
    "Rp",
    "Rp.",
    "5.",
    "5..5",
    "5./5",
    ".5.000",
    "...5.000...",
    "5.000.",
    "5.000,-",
    "5.000-an",
    "5.000an",
    "5.000rb",
    "1/2/",
    "1/2/x",
    "1/2@x.co",
    "2019",
    "20!",
    "5G",
    "10.000x",
    "x10.000",
    "Rp5.000/bulan",
    "url:5.000",
    "9" * 48,
    "9." + "9" * 46,
    "9." + "9" * 47,
    "(" * 44 + "1.00",
    "1.2" + "!" * 45,
    "1.2" + "!" * 46,
    # hyphenated words
    "menanti-nanti",
    "teringat-ingat??",
    "SEKURANG-KURANGNYA",
    "sama-sama",
    "Sama-Sama!",
    "(kira-kira)",
    "masing-masing,",
    "anak-anak",
    "anak-anaknya",
    "obat-obatan",
    "mantaaap-mantaaap",
    "bangeeet-banget",
    "anaak-anaaak",  # "anak-anak" is no _is_known candidate: not isalpha, not listed
    "Baaagus-baguus",
    "wkwk-wkwk",
    "haha-hihi",
    "gw-gw",
    "yg-yg",
    "www-x.",
    "url-x:",
    "http-x",
    "emoji-x:",
    "laugh-haha",
    "a-b",
    "a-b-c-d-e",
    "-a-b",
    "a-b-",
    "a--b",
    "a-'b",
    "a'b-c",
    "a-b.c",
    "a-b_c",
    "a-b2",
    "2a-b",
    "a-b#c",
    "a-b/c",
    "a" * 20 + "-" + "b" * 19,
    "a" * 20 + "-" + "b" * 20,
    "A" * 20 + "-" + "B" * 19 + "!" * 8,
    "a" * 20 + "-" + "b" * 19 + "!" * 9,
    # dotted mentions
    "@kadingyo.1268",
    "@tobake.1309",
    "@Gira.7663!!",
    "@a.1",
    "@_.007",
    "@x_9.12,",
    "@x.12.",
    "@x.12...",
    "@x.12.34",
    "@x.12,34",
    "@x.12:",
    "@x.12%",
    "@x.12a",
    "@x.b",
    "@x.",
    "@.12",
    "@x..12",
    "@x.12@y.co",
    "a@x.12",
    ".@x.12",
    "(@x.12)",
    "@x.12/3",
    "@x.12-3",
    "@x.12#",
    "@" + "a" * 40 + ".123456",
    "@" + "a" * 40 + ".1234567",
    "@" + "a" * 40 + ".12345" + ")",
    "@budi.santoso",
]


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stage 3d on, stage 3d off, Python reference) normalizers with the same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    without = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and without._fast is not None
    assert full._fast.misc_chunks
    without._fast.misc_chunks = False
    assert not without._fast.misc_chunks and without._fast.word_chunks
    return full, without, reference


def _claim(chunk: str, normalizer: Normalizer | None = None) -> str | None:
    """The counter that stage 3d moves for ``chunk`` (as cleaned), else ``None``."""
    if len(chunk) > MAX_CHUNK or not chunk.isascii():
        return None
    if _NUMBER_SHAPE.fullmatch(chunk):
        return "c_numbers"
    match = _HYPHEN_SHAPE.fullmatch(chunk)
    if match:
        return "c_hyphen_words" if len(match.group(1)) <= MAX_WORD else None
    match = _MENTION_SHAPE.fullmatch(chunk)
    if match:
        slang = normalizer.slang if normalizer is not None else default_slang()
        return "c_dotted_mentions" if slang.lookup(match.group(2)) is None else None
    return None


def _assert_tokenizer_agrees(chunk: str) -> None:
    """The tokenizer's view of a claimed chunk, as the C side's argument says."""
    kind = _claim(chunk)
    assert kind is not None, chunk
    matches = [(m.lastgroup, m.span()) for m in token_matches(chunk)]
    if kind == "c_numbers":
        match = _NUMBER_SHAPE.fullmatch(chunk)
        assert match is not None
        assert matches == [("number", match.span(1))], chunk
    elif kind == "c_hyphen_words":
        match = _HYPHEN_SHAPE.fullmatch(chunk)
        assert match is not None
        assert matches == [("word", match.span(1))], chunk
    else:
        match = _MENTION_SHAPE.fullmatch(chunk)
        assert match is not None
        assert matches == [("mention", match.span(1)), ("word", match.span(2))], chunk


def _assert_counts(full: Normalizer, chunks: list[str], before: dict[str, int]) -> None:
    claims = [_claim(c, full) for c in chunks]
    for name in COUNTERS:
        assert stat(full, name) - before[name] == claims.count(name), (name, chunks)


def test_stage_three_c_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    custom = Custom()
    assert custom._fast is not None
    custom._fast.misc_chunks = True
    assert not custom._fast.misc_chunks
    plain = Normalizer(compiled_words=False)
    assert plain._fast is not None
    plain._fast.misc_chunks = True
    assert not plain._fast.misc_chunks
    for normalizer in (custom, plain):
        normalizer.normalize_many(["Rp5.000 sama-sama @x.12"])
        assert all(stat(normalizer, name) == 0 for name in COUNTERS)


def test_the_claimed_chunks_are_the_tokenizer_matches() -> None:
    claimed = [chunk for chunk in CHUNKS if _claim(chunk) is not None]
    assert len(claimed) > 50
    for chunk in claimed:
        _assert_tokenizer_agrees(chunk)
    # The edges of the shapes, as the regex sees them.
    assert [m.lastgroup for m in token_matches("Rp5")] == ["word"]
    assert [m.group() for m in token_matches("Rp..5.000")] == ["Rp", "5.000"]
    assert [m.lastgroup for m in token_matches("@x.12.34")] == ["mention", "number"]
    assert [m.lastgroup for m in token_matches(".@x.12")] == ["email"]
    assert [m.lastgroup for m in token_matches("www-x.")] == ["word"]


def test_the_hand_made_chunks_give_the_python_results() -> None:
    for chunk in CHUNKS:  # one fresh set of normalizers per chunk: a cold memo each time
        full, without, reference = _normalizers()
        before = full._fast.stats()  # type: ignore[union-attr]
        assert_three_agree((full, without, reference), [chunk, f"{chunk} {chunk} x", chunk])
        _assert_counts(full, clean_text(chunk).split(), before)
        assert all(stat(without, name) == 0 for name in COUNTERS)
    full, without, reference = _normalizers()
    assert_three_agree((full, without, reference), [" ".join(CHUNKS), *CHUNKS])
    assert stat(full, "c_numbers") > 20
    assert stat(full, "c_hyphen_words") > 20
    assert stat(full, "c_dotted_mentions") > 10


def test_which_chunks_are_taken() -> None:
    full, without, reference = _normalizers()
    taken = ["Rp494.000", "7/10/2024,", "(64%)", "sama-sama", "SEKURANG-KURANGNYA!!"]
    taken += ["@kadingyo.1268", "@x.12."]
    # Left to others: plain digit words (another stage's), and shapes not proven here.
    not_taken = ["Rp5", "2019", "20!", "5G", "a-b-", "a--b", "@x.12.34", "@x.b", ".@x.12"]
    not_taken += ["a" * 20 + "-" + "b" * 20, "1/2/", "5.000an", "a-b2", "(@x.12)"]
    for chunk in taken:
        assert _claim(chunk) is not None, chunk
    for chunk in not_taken:
        assert _claim(chunk) is None, chunk
    assert_three_agree((full, without, reference), [" ".join(taken)])
    assert [stat(full, name) for name in COUNTERS] == [3, 2, 2]
    assert stat(full, "python_chunks") == 0
    assert_three_agree((full, without, reference), [" ".join(not_taken)])
    assert [stat(full, name) for name in COUNTERS] == [3, 2, 2]


def test_custom_lexicons_are_honoured() -> None:
    slang = SlangLexicon(
        [
            ("sama-sama", "bersama"),
            ("kira-kira", "kurang lebih"),
            ("gw-gw", "saya saya"),
            ("anak-anak", "anak anak"),
            ("1268", "seribu"),
            ("007", "agen"),
            ("mantap-mantap", "hebat"),
            ("hoaks-hoaks", "berita bohong berita"),
        ]
    )
    stopwords = {"sama-sama", "menanti-nanti", "anak", "hebat", "1309"}
    texts = [
        "sama-sama kira-kiranya Kira-Kira!! gw-gw anak-anak anak-anaklah",
        "@kadingyo.1268 @tobake.1309 @a.007, @b.1268!!",
        "mantaaap-mantaaap mantap-mantapnya hoaks-hoaks menanti-nanti Rp5.000",
    ]
    for kwargs in (
        {"slang": slang},
        {"stopwords": stopwords},
        {"slang": slang, "stopwords": stopwords},
    ):
        normalizers = _normalizers(**kwargs)
        before = normalizers[0]._fast.stats()  # type: ignore[union-attr]
        assert_three_agree(normalizers, texts + list(benchmark_stream(500)))
        if "slang" in kwargs:  # a slang key of digits goes to Python
            assert stat(normalizers[0], "c_dotted_mentions") - before["c_dotted_mentions"] >= 1
        assert stat(normalizers[0], "c_hyphen_words") > 8


def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = [" ".join(CHUNKS), *benchmark_stream(2000)]
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert compiled._fast is not None and compiled._fast.misc_chunks
    assert_batches_agree(compiled, reference, texts, batch=300)
    assert list(recorders[0].asked) == list(recorders[1].asked)
    assert stat(compiled, "c_hyphen_words") > 20


def test_a_tiny_memo_gives_the_same_results() -> None:
    normalizers = _normalizers(memo_size=4)
    texts = [" ".join(CHUNKS[i : i + 5]) for i in range(0, len(CHUNKS), 5)]
    assert_three_agree(normalizers, texts * 3, batch=7)
    assert stat(normalizers[0], "c_numbers") > len(texts)  # analysed again after eviction


_NUMBER_PIECES = st.builds(
    lambda before, text, after: before + text + after,
    st.text(SAFE, max_size=3),
    st.text("0123456789.,:/%RrPp", min_size=1, max_size=14),
    st.text(SAFE + "%-/@a", max_size=3),
)
_HYPHEN_PIECES = st.builds(
    lambda before, text, case, after: before + with_case(text, case) + after,
    st.text(SAFE, max_size=3),
    st.text("aehkmnsw-", min_size=1, max_size=14),
    st.integers(0, 255),
    st.text(SAFE + "-'_2", max_size=3),
)
_MENTION_PIECES = st.builds(
    lambda before, name, digits, after: before + "@" + name + digits + after,
    st.sampled_from(["", "", ".", "(", "a"]),
    st.text("aB_9", min_size=0, max_size=6),
    st.text("0123456789.", min_size=0, max_size=6),
    st.text(SAFE + "@%-/a", max_size=3),
)
MISC_POSTS = st.lists(
    st.one_of(
        _NUMBER_PIECES, _HYPHEN_PIECES, _MENTION_PIECES, st.sampled_from(CHUNKS), st.just("vaksin")
    ),
    max_size=12,
).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _normalizers()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MISC_POSTS, max_size=6))
def test_posts_of_these_shapes_give_the_python_results(texts: list[str]) -> None:
    assert_agree_and_claims_match(
        _shared(), texts, lambda chunk: _claim(chunk) is not None, _assert_tokenizer_agrees
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_NUMBER_PIECES, _HYPHEN_PIECES, _MENTION_PIECES), min_size=1, max_size=8))
def test_exactly_the_claimed_chunks_are_taken(chunks: list[str]) -> None:
    full, without, reference = _normalizers(memo_size=50)
    before = full._fast.stats()  # type: ignore[union-attr]
    distinct = list(dict.fromkeys(c for chunk in chunks for c in clean_text(chunk).split()))
    assert_three_agree((full, without, reference), [" ".join(chunks)] * 2)
    _assert_counts(full, distinct, before)


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_numbers") > 300
    assert stat(normalizers[0], "c_hyphen_words") > 20
    assert stat(normalizers[0], "c_dotted_mentions") > 50
    assert all(stat(normalizers[1], name) == 0 for name in COUNTERS)


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())
