"""Stage 3e of the compiled path: one ASCII alphanumeric run with a digit, safe punctuation around.

A chunk ``P* X P*`` (``X`` one run of ``[A-Za-z0-9]`` holding a digit, each ``P`` one of
``. , ! ? ; : " ( )``, at most 48 characters) is analysed in C (``analyse_digit_chunk`` in
``_cnorm.c``: ``is_number``, ``split_number_word``, ``expand_reduplication``, ``deleet`` and
the tail of ``Normalizer._word``), unless ``lower(X)`` or the word it resolves to is slang or
elongated. Compared, each with its own normalizer (independent memos): the Python reference
(``compiled=False``), stages 1+2+3a+3b (``digit_words`` switched off) and all stages.
"""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text.charnorm import clean_text
from monitor.text.elongation import is_elongated
from monitor.text.pipeline import (
    MAX_WORD,
    Normalizer,
    _Acc,
    _RecordingStemmer,
    token_matches,
)
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

UNSAFE = "'-/@#_%&*+=$<>[]{}"
# What the C side takes (written independently of the tokenizer it relies on).
_SHAPE = re.compile(r"[.,!?;:\"()]*([A-Za-z0-9]*[0-9][A-Za-z0-9]*)[.,!?;:\"()]*")
MAX_CHUNK = 48

DIGIT_WORDS = [
    # reduplication written with 2
    "rupa2",
    "Rupa2",
    "RUPA2!",
    "masing2",
    "tumbuh2an",
    "anak2nya",
    "anak2",
    "Anak2Nya?",
    "pagi2",
    "swanamanya2",
    "kata2nya",
    "obat2an",
    "ke2",
    "abc2",
    "ab2",
    "a2",
    "ab2c2",
    "rupa22",
    "rupa2x",
    "rupa2pun",
    "rupa2kan",
    "rupa2i",
    "rupa2lah",
    "rupa2ku",
    "rupa2mu",
    "bom2an",
    "4nak2",
    "4nak2nya",
    "r4mai2",
    "x9z2",
    "b3rs4ma2",
    "pelan2",
    "emak2",
    "sama2",
    "hihi2",
    "haha2",
    "wkwk2",
    "kaa2an",
    "aaa2",
    "tiba2",
    "lbih2",
    "ber4pa2",
    "2an",
    # numbers, with units, glued to words
    "2019",
    "20!",
    "(2019)",
    '"2019",',
    "2019.",
    "2019...",
    "0",
    "007",
    "5G",
    "5g",
    "2x",
    "50rb",
    "Rp50",
    "rp5ribu",
    "RP5abc",
    "rp",
    "rp5rp",
    "10k",
    "3hari",
    "2hari",
    "4ja",
    "4sal",
    "4yang",
    "1jin",
    "5aja",
    "53laku",
    "24jamnya",
    "12th",
    "1st",
    "2nd",
    "100kg",
    "7an",
    "9wib",
    "10menit",
    "5tidak",
    "5yang",
    "3di",
    "4kuh",
    # leet and codes
    "covid19",
    "COVID19,",
    "g20",
    "G20!",
    "h5n1",
    "s3n4ng",
    "S3N4NG!!",
    "t3rbukt1",
    "k4mu",
    "pr3siden",
    "f1tnah",
    "c1nta",
    "b0d0ng",
    "5kr1p51",
    "m3mayuk4n",
    "l4g1",
    "d1mn",
    "w0w",
    "h4h4",
    "y4",
    "m4u",
    "4pa",
    "g4k",
    "s4y4",
    "or4ng",
    "b41k",
    "t1d4k",
    "b3rb4h4y4",
    "m3ny3b4rk4n",
    "p3r1ng4t4n",
    "s3l4m4t",
    "s3b4rk4n",  # spread words
    "v1r4lk4n",
    "b4g1k4n",
    "5h4re",
    "y4ng",  # stopwords
    "d4n",
    "5ebelum",
    "6u16u1",  # bulbul: the 16th and last candidate tried
    "11n661",  # linggi would be the 17th: not tried
    "abu1",
    "4bui",
    "4ir1",
    "4p1i",
    "1111a",
    "a1111",
    "a2222",
    "b00m",
    "l00l",
    "1ol",
    "x1x1",
    "www2",
    "url2",
    "emoji2",
    "laugh2",
    "http2",
    "mp3",
    "MP4",
    "h2o",
    "a1b2c3",
    "k4k4k",
    "ooo0",
    # punctuation around, and shapes that are not this stage's
    "(rupa2)",
    "rupa2?!",
    '"s3n4ng";',
    ":2019:",
    "((g20))",
    "2019%",
    "64%",
    "1.5",
    "50.000",
    "Rp50.000",
    "20.",
    ".20",
    "20,",
    "20:",
    "20:30",
    "20/30",
    "rupa2-rupa2",
    "rupa2'",
    "2019#",
    "#2019",
    "@2019",
    "a_1",
    "rupa2\u00e9",
    "20!a",
    "a!20",
    # edges of MAX_WORD and of the chunk length
    "1" * MAX_WORD,
    "1" * (MAX_WORD + 1),
    "1" * MAX_CHUNK,
    "1" * (MAX_CHUNK + 1),
    "(" + "1" * (MAX_CHUNK - 2) + ")",
    "abcdefghij" * 2 + "2",
    "abcdefghi" + "abcdefghij" + "2",
    "abcdefghij" * 4 + "2",
    "5" + "abcdefghij" * 4,
    "5" + "abcdefghij" * 4 + "a",
    "abcdefghij" * 4 + "0",
    "abcdefghij" * 3 + "abcdefghi" + "0",
    "m3ng" + "abcdefghij" * 4,
]


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(all stages, all but stage 3e, Python reference) normalizers with the same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    without = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and without._fast is not None
    assert full._fast.digit_words
    without._fast.digit_words = False
    assert without._fast.plain_words and not without._fast.digit_words
    assert without._fast.word_chunks and without._fast.link_chunks
    return full, without, reference


def _claim(chunk: str) -> str | None:
    """The alphanumeric run ``X`` when stage 3e may take ``chunk`` (as cleaned), else ``None``."""
    if len(chunk) > MAX_CHUNK or not chunk.isascii():
        return None
    match = _SHAPE.fullmatch(chunk)
    return None if match is None else match.group(1)


def _assert_one_match(chunk: str) -> None:
    """The tokenizer's view of a claimed chunk: one "word" match, its alphanumeric run."""
    word = _claim(chunk)
    assert word is not None, chunk
    start = chunk.index(word)
    matches = [(m.lastgroup, m.span()) for m in token_matches(chunk)]
    assert matches == [("word", (start, start + len(word)))], chunk


class _Watch(Normalizer):
    """A reference normalizer that notes, in ``given_up``, each slang word ``_word`` meets and
    whether the word ``_digits`` resolves to is elongated: where the C side gives up."""

    given_up: list[bool]

    def _slang(self, word: str) -> tuple[str, ...] | None:
        found = super()._slang(word)
        self.given_up.append(found is not None)
        return found

    def _digits(self, word: str, acc: _Acc) -> str | None:
        resolved = super()._digits(word, acc)
        if resolved is not None:
            self.given_up.append(is_elongated(resolved))
        return resolved


def _python_gives(normalizer: Normalizer, chunk: str) -> bool:
    """Whether the C side gives the claimed ``chunk`` up to Python: the word ``_digits``
    resolves ``lower(X)`` to is slang or elongated (seen by running the reference's own
    ``_word``). ``lower(X)`` slang as written takes stage 2b's general path in C, unless it
    is longer than MAX_WORD."""
    word = _claim(chunk)
    assert word is not None
    watch = _Watch.__new__(_Watch)
    watch.__dict__.update(normalizer.__dict__)
    watch.given_up = []
    watch._word(word.lower(), _Acc())
    if watch.given_up[:1] == [True]:  # the first _slang() is of the word as written
        return len(word) > MAX_WORD
    return any(watch.given_up)


def test_stage_three_c_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    custom = Custom()
    assert custom._fast is not None
    custom._fast.digit_words = True
    assert not custom._fast.digit_words
    plain = Normalizer(compiled_words=False)
    assert plain._fast is not None
    plain._fast.digit_words = True
    assert not plain._fast.digit_words
    custom.normalize_many(["rupa2 2019 s3n4ng"])
    assert stat(custom, "c_digit_words") == 0


def test_the_claimed_chunks_are_one_word_match() -> None:
    claimed = [chunk for chunk in DIGIT_WORDS if _claim(chunk) is not None]
    assert len(claimed) > 140
    for chunk in claimed:
        _assert_one_match(chunk)
    # Shapes near the edge, as the regex sees them: not claimed, and rightly so.
    for chunk in ["64%", "1.5", "50.000", "Rp50.000", "20:30", "20/30", "rupa2-rupa2"]:
        assert _claim(chunk) is None, chunk
        assert [m.lastgroup for m in token_matches(chunk)] in (["number"], ["word"]), chunk
    assert [m.lastgroup for m in token_matches("64%")] == ["number"]
    assert [m.lastgroup for m in token_matches("Rp50.000")] == ["number"]
    assert [m.group() for m in token_matches("2019%.")] == ["2019%"]
    assert [m.lastgroup for m in token_matches("rupa2-rupa2")] == ["word"]
    for chunk in ["20.", "20,", "20:", "20.,", "(20):", "Rp5.", "rp5,", "RP5:"]:
        _assert_one_match(chunk)


@settings(max_examples=400, deadline=None)
@given(
    st.text(SAFE, max_size=4),
    st.text("abgrpRPwWuUlh0123456789", min_size=1, max_size=10),
    st.text(SAFE, max_size=4),
)
def test_the_tokenizer_property(before: str, run: str, after: str) -> None:
    chunk = before + run + after
    if _claim(chunk) is not None:
        _assert_one_match(chunk)


def test_the_hand_picked_chunks_give_the_python_results() -> None:
    for chunk in DIGIT_WORDS:  # one fresh set of normalizers per chunk: a cold memo each time
        full, without, reference = _normalizers()
        assert_three_agree((full, without, reference), [chunk, f"{chunk} {chunk} x", chunk])
        claimed = [c for c in clean_text(chunk).split() if _claim(c) is not None]
        c_side = [c for c in claimed if not _python_gives(reference, c)]
        assert stat(full, "c_digit_words") == len(c_side), chunk
        assert stat(full, "python_digit_words") == len(claimed) - len(c_side), chunk
        assert stat(without, "c_digit_words") == stat(without, "python_digit_words") == 0
    full, without, reference = _normalizers()
    assert_three_agree((full, without, reference), [" ".join(DIGIT_WORDS), *DIGIT_WORDS])
    assert stat(full, "c_digit_words") > 100
    assert stat(full, "python_digit_words") > 5


def test_which_chunks_are_taken() -> None:
    full, without, reference = _normalizers()
    taken = ["rupa2", "Rupa2", "swanamanya2,", "2019", "20!", "(2019)", "5G", "2x", "covid19"]
    taken += ["g20", "h5n1", "t3rbukt1", "4nak2", "1" * 48]
    for chunk in taken:
        assert _claim(chunk) is not None and not _python_gives(reference, chunk), chunk
    assert_three_agree((full, without, reference), [" ".join(taken)])
    assert stat(full, "c_digit_words") == len(taken)
    assert stat(full, "python_chunks") == 0
    # Slang as written (masing2, pelan2, k4mu, 4pa, a clitic after slang): stage 2b's path.
    slang = ["masing2", "pelan2", "k4mu", "4pa", "tumbuh2an,", "anak2nya", "s3n4ng", "4ja"]
    for chunk in slang:
        assert _claim(chunk) is not None and not _python_gives(reference, chunk), chunk
    assert_three_agree((full, without, reference), [" ".join(slang)])
    taken += slang
    assert stat(full, "c_digit_words") == len(taken)
    assert stat(full, "python_chunks") == 0
    # Slang or elongated once _digits has resolved them.
    given_up = ["d1mn", "gmn4", "maaaasing2"]
    for chunk in given_up:
        assert _claim(chunk) is not None and _python_gives(reference, chunk), chunk
    not_taken = ["64%", "1.5", "Rp50.000", "rupa2-rupa2", "#2019", "1" * 49, "a_1", "2019/"]
    for chunk in not_taken:
        assert _claim(chunk) is None, chunk
    assert_three_agree((full, without, reference), [" ".join(given_up + not_taken)])
    assert stat(full, "c_digit_words") == len(taken)
    assert stat(full, "python_digit_words") == len(given_up)
    # Stage 3d takes the numbers with a separator or '%' (64%, 1.5, Rp50.000).
    assert stat(full, "c_numbers") == 3
    assert stat(full, "python_chunks") == len(given_up) + len(not_taken) - 3


def test_what_the_c_side_stores_is_the_python_contribution() -> None:
    full, _without, reference = _normalizers()
    for chunk in DIGIT_WORDS:
        for c in clean_text(chunk).split():
            if _claim(c) is None or _python_gives(reference, c):
                continue
            got = full.normalize(c)
            want = reference.normalize(c)
            assert got == want, c
            part = reference._analyse_chunk(c)
            assert got.text == part.text, c


def test_custom_lexicons_are_honoured() -> None:
    stopwords = {"rupa", "anak", "senang", "hari", "ja", "ini"}
    slang = SlangLexicon(
        [
            ("rupa-rupa", "macam"),
            ("anak-anak", "bocah"),
            ("s3n4ng", "gembira"),
            ("senang", "bahagia"),
            ("tumbuh-tumbuh", "flora"),
            ("ja", "saja"),
            ("g4", "tidak"),
        ]
    )
    texts = [
        "rupa2 Rupa2! anak2 anak2nya anak2lah tumbuh2an s3n4ng S3N4NG senang2 4ja g4 g4nya",
        "2019 20! (2019) 5G 2x covid19 g20 h5n1 t3rbukt1 4nak2 pr3siden 3hari 4sal",
        " ".join(DIGIT_WORDS),
    ]
    for kwargs in (
        {"stopwords": stopwords},
        {"slang": slang},
        {"stopwords": stopwords, "slang": slang},
    ):
        normalizers = _normalizers(**kwargs)
        assert_three_agree(normalizers, texts + list(benchmark_stream(1000)))
        assert stat(normalizers[0], "c_digit_words") > 0
        assert stat(normalizers[0], "python_digit_words") > 0


def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = [" ".join(DIGIT_WORDS), *list(benchmark_stream(2000))]
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert compiled._fast is not None and compiled._fast.digit_words
    assert_batches_agree(compiled, reference, texts, batch=300)
    assert list(recorders[0].asked) == list(recorders[1].asked)
    assert stat(compiled, "c_digit_words") > 100


def test_a_tiny_memo_gives_the_same_results() -> None:
    texts = [*DIGIT_WORDS, " ".join(DIGIT_WORDS), *benchmark_stream(1500)]
    for size in (2, 3, 10, 101):
        normalizers = _normalizers(memo_size=size)
        assert_three_agree(normalizers, texts * 2, batch=250)
        for normalizer in normalizers[:2]:
            assert normalizer._fast is not None
            assert normalizer._fast.memo_len() <= size
        assert stat(normalizers[0], "c_digit_words") > 0


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_digit_words") > 1_000
    assert stat(normalizers[1], "c_digit_words") == 0


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())


_ALPHANUMERIC = "aeinorstugkblmph" + "0123456789" + "AENS"
_RUNS = st.one_of(
    st.text(_ALPHANUMERIC, min_size=1, max_size=12),
    st.sampled_from([w for w in DIGIT_WORDS if _claim(w) is not None]),
    st.builds(
        lambda base, suffix: base + "2" + suffix,
        st.text("aeinorstugk0134", min_size=1, max_size=8),
        st.sampled_from(["", "nya", "an", "kan", "i", "lah", "ku", "mu", "pun", "x"]),
    ),
    st.builds(
        lambda number, unit: number + unit,
        st.sampled_from(["", "rp", "Rp"]).flatmap(
            lambda rp: st.text("0123456789", min_size=1, max_size=5).map(lambda d: rp + d)
        ),
        st.sampled_from(["", "rb", "k", "x", "g", "hari", "an", "ja", "yang", "nya", "abc"]),
    ),
)
_CHUNKS = st.builds(
    lambda before, run, case, after: before + with_case(run, case) + after,
    st.text(SAFE + UNSAFE, max_size=3),
    _RUNS,
    st.integers(0, 255),
    st.text(SAFE + UNSAFE, max_size=3),
)
DIGIT_POSTS = st.lists(st.one_of(_CHUNKS, _RUNS), max_size=12).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _normalizers()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DIGIT_POSTS, max_size=6))
def test_posts_of_digit_words_give_the_python_results(texts: list[str]) -> None:
    assert_agree_and_claims_match(
        _shared(), texts, lambda chunk: _claim(chunk) is not None, _assert_one_match
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(DIGIT_POSTS, min_size=1, max_size=4))
def test_fresh_normalizers_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_normalizers(memo_size=50), texts * 2)
