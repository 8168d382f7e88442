"""Stage 2b of the compiled path: elongated, slang, clitic-slang and laughter words.

An ``[a-z]+`` word that ``Normalizer._plain_word`` declines (laughter, elongated, a slang
key, or a clitic after a slang key) is analysed in C by the port of ``Normalizer._word``'s
general path (``analyse_general_word`` and ``analyse_laughter`` in ``_cnorm.c``): the exact
``is_laughter`` test, the slang lookup with clitics, ``collapse_elongation`` with
``_is_known``, the votes, the standard words (``join_reduplication``, spread codes,
``_emit``) and ``_stable``. Stage 3a's chunks (capitals and/or safe punctuation around the
word) use it too. Words longer than ``MAX_WORD`` still go to Python. Compared, each with
its own normalizer (independent memos): the Python reference (``compiled=False``), the
compiled path with the ``general_words`` switch off, and with it on (the default).
"""

from __future__ import annotations

import functools
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import features as feat
from monitor.text.elongation import MAX_VARIABLE_RUNS, is_laughter
from monitor.text.pipeline import MAX_WORD, Normalizer, _RecordingStemmer
from monitor.text.slang import SlangLexicon, default_slang
from monitor.text.stopwords import default_stopwords
from tests.text.test_cnorm import assert_batches_agree, benchmark_stream, needs_extension
from tests.text.test_cnorm_words import (
    SAFE,
    assert_golden_inputs_agree,
    assert_three_agree,
    stat,
    with_case,
)

pytestmark = needs_extension


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stage 2b on, stage 2b off, Python reference) normalizers with the same lexicons."""
    on = Normalizer(**kwargs)  # type: ignore[arg-type]
    off = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert on._fast is not None and off._fast is not None
    assert on._fast.general_words  # on by default
    off._fast.general_words = False
    assert not off._fast.general_words and off._fast.plain_words
    return on, off, reference


def _elongate(word: str, at: int, times: int) -> str:
    """``word`` with its letter at index ``at`` (cyclically) written ``times`` times more."""
    i = at % len(word)
    return word[:i] + word[i] * times + word[i:]


_SLANG = default_slang()
_MULTI = sorted(k for k, v in _SLANG._map.items() if len(v) > 1 and k.isalpha())[:30]
_REDUPLICATED = sorted(
    k for k, v in _SLANG._map.items() if len(v) > 1 and len(set(v)) < len(v) and k.isalpha()
)[:15]
_SPREAD_WORDS = sorted(feat.spread_codes())
_STOPWORDS = sorted(default_stopwords())[:40]

GENERAL_WORDS = sorted(
    {
        # elongated (the examples of elongation.py and the benchmark stream)
        "bangeeett",
        "bangeeet",
        "bangettt",
        "maaaaf",
        "maaaf",
        "mantaaap",
        "lbiiiiiih",
        "amaaaaaan",
        "pernaaaaah",
        "jauuuuuuh",
        "cempaaaaa",
        "kepaaaaaaadanya",
        "undinyaaaa",
        "jangaaan",
        "dibacaaa",
        "dibacaaanya",
        "pemerintaaah",
        "kebohongaaan",
        "xyzzzy",
        "zzz",
        "aaa",
        "eee",
        "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu",  # MAX_WORD letters
        "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu",  # one more: Python
        "mengkomunikasikaaan" + "n" * (MAX_WORD - 20),
        # slang, slang with clitics, elongated slang
        "gk",
        "bgt",
        "yg",
        "knp",
        "gpp",
        "gapapa",
        "gaes",
        "ortu",
        "otw",
        "bgtnya",
        "gknya",
        "ygku",
        "bgtlah",
        "bgtkah",
        "bgtpun",
        "bgtmu",
        "gkkah",
        "bgtttt",
        "bggtttt",
        "gkkkk",
        "yggg",
        "yggggnya",
        "bgttnya",
        "ortuuu",
        "nya",
        "lah",
        "ku",
        # elongated stopwords and spread words
        "yanggg",
        "dannn",
        "diii",
        "sebarkaaan",
        "sebaaarkan",
        "bagikaaan",
        "shareee",
        "dihapuuus",
        "hapuuus",
        "sebelummm",
        "forwaaard",
        # more than MAX_VARIABLE_RUNS variable runs (and exactly that many)
        "aabbccddeeffggg",
        "aabbccddeefff",
        "bbaaangeeettt",
        "ssebbaarrkkaaan",
        "mmaaaaff",
        # laughter and words that look like it, elongated or not
        "wkwkwkkk",
        "hahahaaa",
        "hehehe",
        "ahhh",
        "ahaha",
        "aha",
        "haha",
        "hah",
        "loool",
        "lol",
        "lool",
        "lmao",
        "lmfaooo",
        "lmfa",
        "rofl",
        "rofll",
        "ngakak",
        "ngakakkk",
        "ngakaak",
        "xixixi",
        "xixx",
        "xxi",
        "kwkwkw",
        "kwkwkwk",
        "kwk",
        "awokawok",
        "awkwk",
        "wakwakw",
        "wkwkw",
        "wkw",
        "bwahaha",
        "mbwahaha",
        "bmwahaha",
        "wahah",
        "hhhhaaaa",
        "hahahahahahahahahahahahahahahahahahahaha",  # MAX_WORD letters
        "hahahahahahahahahahahahahahahahahahahahah",  # one more: Python
        *_MULTI,
        *_REDUPLICATED,
        *(_elongate(w, 1, 2) for w in _MULTI[:10]),
        *(w + "nya" for w in _MULTI[:10]),
        *(_elongate(w, i, 2) for i, w in enumerate(_SPREAD_WORDS)),
        *(_elongate(w, -1, 3) for w in _STOPWORDS),
    }
)


def _chunks_of(word: str) -> list[str]:
    """The word as chunks of the three kinds that reach it: plain, capitals, punctuation."""
    return [word, word.upper(), with_case(word, 0b101), f"({word}),", word + "!!?"]


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property tests' examples (built on first use)."""
    return _normalizers()


def test_the_hand_picked_words_give_the_python_results() -> None:
    for word in GENERAL_WORDS:  # a cold memo per word: each kind of chunk meets it first
        assert_three_agree(_normalizers(), [*_chunks_of(word), word])
    normalizers = _normalizers()
    texts = [c for word in GENERAL_WORDS for c in _chunks_of(word)]
    assert_three_agree(normalizers, [*texts, " ".join(GENERAL_WORDS)], batch=50)
    on, off, _reference = normalizers
    assert stat(on, "c_general_words") > len(GENERAL_WORDS)
    assert stat(on, "c_laughter") > 20
    for name in ("slang", "elongated", "clitic_slang", "maybe_laughter"):
        assert stat(on, name) == 0, name
        assert stat(off, name) > 0, name
    assert stat(off, "c_general_words") == stat(off, "c_laughter") == 0


def test_general_words_are_analysed_in_c_only_when_the_switch_is_on() -> None:
    """Fails when the C side silently stops handling these words."""
    on, off, reference = _normalizers()
    words = ["bangeeet", "bgt", "gknya", "Maaaaf!", "YGGG", "sebarkaaan,", "wkwkwk", "vaksin"]
    assert_three_agree((on, off, reference), [" ".join(words)])
    # Seven general words (three of them stage 3a chunks) and one plain word.
    assert stat(on, "c_general_words") == 7
    assert stat(on, "c_laughter") == 1
    assert stat(on, "c_words") == 5
    assert stat(on, "c_word_chunks") == 3
    assert stat(on, "python_chunks") == 0
    assert stat(on, "maybe_laughter") == 0
    assert stat(off, "c_general_words") == 0
    assert stat(off, "python_chunks") == 7
    assert stat(off, "maybe_laughter") == 1
    assert stat(off, "elongated") == 4
    assert stat(off, "slang") == 1
    assert stat(off, "clitic_slang") == 1
    # Switched on again, the next new word is analysed in C.
    off._fast.general_words = True  # type: ignore[union-attr]
    assert_three_agree((on, off, reference), ["mantaaap"])
    assert stat(off, "c_general_words") == 1


def test_the_switch_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    for normalizer in (Custom(), Normalizer(compiled_words=False)):
        assert normalizer._fast is not None
        normalizer._fast.general_words = True
        assert not normalizer._fast.general_words
        normalizer.normalize_many(["bangeeet bgt"])
        assert stat(normalizer, "c_general_words") == 0


def test_too_long_words_go_to_python() -> None:
    on, off, reference = _normalizers()
    longest, too_long = "u" * MAX_WORD, "u" * (MAX_WORD + 1)
    assert_three_agree((on, off, reference), [longest, too_long, "b" + "e" * MAX_WORD])
    assert stat(on, "c_general_words") == 1
    assert stat(on, "too_long") == 2
    # The reference keeps what a too long elongated word collapses to.
    assert reference.normalize(too_long).features["elongation_count"] == 1.0


def test_more_variable_runs_than_tried_give_the_default_collapse() -> None:
    def variable_runs(word: str) -> int:
        return sum(1 for _c, g in itertools.groupby(word) if len(list(g)) >= 2)

    # Six variable runs: every candidate is tried ("maaf" wins); seven: the default collapse.
    tried, default = "mmaaaaffkkaannn", "mmaaaaffkkaannnyyy"
    assert variable_runs(tried) == MAX_VARIABLE_RUNS
    assert variable_runs(default) == MAX_VARIABLE_RUNS + 1
    on, off, reference = _normalizers()
    texts = [tried, default, "aabbccddeeffgggh", "aabbccddeeffgghhiii"]
    assert_three_agree((on, off, reference), texts)
    assert stat(on, "c_general_words") == len(texts)
    assert reference.normalize(tried).text == "maaf"
    assert reference.normalize(default).text == "mmaffkkaany"


def test_is_known_both_ways() -> None:
    """Candidates known from the ``known`` set and from an affixed dictionary root."""
    on, off, reference = _normalizers()
    from_set = ["maaaaf", "bangeeett", "yanggg", "bgtttt"]
    from_stem = ["dibacaaa", "pemerintaaahnya", "kebohongaaan"]
    # The winning candidates: in ``known``, or not in it but a known affixed form.
    for word in ("maaf", "banget", "yang", "bgt"):
        assert word in reference.known, word
    for word in ("dibaca", "pemerintahnya", "kebohongan"):
        assert word not in reference.known and reference._is_known(word), word
    assert not reference._is_known("xyz") and not reference._is_known("bgtt")
    assert [reference.normalize(w).text for w in from_stem] == ["baca", "perintah", "bohong"]
    assert_three_agree((on, off, reference), from_set + from_stem)
    assert stat(on, "c_general_words") == len(from_set) + len(from_stem)


def test_custom_slang_with_any_standard_words() -> None:
    slang = SlangLexicon(
        [
            ("kfe", "Café"),
            ("nve", "naïve naïve"),
            ("ss", "Straße straßen"),
            ("aa", "anak anak"),
            ("ab", "anak-anak anak"),
            ("ac", "a a a"),
            ("ad", "obat obatan obatan"),
            ("shre", "tolong sebarkan ya"),
            ("hps", "sebelum dihapus"),
            ("dd", "di di"),
            ("cv", "covid19 x.y"),
            ("yy", "yang dan"),
            ("mm", "mm"),
            ("kk", "kakak"),
            ("bgt", "banget"),
            ("emj", "emoji:fire laugh:haha"),
            ("ur", "url:x.com @budi #tag"),
            ("lol", "tertawa"),
        ]
    )
    words = sorted(slang.keys())
    words += [w + "nya" for w in words] + [_elongate(w, 0, 3) for w in words]
    words += ["kfeeee", "bgtttt", "kkkk", "mmmm", "shreee"]
    on, off, reference = _normalizers(slang=slang)
    texts = [c for word in words for c in _chunks_of(word)]
    assert_three_agree((on, off, reference), [*texts, " ".join(words)], batch=40)
    assert stat(on, "c_general_words") > len(words)


def test_custom_stopwords_and_tiny_memos() -> None:
    stopwords = {"banget", "tidak", "maaf", "sebar", "yang"}
    texts = [" ".join(GENERAL_WORDS), *GENERAL_WORDS, *benchmark_stream(500)]
    assert_three_agree(_normalizers(stopwords=stopwords), texts, batch=100)
    for size in (2, 3, 17):
        normalizers = _normalizers(memo_size=size)
        assert_three_agree(normalizers, [*GENERAL_WORDS, *GENERAL_WORDS[::-1]], batch=25)
        assert normalizers[0]._fast.memo_len() <= size  # type: ignore[union-attr]


def test_the_stemmer_is_asked_for_the_same_words() -> None:
    texts = [" ".join(GENERAL_WORDS), *benchmark_stream(1500)]
    recorders = _RecordingStemmer(), _RecordingStemmer()
    compiled = Normalizer(stemmer=recorders[0])
    reference = Normalizer(stemmer=recorders[1], compiled=False)
    assert_batches_agree(compiled, reference, texts, batch=300)
    assert list(recorders[0].asked) == list(recorders[1].asked)
    assert stat(compiled, "c_general_words") > 0


def test_the_benchmark_stream_and_golden_inputs_give_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(10_000))
    assert stat(normalizers[0], "c_general_words") > 1000
    assert_golden_inputs_agree(_normalizers())


# --- properties ------------------------------------------------------------------------------
_BASES = st.sampled_from(
    sorted({*_SLANG.keys(), *_STOPWORDS, *_SPREAD_WORDS, "banget", "maaf", "dibaca", "kepada"})
)
_CLITIC = st.sampled_from(["", "", "", "nya", "lah", "kah", "pun", "ku", "mu"])
_ELONGATED_WORDS = st.builds(
    lambda base, at, times, clitic: _elongate(base, at, times) + clitic if base.isalpha() else base,
    _BASES,
    st.integers(0, 12),
    st.integers(0, 4),
    _CLITIC,
)
_ALPHABET_WORDS = st.builds(
    _elongate, st.text("abegkntyiu", min_size=1, max_size=12), st.integers(0, 12), st.integers(2, 4)
)
_CHUNKS = st.builds(
    lambda word, case, before, after: before + with_case(word, case) + after,
    st.one_of(_ELONGATED_WORDS, _ALPHABET_WORDS),
    st.sampled_from([0, 0, 0, 0xFF, 1, 0b1010]),
    st.text(SAFE, max_size=2),
    st.text(SAFE, max_size=2),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CHUNKS, min_size=1, max_size=12).map(" ".join), max_size=6))
def test_posts_of_general_words_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_shared(), texts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text("aeiougkbtnyhw", min_size=1, max_size=MAX_WORD + 2))
def test_words_of_the_alphabet_give_the_python_results(word: str) -> None:
    assert_three_agree(_shared(), [word, word.upper() + "!"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from("aabgkty"), min_size=1, max_size=9), st.integers(2, 5))
def test_runs_of_any_lengths_give_the_python_results(letters: list[str], times: int) -> None:
    # Every letter repeated 1..times times: many variable runs, doubled and elongated.
    word = "".join(c * (1 + i % times) for i, c in enumerate(letters))
    if not is_laughter(word):
        assert_three_agree(_shared(), [word])


_LAUGH_PIECES = ["wk", "wak", "awok", "wek", "k", "w", "ha", "he", "hi", "bw", "m", "a", "h"]
_LAUGH_PIECES += ["xi", "x", "i", "kw", "lol", "lmao", "lmfao", "rofl", "ngakak", "o", "l", "u"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_LAUGH_PIECES), min_size=1, max_size=8).map("".join))
def test_laughter_like_words_give_the_python_results(word: str) -> None:
    assert_three_agree(_shared(), [word, with_case(word, 0b11) + "!", f"({word})"])


def test_laughter_is_tested_exactly() -> None:
    """Every word of a few letters up to length 6: the C test equals ``is_laughter``."""
    words = [
        "".join(letters)
        for n in range(1, 7)
        for letters in itertools.product("wkah" if n > 4 else "wkaeohi", repeat=n)
    ]
    on, off, reference = _normalizers()
    assert_three_agree((on, off, reference), words, batch=2000)
    laughs = sum(1 for w in words if is_laughter(w))
    assert laughs > 100
    assert stat(on, "c_laughter") == laughs
    assert stat(on, "python_chunks") == 0
