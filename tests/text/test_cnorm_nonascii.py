"""Stages 4a and 4b of the compiled path: non-ASCII posts cleaned and emoji chunks analysed in C.

Stage 4a (``clean_shortcut``): a non-ASCII post whose non-ASCII characters all lie in
``charnorm.shortcut_ranges()`` is cleaned in C (``clean_text`` is the identity on it, up to
deleting invisible characters). Stage 4b (``emoji_chunks``): a chunk made of emoji-class
characters, skin tones, regional indicators and safe punctuation is analysed in C. Compared,
each with its own normalizer (independent memos): the Python reference (``compiled=False``),
the C path with both stages off and the C path with both on.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text import charnorm
from monitor.text.charnorm import (
    CLEAN_DROP,
    CLEAN_KEEP,
    clean_text,
    fold_accents,
    shortcut_ranges,
    strip_invisible,
)
from monitor.text.emoji import EMOJI_CLASS, emoji_token
from monitor.text.pipeline import (
    Normalizer,
    class_code_points,
    emoji_chunk_tables,
    surface_counts,
    token_matches,
)
from tests.text.test_cnorm import _fast_kwargs, benchmark_stream, needs_extension
from tests.text.test_cnorm_words import SAFE, assert_golden_inputs_agree, assert_three_agree, stat

pytestmark = needs_extension

MAX_CHUNK = 48
_SINGLES = dict(emoji_chunk_tables()[0])
_INDICATORS = range(0x1F1E6, 0x1F200)
_RUNS = shortcut_ranges()


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stages 4a+4b on, both off, Python reference) normalizers with the same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    without = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and without._fast is not None
    assert full._fast.emoji_chunks and full._fast.clean_shortcut
    without._fast.emoji_chunks = False
    without._fast.clean_shortcut = False
    assert not without._fast.emoji_chunks and not without._fast.clean_shortcut
    return full, without, reference


# --- the models of what the C side claims ---------------------------------------------------
def _action(char: str) -> int | None:
    code = ord(char)
    for first, last, action in _RUNS:
        if first <= code <= last:
            return action
    return None


def _shortcut(text: str) -> str | None:
    """What stage 4a gives for ``text``, or ``None`` when it calls clean_text."""
    if text.isascii():
        return None
    actions = [None if c.isascii() else _action(c) for c in text]
    if any(a is None and not c.isascii() for a, c in zip(actions, text, strict=True)):
        return None
    return "".join(c for a, c in zip(actions, text, strict=True) if a != CLEAN_DROP)


def _claimed(chunk: str) -> bool:
    """Whether stage 4b takes ``chunk`` (a cleaned chunk)."""
    return (
        not chunk.isascii()
        and len(chunk) <= MAX_CHUNK
        and all(c in SAFE or ord(c) in _SINGLES or ord(c) in _INDICATORS for c in chunk)
    )


def _model_matches(chunk: str) -> list[tuple[str, str]]:
    """The tokenizer matches the C side assumes for a claimed chunk (see _cnorm.c, 4b)."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(chunk):
        code = ord(chunk[i])
        if code in _INDICATORS:
            if i + 1 < len(chunk) and ord(chunk[i + 1]) in _INDICATORS:
                out.append(("flag", chunk[i : i + 2]))
                i += 1
        elif code in _SINGLES and re.fullmatch(f"[{EMOJI_CLASS}]", chunk[i]):
            out.append(("emoji", chunk[i]))
        i += 1
    return out


def _assert_claim_matches_regex(chunk: str) -> None:
    assert _claimed(chunk), chunk
    got = [(m.lastgroup, m.group()) for m in token_matches(chunk)]
    assert got == _model_matches(chunk), chunk


def _expected_part(chunk: str) -> tuple[str, int]:
    """(text, emoji count) of a claimed chunk from the model and emoji_token."""
    tokens = [t for _k, v in _model_matches(chunk) if (t := emoji_token(v)) is not None]
    return " ".join(tokens), len(tokens)


# --- hand-picked inputs ---------------------------------------------------------------------
EMOJI_CHUNKS = [
    "👏",
    "🤲🏚😓",
    "☺🏳🪙??",
    "🤦🤑🙈??",
    "✅🙊🚨!",
    "😀💷💚!!",
    "(😂)",
    '"👍",',
    "👍🏽",
    "🏽",
    "🏻🏿",
    "👍🏽👍🏿!",
    "👨‍👩‍👧",
    "👨‍👩‍👧‍👦!!",
    "❤️",
    "❤️🔥",
    "🏳️‍🌈",
    "🇮🇩",
    "🇮🇩🇲🇾",
    "🇮",
    "🇮🇩🇲",
    "🇮🇩?",
    "🇦🇦",
    "🦒",
    "🦒🦒🦒",
    "\U0001faff",
    "\U0001fa7d😂",
    "→",
    "⬆",
    "〰",
    "㊗㊙",
    "↩️",
    "😂" * 48,
    "😂" * 49,
    "?" * 47 + "😂",
    "?" * 48 + "😂",
    "🇮🇩" * 24,
    "🇮🇩" * 24 + "🇮",
]
OTHER_CHUNKS = [
    "halo👋",
    "👋halo",
    "👋1",
    "1️⃣",
    "#️⃣",
    "*️⃣",
    "2⃣",
    "❶",
    "➊😂",
    "🄀",
    "🅰",
    "👋@budi",
    "👋#vaksin",
    "😂-😂",
    "😂'",
    "😂/",
    "😂_",
    "😂\u0301",
    "→\u20e3",
    "😂\u0332",
    "🏴󠁧󠁢󠁥󠁮󠁧󠁿",
    "ｈａｌｏ",
    "ﬁ",
    "x²",
    "²",
    "café",
    "cafe\u0301",
    "“kutip”",
    "‘kutip’",
    "—",
    "…",
    "•",
    "a\u00a0b",
    "zero\u200bwidth",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "✓",
    "½",
    "℃",
    "Ω",
    "가",
    "\u1100\u1161",
    "بسم",
    "中文",
    "é😂",
    "😂é",
    "😂\u00e9",
]
POSTS = [
    *EMOJI_CHUNKS,
    *OTHER_CHUNKS,
    "Vaksin aman 👍🏽👍🏽 #sehat",
    "awas hoaks!! 🚨🚨 sebarkan ⚠️",
    "ini benar? 🤔?? cek dulu",
    "“Kutip” — kata • dia… ¿qué? ©2024 ®",
    "x\u200b\u200cy\u200d 😂\ufe0f",
    "🇮🇩 merdeka 🇮🇩🇮🇩!",
    "",
    " ",
    "😂 " * 30,
]


def test_the_claimed_chunks_are_what_the_regex_sees() -> None:
    claimed = [c for text in POSTS for c in clean_text(text).split() if _claimed(c)]
    assert len(claimed) > 30
    for chunk in claimed:
        _assert_claim_matches_regex(chunk)
    # Edges, as the regex sees them.
    assert [m.lastgroup for m in token_matches("🇮🇩🇲")] == ["flag"]
    assert [m.lastgroup for m in token_matches("👍🏽")] == ["emoji"]
    assert [m.lastgroup for m in token_matches("❶😂")] == ["word", "emoji"]
    for chunk in ["halo👋", "❶", "😂-😂", "😂" * 49, "é😂", "1⃣", "😂\u20e3x"]:
        assert not _claimed(chunk), chunk


def test_the_emoji_tables_follow_the_tokenizer_class() -> None:
    class_re = re.compile(f"[{EMOJI_CLASS}]")
    in_class = [c for c in range(0x110000) if class_re.fullmatch(chr(c))]
    assert in_class == sorted(set(class_code_points(EMOJI_CLASS)))
    singles, flags = emoji_chunk_tables()
    word = re.compile(r"\w")
    for code, token in singles:
        char = chr(code)
        assert not word.match(char) and not char.isspace() and not char.isascii()
        assert not char.isalpha()
        if class_re.fullmatch(char):
            assert token == emoji_token(char)
            assert [(m.lastgroup, m.group()) for m in token_matches(char)] == [("emoji", char)]
        else:  # a skin tone: no alternative matches it
            assert 0x1F3FB <= code <= 0x1F3FF and token is None
            assert list(token_matches(char)) == []
    assert {c for c in in_class if not word.match(chr(c))} == {
        c for c, _t in singles if class_re.fullmatch(chr(c))
    }
    assert len(flags) == 26 * 26
    assert flags[ord("i") - ord("a")] == emoji_token("\U0001f1e6\U0001f1ee")
    assert all(t is None or (t.startswith("emoji:") and not re.search(r"\s", t)) for t in flags)


def test_the_hand_made_posts_give_the_python_results() -> None:
    for text in POSTS:  # one fresh set of normalizers per post: a cold memo each time
        full, without, reference = _normalizers()
        assert_three_agree((full, without, reference), [text, f"{text} {text} x", text])
        cleaned = clean_text(text)
        # The two distinct posts (the third is a duplicate) either both take the shortcut or not.
        assert stat(full, "c_clean_posts") == (0 if _shortcut(text) is None else 2), text
        chunks = set(cleaned.split())
        claimed = [c for c in chunks if _claimed(c)]
        assert stat(full, "c_emoji_chunks") == len(claimed), text
        assert stat(without, "c_emoji_chunks") == stat(without, "c_clean_posts") == 0
        for chunk in claimed:  # what the C side stored is the Python contribution
            part = reference._analyse_chunk(chunk)
            want_text, emoji = _expected_part(chunk)
            assert part.text == want_text and part.spread == "", chunk
            assert part.packed == surface_counts(chunk) + emoji * (1 << (32 * 10)), chunk
    full, without, reference = _normalizers()
    assert_three_agree((full, without, reference), [" ".join(POSTS), *POSTS])


def test_which_chunks_are_taken() -> None:
    full, without, reference = _normalizers()
    taken = ["👏", "🤲🏚😓", "☺🏳🪙??", "👍🏽", "🇮🇩🇲", "🦒!", "\U0001faff", "(→)", "😂" * 48]
    not_taken = ["halo👋", "❶", "1⃣", "😂-😂", "😂" * 49, "é😂", "😂#x", "😂\u20e3"]
    assert_three_agree((full, without, reference), [" ".join(taken)])
    assert stat(full, "c_emoji_chunks") == len(taken)
    assert stat(full, "python_chunks") == 0
    assert stat(full, "c_clean_posts") == 1
    assert_three_agree((full, without, reference), [" ".join(not_taken)])
    assert stat(full, "c_emoji_chunks") == len(taken)
    assert stat(full, "python_chunks") == len(not_taken)
    assert stat(full, "c_clean_posts") == 1  # "é" is no shortcut character


def test_the_clean_shortcut_gives_clean_text() -> None:
    full, without, _reference = _normalizers()
    assert full._fast is not None and without._fast is not None
    for text in POSTS + [p + "\u0301" for p in POSTS] + ["\u0301" + p for p in POSTS]:
        before = stat(full, "c_clean_posts")
        assert full._fast.clean(text) == clean_text(text), text
        assert without._fast.clean(text) == clean_text(text), text
        taken = stat(full, "c_clean_posts") - before
        assert taken == (0 if _shortcut(text) is None else 1), text
        if taken:
            assert _shortcut(text) == clean_text(text), text
    same = "vaksin 😂"
    assert full._fast.clean(same) is same  # unchanged: the same object, as clean_text does
    assert full._fast.clean("❤️") == "❤"
    assert full._fast.clean("\u200b") == ""
    assert stat(without, "c_clean_posts") == 0
    with pytest.raises(TypeError):
        full._fast.clean(b"x")  # type: ignore[arg-type]


def _composition_seconds() -> set[int]:
    """Characters that may compose with the character before them (NFKC_Quick_Check=Maybe):
    the second character of every two-character canonical decomposition, and the conjoining
    Hangul vowels and trailing consonants (their compositions are algorithmic)."""
    seconds = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x110000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(int(parts[1], 16))
    return seconds


def test_every_shortcut_character_is_safe_in_any_context() -> None:
    seconds = _composition_seconds()
    for first, last, action in _RUNS:
        assert action in (CLEAN_KEEP, CLEAN_DROP)
        for code in range(first, last + 1):
            char = chr(code)
            assert not char.isascii() and not 0xD800 <= code <= 0xDFFF
            assert unicodedata.is_normalized("NFKC", char), hex(code)
            assert unicodedata.combining(char) == 0, hex(code)
            assert code not in seconds, hex(code)
            assert fold_accents(char) == char, hex(code)
            assert strip_invisible(char) == (char if action == CLEAN_KEEP else ""), hex(code)
    drops = {c for f, la, a in _RUNS if a == CLEAN_DROP for c in range(f, la + 1)}
    invisible = charnorm.ZERO_WIDTH_CHARS + "".join(map(chr, range(0xFE00, 0xFE10)))
    assert drops == {ord(c) for c in invisible}
    assert len([r for r in _RUNS if r[2] == CLEAN_KEEP]) > 10


# --- generated inputs -----------------------------------------------------------------------
_KEEP_CHARS = st.sampled_from([chr(f) for f, _l, a in _RUNS if a == CLEAN_KEEP]) | (
    st.sampled_from(_RUNS).flatmap(lambda r: st.integers(r[0], r[1]).map(chr))
)
_MARKS = st.sampled_from(["\u0301", "\u0308", "\u20e3", "\u0332", "\u093c", "\u3099", "\u1161"])
_ODD = st.sampled_from(["ｈ", "ﬁ", "²", "é", "Å", "\u00a0", "ǅ", "ℌ", "가", "\u1100", "😂"])
_INVISIBLE = st.sampled_from([*charnorm.ZERO_WIDTH_CHARS, "\ufe0f", "\ufe0e"])
_ASCII = st.characters(min_codepoint=0, max_codepoint=0x7F)
CLEAN_TEXTS = st.text(
    st.one_of(_KEEP_CHARS, _KEEP_CHARS, _ASCII, _INVISIBLE, _MARKS, _ODD), max_size=30
)


@settings(max_examples=500, deadline=None)
@given(CLEAN_TEXTS)
def test_the_clean_shortcut_agrees_with_clean_text(text: str) -> None:
    full = _shared()[0]
    assert full._fast is not None
    assert full._fast.clean(text) == clean_text(text)
    shortcut = _shortcut(text)
    if shortcut is not None:
        assert shortcut == clean_text(text)


_EMOJI = st.sampled_from(sorted(chr(c) for c in _SINGLES))
_FLAG_LETTERS = st.sampled_from([chr(c) for c in _INDICATORS])
_COMMON = st.sampled_from(["😂", "👍", "🙏", "🇮", "🇩", "🏽", "❤", "\ufe0f", "\u200d", "🦒"])
_CHUNK_CHARS = st.one_of(
    _EMOJI,
    _FLAG_LETTERS,
    _COMMON,
    _COMMON,
    st.sampled_from(SAFE),
    st.sampled_from("aZ09_#@-'/&*+ \n"),
    _MARKS,
    _ODD,
    _INVISIBLE,
)
EMOJI_POSTS = st.lists(
    st.one_of(st.text(_CHUNK_CHARS, max_size=10), st.sampled_from(POSTS)), max_size=8
).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property tests' examples (built on first use)."""
    return _normalizers()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EMOJI_POSTS, max_size=6))
def test_posts_of_emoji_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_shared(), texts)
    for text in texts:
        for chunk in clean_text(text).split():
            if _claimed(chunk):
                _assert_claim_matches_regex(chunk)


@settings(max_examples=200, deadline=None)
@given(st.text(st.one_of(_EMOJI, _FLAG_LETTERS, _COMMON, st.sampled_from(SAFE)), min_size=1))
def test_chunks_of_the_alphabet_are_claimed_and_match_the_regex(raw: str) -> None:
    chunk = clean_text(raw)
    if chunk.isascii() or len(chunk) > MAX_CHUNK or chunk.split() != [chunk]:
        return
    if chunk == raw:  # else NFKC changed a character ("\u2329" -> "\u3008"): maybe not taken
        _assert_claim_matches_regex(chunk)
    full, _without, reference = _shared()
    before = stat(full, "python_chunks")
    assert_three_agree(_shared(), [chunk])
    if _claimed(chunk):
        assert stat(full, "python_chunks") == before
        assert reference._analyse_chunk(chunk).text == _expected_part(chunk)[0]


@settings(max_examples=40, deadline=None)
@given(st.lists(EMOJI_POSTS, min_size=1, max_size=4))
def test_fresh_normalizers_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_normalizers(memo_size=50), texts * 2)


# --- configuration --------------------------------------------------------------------------
def test_stage_four_b_needs_stage_two_and_the_shipped_table() -> None:
    class Custom(Normalizer):
        pass

    for normalizer in (Custom(), Normalizer(compiled_words=False)):
        assert normalizer._fast is not None
        normalizer._fast.emoji_chunks = True
        assert not normalizer._fast.emoji_chunks
        assert normalizer._fast.clean_shortcut  # cleaning does not depend on the lexicons
        normalizer.normalize_many(["😂 🇮🇩"])
        assert stat(normalizer, "c_emoji_chunks") == 0
        assert stat(normalizer, "c_clean_posts") == 1


def test_a_patched_emoji_token_or_clean_text_turns_the_stages_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from monitor.text import pipeline

    monkeypatch.setattr(pipeline, "emoji_token", lambda e: "emoji:x")
    monkeypatch.setattr(pipeline, "clean_text", lambda t: t)
    normalizer = Normalizer()
    assert normalizer._fast is not None
    assert not normalizer._fast.emoji_chunks and not normalizer._fast.clean_shortcut


def test_custom_lexicons_and_a_tiny_memo() -> None:
    texts = [p for p in POSTS if not p.isascii()] * 3
    for kwargs in ({"stopwords": ["ini", "dia"]}, {"memo_size": 4}, {"memo_size": 2}):
        assert_three_agree(_normalizers(**kwargs), texts, batch=7)


def test_bad_tables_are_refused() -> None:
    normalizer = Normalizer()
    assert normalizer._fast is not None
    make = type(normalizer._fast)
    kwargs = _fast_kwargs(normalizer)
    singles, flags = emoji_chunk_tables()
    bad_tables: list[Any] = [
        ((), ()),
        (singles, flags[:-1]),
        (singles[::-1], flags),
        (((0x41, "emoji:a"),), flags),
        (((0x1F1E6, "emoji:a"),), flags),
        (((0x1F600, "emoji: a"),), flags),
        (((0x1F600, ""),), flags),
        (((0x1F600, 3),), flags),
        ((("x", None),), flags),
        "x",
    ]
    for bad in bad_tables:
        with pytest.raises((TypeError, ValueError)):
            make(**kwargs, emoji=bad)
    for runs in [(), ((0x41, 0x42, 0),), ((0x80, 0x90, 2),), ((0xD000, 0xE000, 0),)]:
        with pytest.raises((TypeError, ValueError)):
            make(**kwargs, clean_shortcut=runs)
    with pytest.raises(ValueError):
        make(**kwargs, clean_shortcut=((0x100, 0x200, 0), (0x150, 0x300, 1)))
    fast = make(**kwargs, emoji=emoji_chunk_tables(), clean_shortcut=shortcut_ranges())
    assert not fast.emoji_chunks  # no stage 2
    assert fast.clean_shortcut
    assert fast.clean("a\u200bb") == "ab"


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_emoji_chunks") > 2_000
    assert stat(normalizers[0], "c_clean_posts") > 4_000
    assert stat(normalizers[1], "c_emoji_chunks") == stat(normalizers[1], "c_clean_posts") == 0


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())
