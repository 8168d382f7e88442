"""Stage 3c of the compiled path: a chunk that is one hashtag, with safe punctuation after it.

An ASCII chunk of at most 64 characters ``#X P*`` (``X = [A-Za-z0-9][A-Za-z0-9_]*``, ``P``
stage 3a's safe punctuation) is split into words in C (camel case, then the segmentation
of lowercase runs into known words) and each word gets its stage-2 part
(``analyse_hashtag_chunk`` in ``_cnorm.c``); a chunk with a digit, or with a word stage 2
gives up on, goes to Python whole. Compared, each with its own normalizer (independent
memos): the Python reference (``compiled=False``), the C path with ``hashtag_chunks`` off
and with it on.
"""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import hashtags, pipeline
from monitor.text.charnorm import clean_text
from monitor.text.hashtags import MAX_SEGMENTED_RUN, segment, split_hashtag
from monitor.text.pipeline import Normalizer, _RecordingStemmer, token_matches
from monitor.text.slang import SlangLexicon
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

# What the C side looks at (its own test, written independently of the regex it relies on).
_HASHTAG_SHAPE = re.compile(r'#[A-Za-z0-9][A-Za-z0-9_]*[.,!?;:"()]*')
_CHUNK_MAX = 64

# Runs with several shortest segmentations: the longest first word wins.
TIES = ["egosanjung", "egosupaya", "egoskuilu", "egosudu", "egosakang"]
HASHTAGS = [
    "#TolakHoaks",
    "#tolakhoaks",
    "#TOLAKHOAKS",
    "#tolakHoaks",
    "#Tolak_Hoaks",
    "#tolak_hoaks_",
    "#BPJSGratis",
    "#BPJSgratis",
    "#2019GantiPresiden",
    "#GantiPresiden2019",
    "#dirumahaja",
    "#DiRumahAja",
    "#DIRUMAHAJA",
    "#Bora?",
    "#a",
    "#A",
    "#A_b",
    "#a__B",
    "#x1",
    "#1",
    "#1x",
    "#_a",
    "#",
    "##a",
    "#a#b",
    "#Hoaks!!!",
    "#hoaks!?!?",
    '#hoaks."',
    "#hoaks(),;:",
    "#ABCdef",
    "#aBC",
    "#ABC",
    "#ABCDe",
    "#AbC",
    "#aB",
    "#Ab",
    "#AB",
    "#aBcDeF",
    "#AaBbCc",
    "#yang",
    "#YangDan",
    "#dan_yang",
    "#amatolbobokkambuh",
    "#SaanenOndokAmatol",
    "#SecerekBahadur",
    "#Kenyut",
    "#tetassuperkonduktivitasstilbestrol!!!",
    "#vaksinhoaks",
    "#menyebarkanhoaks",
    "#sebarkan",
    "#SebarkanKebenaran",
    "#wkwkwk",
    "#HAHAHA",
    "#Mantaaap",
    "#ygbener",
    "#yg",
    "#bansosnya",
    "#xqzxqzxqz",
    "#xqzvaksin",
    "#vaksinxqz",
    "#" + "tolak" * 8,  # a 40-letter run: segmented
    "#" + "tolak" * 8 + "x",  # 41: kept whole, then too long for a word
    "#" + "tolak" * 4,
    "#" + "vaksin" * 10,
    "#" + "a" * 63,
    "#" + "ab" * 31 + "!",
    "#" + "Ab" * 31 + "!",
    "#" + "Ab" * 32,
    "#" + "xq" * 20,
    "#hoaks-x",
    "#hoaks'x",
    "#hoaks/x",
    "#hoaks@x",
    "#hoaks.x",
    "#hoaks..",
    "(#hoaks)",
    "#url",
    "#www",
    "#www.",
    "#emoji",
    "#laugh",
    "#ngakak",
    "#lol",
    "#hoaks\u00e9",
    "#h\u00f6aks",
    *(f"#{run}" for run in TIES),
    *(f"#{run.upper()}!" for run in TIES),
]


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(C path with stage 3c, C path without it, Python reference), same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    without = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and without._fast is not None
    without._fast.hashtag_chunks = False
    assert full._fast.hashtag_chunks and full._fast.plain_words
    assert not without._fast.hashtag_chunks
    return full, without, reference


def _claim(chunk: str) -> bool:
    """Whether ``chunk`` (as cleaned) has the shape stage 3c looks at."""
    return len(chunk) <= _CHUNK_MAX and chunk.isascii() and bool(_HASHTAG_SHAPE.fullmatch(chunk))


def _assert_one_match(chunk: str) -> None:
    """The tokenizer's view of a claimed chunk: one hashtag match, ``#X``, and nothing else."""
    assert _claim(chunk), chunk
    tag_end = len(chunk.rstrip(SAFE))
    matches = [(m.lastgroup, m.span()) for m in token_matches(chunk)]
    assert matches == [("hashtag", (0, tag_end))], chunk


@functools.cache
def _plain_in_c(word: str) -> bool:
    """Whether stage 2 analyses ``word`` (default lexicons) in C: a fresh C path each time."""
    probe = Normalizer()
    probe.normalize(word)
    return stat(probe, "c_words") == 1


def _taken(chunk: str) -> bool:
    """Whether stage 3c takes ``chunk`` (default lexicons): the shape, memoised (the C side
    looks only at chunks it may memoise), no digit, and every word of its split one that
    stage 2 handles."""
    if not _claim(chunk) or len(chunk) > pipeline.MAX_MEMO_CHUNK:
        return False
    if any(c.isdigit() for c in chunk):
        return False
    return all(map(_plain_in_c, split_hashtag(chunk.rstrip(SAFE), _reference()._is_segment)))


@functools.cache
def _reference() -> Normalizer:
    return Normalizer(compiled=False)


def test_stage_three_c_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    for normalizer in (Custom(), Normalizer(compiled_words=False)):
        assert normalizer._fast is not None
        normalizer._fast.hashtag_chunks = True
        assert not normalizer._fast.hashtag_chunks
        normalizer.normalize_many(["#TolakHoaks #vaksin"])
        assert stat(normalizer, "c_hashtags") == 0


def test_the_claimed_chunks_are_one_tokenizer_match() -> None:
    claimed = [chunk for chunk in HASHTAGS if _claim(chunk)]
    assert len(claimed) > 80
    for chunk in claimed:
        _assert_one_match(chunk)
    # The edges of the shape, as the regex sees them.
    assert [m.lastgroup for m in token_matches("#_a")] == ["word"]
    assert [m.group() for m in token_matches("#a#b")] == ["#a", "#b"]
    assert [m.lastgroup for m in token_matches("#hoaks-x")] == ["hashtag", "word"]
    assert [m.lastgroup for m in token_matches("#www.")] == ["hashtag"]


@settings(max_examples=300, deadline=None)
@given(
    st.text("abcXYZ019_", min_size=1, max_size=20).filter(lambda x: x[0] != "_"),
    st.text(SAFE, max_size=6),
)
def test_hashtag_shapes_are_one_match(tag: str, after: str) -> None:
    _assert_one_match("#" + tag + after)


def test_camel_parts_as_the_c_side_reads_the_regex() -> None:
    # The backtracking of [A-Z]+(?![a-z]) (see camel_part in _cnorm.c).
    assert hashtags.camel_parts("BPJSGratis") == ["BPJS", "Gratis"]
    assert hashtags.camel_parts("ABCdef") == ["AB", "Cdef"]
    assert hashtags.camel_parts("aBC") == ["a", "BC"]
    assert hashtags.camel_parts("ABC") == ["ABC"]
    assert hashtags.camel_parts("A_b") == ["A", "b"]
    assert hashtags.camel_parts("AbC") == ["Ab", "C"]
    assert split_hashtag("#egosupaya", _reference()._is_segment) == [
        "egos",
        "upaya",
    ]


def test_the_hand_made_chunks_give_the_python_results() -> None:
    for chunk in HASHTAGS:  # one fresh set of normalizers per chunk: a cold memo each time
        full, without, reference = _normalizers()
        assert_three_agree((full, without, reference), [chunk, f"{chunk} {chunk} x", chunk])
        taken = sum(map(_taken, clean_text(chunk).split()))
        assert stat(full, "c_hashtags") == taken, chunk
        assert stat(without, "c_hashtags") == stat(without, "python_hashtags") == 0
    full, without, reference = _normalizers()
    assert_three_agree((full, without, reference), [" ".join(HASHTAGS), *HASHTAGS])
    assert stat(full, "c_hashtags") > 50
    assert stat(full, "python_hashtags") > 0  # digits in X still go to Python
    assert stat(full, "segment_probes") > 500


class _CountingSet(frozenset[str]):
    """A frozenset that counts membership tests."""

    probes = 0

    def __contains__(self, item: object) -> bool:
        type(self).probes += 1
        return super().__contains__(item)


def test_the_segmentation_probes_the_known_words_as_python_does() -> None:
    # Same loops in the same order: as many known-word lookups as Normalizer._is_segment.
    taken = sorted({c for c in HASHTAGS if _taken(c)})
    assert len(taken) > 40
    full = _normalizers()[0]
    full.normalize_many(taken)
    assert stat(full, "c_hashtags") == len(taken)
    counting = Normalizer(compiled=False)
    counting.known = _CountingSet(counting.known)
    for chunk in taken:
        split_hashtag(chunk.rstrip(SAFE), counting._is_segment)
    assert stat(full, "segment_probes") == _CountingSet.probes > 500


def test_which_chunks_are_taken() -> None:
    full, without, reference = _normalizers()
    taken = ["#TolakHoaks", "#tolakhoaks", "#Bora?", "#ABCdef", "#ABC", "#" + "tolak" * 8]
    taken += ["#xqzxqz", "#egosupaya", "#ygbener", "#Tolak_Hoaks!!", "#SaanenOndokAmatol"]
    # Words of stage 2b: slang (bpjs, aja), single letters, laughter, elongated.
    taken += ["#BPJSGratis!", "#dirumahaja", "#A_b", "#aBC", "#wkwkwk", "#Mantaaap"]
    # A digit, or a word that stage 2 gives up on (too long).
    given_up = ["#2019GantiPresiden", "#x1", "#" + "tolak" * 8 + "x"]
    not_taken = [*given_up, "#hoaks-x", "##a", "#_a", "#" + "Ab" * 32]
    assert_three_agree((full, without, reference), [" ".join(taken)])
    assert stat(full, "c_hashtags") == len(taken)
    assert stat(full, "python_chunks") == 0
    assert stat(full, "python_hashtags") == 0
    assert_three_agree((full, without, reference), [" ".join(not_taken)])
    assert stat(full, "c_hashtags") == len(taken)
    assert stat(full, "python_chunks") == len(not_taken)
    assert stat(full, "python_hashtags") == len(given_up)


def test_ties_and_long_runs_segment_like_python() -> None:
    is_word = _reference()._is_segment
    for run in TIES:  # several shortest segmentations: the test is meaningful
        cuts = [k for k in range(2, len(run) - 1) if is_word(run[:k]) and is_word(run[k:])]
        assert len(cuts) >= 2, run
    assert len(segment("tolak" * 8, is_word)) == 8
    assert segment("tolak" * 8 + "x", is_word) == ["tolak" * 8 + "x"]
    assert len("tolak" * 8) == MAX_SEGMENTED_RUN
    assert_three_agree(_normalizers(), [f"#{run} #{run.upper()} #{run}!" for run in TIES])


def test_custom_lexicons_are_honoured() -> None:
    stopwords = {"tolak", "ini", "aja", "vaksin", "hoakshoaks", "egos"}
    slang = SlangLexicon([("hoaks", "bohong"), ("bansos", "bantuan sosial"), ("gw", "saya")])
    texts = [
        "#TolakHoaks #tolakhoaks #dirumahaja #hoakshoaks #egosupaya",
        "#GwTolak #vaksinbansos #VAKSININI #bansosnya #inivaksin!!",
        *TIES,
        *HASHTAGS,
    ]
    for kwargs in (
        {"stopwords": stopwords},
        {"slang": slang},
        {"stopwords": stopwords, "slang": slang},
    ):
        normalizers = _normalizers(**kwargs)
        assert_three_agree(normalizers, texts + list(benchmark_stream(500)))
        assert stat(normalizers[0], "c_hashtags") > 0


def test_the_lexicons_must_be_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    good = Normalizer()._compiled_hashtag_lexicons()
    assert good is not None
    known = good[0]
    assert isinstance(known, frozenset)

    def lexicons(words: object) -> object:
        return lambda self: (words, *good[1:])

    # A word set holding something that is not a str: stage 3c stays off.
    monkeypatch.setattr(Normalizer, "_compiled_hashtag_lexicons", lexicons(known | {1}))
    odd = Normalizer()
    assert odd._fast is not None and not odd._fast.hashtag_chunks
    assert_three_agree((odd, odd, Normalizer(compiled=False)), ["#TolakHoaks #egosupaya"])
    assert stat(odd, "c_hashtags") == 0
    # Not a frozenset: refused.
    monkeypatch.setattr(Normalizer, "_compiled_hashtag_lexicons", lexicons(set(known)))
    with pytest.raises(TypeError):
        Normalizer()
    not_ascii = (known, *good[1:3], ("x\u00e9",), *good[4:])
    monkeypatch.setattr(Normalizer, "_compiled_hashtag_lexicons", lambda self: not_ascii)
    with pytest.raises(TypeError):
        Normalizer()
    monkeypatch.setattr(Normalizer, "_compiled_hashtag_lexicons", lambda self: (known,))
    with pytest.raises(TypeError):
        Normalizer()


def test_a_tiny_memo_gives_the_same_results() -> None:
    texts = [t for t in benchmark_stream(3000) if "#" in t] + [" ".join(HASHTAGS)] * 3
    for size in (2, 3, 10, 101):
        normalizers = _normalizers(memo_size=size)
        assert_three_agree(normalizers, texts, batch=50)
        assert stat(normalizers[0], "c_hashtags") > 0
        assert normalizers[0]._fast is not None and normalizers[0]._fast.memo_len() <= size


def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = [t for t in benchmark_stream(5000) if "#" in t] + HASHTAGS
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert compiled._fast is not None and compiled._fast.hashtag_chunks
    assert_batches_agree(compiled, reference, texts, batch=100)
    assert list(recorders[0].asked) == list(recorders[1].asked)
    assert stat(compiled, "c_hashtags") > 100


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_hashtags") > 300
    assert stat(normalizers[1], "c_hashtags") == 0


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())


_WORDS = ["tolak", "hoaks", "vaksin", "di", "rumah", "aja", "yang", "ego", "sanjung", "yg"]
_WORDS += ["bpjs", "gratis", "wkwk", "mantaaap", "ber", "kan", "nya", "xq", "a", "tni"]
_TAGS = st.builds(
    lambda words, case, sep, after: "#" + with_case(sep.join(words), case) + after,
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6),
    st.integers(0, 255),
    st.sampled_from(["", "", "_"]),
    st.text(SAFE, max_size=3),
)
_RAW_TAGS = st.builds(
    lambda body, after: "#" + body + after,
    st.text("aAbBkKoOsStTyYgG_019", min_size=0, max_size=_CHUNK_MAX + 2),
    st.text(SAFE + "#-'@/", max_size=3),
)
HASHTAG_POSTS = st.lists(st.one_of(_TAGS, _RAW_TAGS, st.sampled_from(HASHTAGS)), max_size=10).map(
    " ".join
)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _normalizers()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HASHTAG_POSTS, max_size=6))
def test_posts_of_hashtags_give_the_python_results(texts: list[str]) -> None:
    assert_agree_and_claims_match(
        _shared(), texts, lambda chunk: bool(_claim(chunk)), _assert_one_match
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(HASHTAG_POSTS, min_size=1, max_size=4))
def test_fresh_normalizers_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_normalizers(memo_size=50), texts * 2)


def test_the_segmentation_constants_are_the_ones_given() -> None:
    lexicons = Normalizer()._compiled_hashtag_lexicons()
    assert lexicons is not None
    assert lexicons[1:] == (
        pipeline._SHORT_SEGMENTS,
        pipeline._SEGMENT_PREFIXES,
        pipeline._SEGMENT_SUFFIXES,
        hashtags.MAX_SEGMENTED_RUN,
        hashtags.MAX_WORD,
    )
