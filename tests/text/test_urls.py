"""URLs to domain tokens, bare domains."""

from __future__ import annotations

import pytest

from monitor.text.urls import MENTION_TOKEN, is_bare_domain, url_domain, url_token


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://bit.ly/3xYzAbC", "bit.ly"),
        ("http://www.kompas.com/berita/123", "kompas.com"),
        ("https://m.facebook.com/story.php?id=1", "facebook.com"),
        ("HTTPS://BIT.LY/ABC", "bit.ly"),
        ("https://user:pass@contoh.com:8080/path", "contoh.com"),
        ("www.detik.com/news", "detik.com"),
        ("https://kominfo.go.id", "kominfo.go.id"),
        ("https://m.id", "m.id"),
        ("https://", "unknown"),
    ],
)
def test_url_domain_keeps_only_the_host(url: str, domain: str) -> None:
    assert url_domain(url) == domain


def test_url_token_prefixes_the_domain() -> None:
    assert url_token("https://www.bit.ly/x?y=1") == "url:bit.ly"


@pytest.mark.parametrize("word", ["turnbackhoax.id", "kominfo.go.id", "detik.com/berita", "s.id"])
def test_bare_domains_are_recognised(word: str) -> None:
    assert is_bare_domain(word)


@pytest.mark.parametrize("word", ["dll.", "a.n", "50.000", "benar.tidak", "1.com"])
def test_dotted_words_that_are_no_domains_are_not(word: str) -> None:
    assert not is_bare_domain(word)


def test_the_mention_token_is_a_single_word() -> None:
    assert MENTION_TOKEN.split() == [MENTION_TOKEN]
