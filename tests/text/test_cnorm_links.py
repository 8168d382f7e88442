"""Stage 3b of the compiled path: a chunk that is one URL, or one mention with safe punctuation.

An ASCII chunk of at most 48 characters that is one whole URL match (``https://bit.ly/x``,
``www.Detik.com``) or ``@name`` followed by stage 3a's safe punctuation (``@budi!!``) is
analysed in C (``analyse_link_chunk`` in ``_cnorm.c``). Compared, each with its own normalizer
(independent memos): the Python reference (``compiled=False``), stage 1+2+3a (``link_chunks``
off) and stage 1+2+3a+3b (``link_chunks`` on).
"""

from __future__ import annotations

import functools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.text.charnorm import clean_text
from monitor.text.pipeline import Normalizer, token_matches
from monitor.text.urls import MENTION_TOKEN, url_token
from tests.text.test_cnorm import benchmark_stream, needs_extension
from tests.text.test_cnorm_words import (
    SAFE,
    assert_agree_and_claims_match,
    assert_golden_inputs_agree,
    assert_three_agree,
    stat,
    with_case,
)

pytestmark = needs_extension

# What the C side takes (its own test, written independently of the regex it relies on).
_URL_SHAPE = re.compile(
    r"(?:[Hh][Tt][Tt][Pp][Ss]?://|[Ww][Ww][Ww]\.)[^\x00-\x20\x7f-\U0010ffff<>\"'()\[\]{}]+"
)
_MENTION_SHAPE = re.compile(r"@[A-Za-z0-9_]+[.,!?;:\"()]*")

LINKS = [
    "https://",
    "http://",
    "http://x",
    "https://x",
    "www.",
    "www.x",
    "www.,",
    "WWW.!",
    "WWW.Detik.com",
    "Www.detik.com/",
    "https://bit.ly/x?a=1&b=2#top",
    "https://user:pw@host:8080/p",
    "https://..//",
    "http://-.-/",
    "https://detik.com.",
    "https://detik.com,",
    "https://detik.com!",
    "https://detik.com?",
    "https://detik.com/?!",
    "https://bit.ly/AbC12345",
    "http://KOMINFO.GO.ID/berita",
    "https://m.detik.com",
    "https://m.detik",
    "https://amp.x.co.id/a",
    "https://web.whatsapp.com",
    "https://mobile.twitter.com/x",
    "https://www.www.x.com",
    "https://www.x",
    "https://x.com:443",
    "https://a@b.c",
    "https://a@b@c.d:1",
    "https://[::1]/",
    "https://x.com/a(b)",
    'https://x.com/"q"',
    "https://x.com/'q'",
    "https://x.com/<b>",
    "https://x.com/{a}",
    "https://x.com\\y",
    "https://x.com#a/b",
    "https://x_y.com",
    "https://x%20y.com",
    "https://x.com/?u=http://y.org",
    "www.x.com/?u=http://y.org",
    "www.a:b@c.d",
    "HTTPS://WWW.DETIK.COM/NEWS",
    "hTtPs://Detik.Com",
    "https:/x.com",
    "http:x.com",
    "https//x.com",
    "ftp://x.com",
    "url:detik.com",
    "(https://x.com)",
    "https://xn--bcher-kva.example",
    "https://détik.com",
    "https://x.com/中",
    "@budi中",
    "https://x.com/" + "a" * 34,
    "https://x.com/" + "a" * 35,
    "@budi_99",
    "@Budi",
    "@budi,",
    "@budi!!",
    "@budi?!",
    '@budi:"',
    "@budi.",
    "@budi...",
    "@budi.santoso",
    "@budi@x.com",
    "@_",
    "@",
    "@@x",
    "@.",
    "@1",
    "a@b.co",
    "@budi#tag",
    "@budi-x",
    "@budi'",
    "@budi/x",
    "@budi.-@-.-",
    "@budi_99!" + "?" * 30,
    "@" + "a" * 47,
    "@" + "a" * 48,
    "@bud\u00ed",
]


def _normalizers(**kwargs: object) -> tuple[Normalizer, Normalizer, Normalizer]:
    """(stage 1+2+3a+3b, stage 1+2+3a, Python reference) normalizers with the same lexicons."""
    full = Normalizer(**kwargs)  # type: ignore[arg-type]
    without = Normalizer(**kwargs)  # type: ignore[arg-type]
    reference = Normalizer(compiled=False, **kwargs)  # type: ignore[arg-type]
    assert full._fast is not None and without._fast is not None
    full._fast.link_chunks = True
    without._fast.link_chunks = False
    assert full._fast.link_chunks and full._fast.word_chunks
    assert not without._fast.link_chunks and without._fast.word_chunks
    return full, without, reference


def _claim(chunk: str) -> str | None:
    """``"url"`` / ``"mention"`` when stage 3b takes ``chunk`` (as cleaned), else ``None``."""
    if len(chunk) > 48 or not chunk.isascii():
        return None
    if _URL_SHAPE.fullmatch(chunk):
        return "url"
    if _MENTION_SHAPE.fullmatch(chunk):
        return "mention"
    return None


def _assert_one_match(chunk: str) -> None:
    """The tokenizer's view of a claimed chunk: one URL match, or one mention and nothing else."""
    kind = _claim(chunk)
    assert kind is not None, chunk
    matches = [(m.lastgroup, m.span()) for m in token_matches(chunk)]
    if kind == "url":
        assert matches == [("url", (0, len(chunk)))], chunk
    else:
        name_end = len(re.match(r"@\w+", chunk).group())  # type: ignore[union-attr]
        assert matches == [("mention", (0, name_end))], chunk


def test_stage_three_b_is_off_without_stage_two() -> None:
    class Custom(Normalizer):
        pass

    custom = Custom()
    assert custom._fast is not None
    custom._fast.link_chunks = True
    assert not custom._fast.link_chunks
    plain = Normalizer(compiled_words=False)
    assert plain._fast is not None
    plain._fast.link_chunks = True
    assert not plain._fast.link_chunks
    custom.normalize_many(["https://x.com @budi"])
    assert stat(custom, "c_urls") == stat(custom, "c_mentions") == 0


def test_the_claimed_chunks_are_one_tokenizer_match() -> None:
    claimed = [chunk for chunk in LINKS if _claim(chunk) is not None]
    assert len(claimed) > 40
    for chunk in claimed:
        _assert_one_match(chunk)
    # The edges of the shapes, as the regex sees them.
    assert [m.lastgroup for m in token_matches("https://")] == ["word"]
    assert [m.lastgroup for m in token_matches("www.")] == ["word"]
    assert [m.lastgroup for m in token_matches("@budi.santoso")] == ["mention", "word"]
    assert [m.lastgroup for m in token_matches("@budi.-@-.-")] == ["mention", "email"]
    assert [m.lastgroup for m in token_matches("@@x")] == ["mention"]
    assert [m.group() for m in token_matches("@@x")] == ["@x"]
    assert [m.lastgroup for m in token_matches("https://x.com/a(b)")] == ["url", "word"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["http://", "https://", "HTTP://", "hTtPs://", "www.", "WWW.", "wWw."]),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=0, max_size=30),
)
def test_url_shapes_are_one_match(prefix: str, rest: str) -> None:
    chunk = prefix + rest
    if _claim(chunk) is not None:
        _assert_one_match(chunk)
    elif rest and len(chunk) <= 48 and not re.search(r"[<>\"'()\[\]{}]", rest):
        raise AssertionError(f"{chunk!r} should be claimed")


@settings(max_examples=300, deadline=None)
@given(
    st.text("abcXYZ019_", min_size=1, max_size=12),
    st.text(SAFE, max_size=6),
)
def test_mention_shapes_are_one_match(name: str, after: str) -> None:
    _assert_one_match("@" + name + after)


def test_the_hand_made_chunks_give_the_python_results() -> None:
    for chunk in LINKS:  # one fresh set of normalizers per chunk: a cold memo each time
        full, without, reference = _normalizers()
        assert_three_agree((full, without, reference), [chunk, f"{chunk} {chunk} x", chunk])
        kinds = [_claim(c) for c in clean_text(chunk).split()]
        assert stat(full, "c_urls") == (1 if "url" in kinds else 0), chunk
        assert stat(full, "c_mentions") == (1 if "mention" in kinds else 0), chunk
        assert stat(without, "c_urls") == stat(without, "c_mentions") == 0
        # What the C side stored is exactly the Python contribution of the chunk.
        for c, kind in zip(clean_text(chunk).split(), kinds, strict=True):
            if kind is not None:
                part = reference._analyse_chunk(c)
                token = url_token(c) if kind == "url" else MENTION_TOKEN
                assert (part.text, part.spread) == (token, ""), c
    full, without, reference = _normalizers()
    assert_three_agree((full, without, reference), [" ".join(LINKS), *LINKS])
    assert stat(full, "c_urls") > 30
    assert stat(full, "c_mentions") > 10


def test_which_chunks_are_taken() -> None:
    full, without, reference = _normalizers()
    urls = ["https://bit.ly/AbC12345", "WWW.Detik.com", "http://x", "https://x.com:443", "www.,"]
    mentions = ["@budi_99", "@Budi", "@budi,", "@budi!!", "@_", "@budi."]
    not_taken = ["https://", "www.", "https://x.com/a(b)", '"https://x.com"', "@budi.santoso"]
    not_taken += ["@budi@x.com", "@", "@@x", "a@b.co", "@budi#tag", "https://x.com/中"]
    not_taken += ["https://[::1]/"]
    for chunk in urls:
        assert _claim(chunk) == "url", chunk
    for chunk in mentions:
        assert _claim(chunk) == "mention", chunk
    for chunk in not_taken:
        assert _claim(chunk) is None, chunk
    assert_three_agree((full, without, reference), [" ".join(urls + mentions)])
    assert stat(full, "c_urls") == len(urls)
    assert stat(full, "c_mentions") == len(mentions)
    assert stat(full, "python_chunks") == 0
    assert_three_agree((full, without, reference), [" ".join(not_taken)])
    assert stat(full, "c_urls") == len(urls)
    assert stat(full, "c_mentions") == len(mentions)
    assert stat(full, "python_chunks") == len(not_taken)


_PUNCT = SAFE + "'-/@#_&*+=%$<>[]{}~^|`\\"
_URL_PIECES = st.builds(
    lambda scheme, user, host, port, path, after, case: (
        with_case(scheme + user + host + port + path, case) + after
    ),
    st.sampled_from(["http://", "https://", "www.", "", "ftp://", "https:/"]),
    st.sampled_from(["", "user@", "u:p@", "@"]),
    st.sampled_from(
        ["detik.com", "www.detik.com", "m.x.co.id", "amp.x", "web.whatsapp.com", "", ".-", "a"]
    ),
    st.sampled_from(["", ":443", ":", ":x"]),
    st.sampled_from(["", "/", "/a/b", "?q=1&r=2", "#top", "/a(b)", "\\x", "/?u=http://y.id"]),
    st.text(_PUNCT, max_size=3),
    st.integers(0, 255),
)
_MENTION_PIECES = st.builds(
    lambda before, name, case, after: before + "@" + with_case(name, case) + after,
    st.sampled_from(["", "", "@", "a", "("]),
    st.sampled_from(["budi", "budi_99", "_", "", "Budi.Santoso", "x1"]),
    st.integers(0, 255),
    st.text(_PUNCT, max_size=4),
)
LINK_POSTS = st.lists(
    st.one_of(_URL_PIECES, _MENTION_PIECES, st.sampled_from(LINKS), st.just("vaksin")),
    max_size=12,
).map(" ".join)


@functools.cache
def _shared() -> tuple[Normalizer, Normalizer, Normalizer]:
    """Normalizers shared by the property test's examples (built on first use)."""
    return _normalizers()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINK_POSTS, max_size=6))
def test_posts_of_links_give_the_python_results(texts: list[str]) -> None:
    assert_agree_and_claims_match(
        _shared(), texts, lambda chunk: _claim(chunk) is not None, _assert_one_match
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(LINK_POSTS, min_size=1, max_size=4))
def test_fresh_normalizers_give_the_python_results(texts: list[str]) -> None:
    assert_three_agree(_normalizers(memo_size=50), texts * 2)


def test_the_benchmark_stream_gives_the_python_results() -> None:
    normalizers = _normalizers()
    assert_three_agree(normalizers, benchmark_stream(20_000))
    assert stat(normalizers[0], "c_urls") > 1_000
    assert stat(normalizers[0], "c_mentions") > 100
    assert stat(normalizers[1], "c_urls") == stat(normalizers[1], "c_mentions") == 0


def test_the_golden_inputs_give_the_python_results() -> None:
    assert_golden_inputs_agree(_normalizers())
