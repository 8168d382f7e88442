"""The RSS/Atom connector against a real local HTTP server (and MockTransport for small cases)."""

from __future__ import annotations

import hashlib
import json
import socket
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

import httpx
import pytest

from monitor.sources import NotConfigured, SourceError, build_source
from monitor.sources.rss import RssSource

from .conftest import FeedServer, Reply
from .feeds import ATOM_1, HTML_PAGE, MALFORMED_HOPELESS, MALFORMED_RECOVERABLE, RSS_2

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_TYPE = {"Content-Type": "application/atom+xml"}


def rss_source(url: str, **settings: object) -> RssSource:
    source = build_source("rss", {"url": url, **settings})
    assert isinstance(source, RssSource)
    return source


# -- reading feeds ------------------------------------------------------------------------


def test_it_reads_rss_items_as_plain_text_posts(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    result = rss_source(feed_server.url("/rss")).fetch(None)

    assert len(result.posts) == 3
    assert result.problems == []
    first = result.posts[0]
    assert first.external_id == "berita-2024-0001"
    assert first.text == (
        "Banjir & longsor landa Bekasi\n"
        "Warga mengungsi ke masjid — ketinggian air 1 meter.\n"
        'Pemkot: "tetap tenang"'
    )
    assert first.url == "https://berita.example.id/2024/03/banjir-bekasi?utm=rss&ref=1"
    assert first.author == "Redaksi Daerah"
    assert first.published_at == datetime(2024, 3, 5, 3, 0, tzinfo=UTC)


def test_it_drops_script_content_from_descriptions(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    text = rss_source(feed_server.url("/rss")).fetch(None).posts[0].text

    assert "alert" not in text
    assert "<" not in text


def test_it_prefers_the_full_content_and_keeps_non_ascii_text(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    second = rss_source(feed_server.url("/rss")).fetch(None).posts[1]

    assert second.text.startswith("Klarifikasi: vaksin palsu di Jawa Timur?\n")
    assert "Vaksin yang beredar resmi dan terdaftar. Café 🙏 ꦗꦮ" in second.text
    assert second.published_at == datetime(2024, 3, 6, 8, 30, tzinfo=UTC)


def test_it_uses_the_link_then_a_hash_when_an_item_has_no_guid(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)
    source = rss_source(feed_server.url("/rss"))

    posts = source.fetch(None).posts

    assert posts[1].external_id == "https://berita.example.id/2024/03/klarifikasi-vaksin"
    expected = hashlib.sha256(
        b"Tanpa tautan maupun guid\nPengumuman jadwal pemadaman listrik bergilir."
    ).hexdigest()
    assert posts[2].external_id == expected
    assert posts[2].url is None
    assert source.fetch(None).posts[2].external_id == expected


def test_it_reads_atom_entries_with_relative_links_and_html_titles(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/feeds/atom"] = Reply(200, ATOM_1, ATOM_TYPE)

    result = rss_source(feed_server.url("/feeds/atom")).fetch(None)

    assert result.problems == []
    first, second = result.posts
    assert first.external_id == "tag:humas.example.id,2024:siaran-17"
    assert first.url == feed_server.url("/siaran/17")
    assert first.author == "Humas Setda"
    assert first.published_at == datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
    assert first.text == (
        "Siaran pers: isu <bantuan tunai> tidak benar\n"
        "Beredar pesan berantai soal bantuan tunai Rp 5 juta.\n"
        "Pesan itu tidak benar — jangan klik tautannya."
    )
    assert second.text == (
        "Jadwal layanan Samsat keliling\nSamsat keliling hadir di Alun-alun Sabtu ini."
    )
    # feedparser copies an Atom id into "link"; a tag: URI is not a web link.
    assert second.url is None


def test_raw_payloads_are_json_serialisable(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)
    feed_server.routes["/atom"] = Reply(200, ATOM_1, ATOM_TYPE)

    for path in ("/rss", "/atom"):
        for post in rss_source(feed_server.url(path)).fetch(None).posts:
            decoded = json.loads(json.dumps(post.raw))
            assert decoded["title"]


def test_it_keeps_only_entries_containing_a_keyword(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    kept = rss_source(feed_server.url("/rss"), keywords=["VAKSIN", "gempa"]).fetch(None)
    none = rss_source(feed_server.url("/rss"), keywords=["tsunami"]).fetch(None)

    assert [p.external_id for p in kept.posts] == [
        "https://berita.example.id/2024/03/klarifikasi-vaksin"
    ]
    assert none.posts == []


def test_it_follows_redirects(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)
    feed_server.routes["/old-rss"] = Reply(301, b"", {"Location": "/rss"})

    assert len(rss_source(feed_server.url("/old-rss")).fetch(None).posts) == 3


# -- conditional GET ----------------------------------------------------------------------


def conditional_feed(handler: BaseHTTPRequestHandler) -> Reply:
    if handler.headers.get("If-None-Match") == '"v1"':
        return Reply(304)
    validators = {"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 04:00:00 GMT"}
    return Reply(200, RSS_2, {**RSS_TYPE, **validators})


def test_it_sends_the_stored_validators_and_returns_nothing_on_304(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/rss"] = conditional_feed
    source = rss_source(feed_server.url("/rss"))

    first = source.fetch(None)
    second = source.fetch(first.cursor)

    assert len(first.posts) == 3
    assert second.posts == []
    assert second.cursor == first.cursor
    _, headers = feed_server.requests[-1]
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Tue, 05 Mar 2024 04:00:00 GMT"


def test_a_feed_without_validators_gives_no_cursor(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    result = rss_source(feed_server.url("/rss")).fetch(None)

    assert result.cursor is None
    assert "if-none-match" not in feed_server.requests[-1][1]


def test_an_unreadable_cursor_is_reported_and_the_whole_feed_fetched(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/rss"] = conditional_feed

    result = rss_source(feed_server.url("/rss")).fetch("{not json")

    assert len(result.posts) == 3
    assert result.problems == ["stored cursor is unreadable; fetching the whole feed"]


# -- failures -----------------------------------------------------------------------------


def test_a_server_error_is_transient(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(500, b"boom")

    with pytest.raises(SourceError) as caught:
        rss_source(feed_server.url("/rss")).fetch(None)

    assert caught.value.permanent is False
    assert "HTTP 500" in str(caught.value)
    assert feed_server.url("/rss") in str(caught.value)


@pytest.mark.parametrize("status", [401, 403, 404, 410])
def test_a_gone_or_forbidden_feed_is_permanent(feed_server: FeedServer, status: int) -> None:
    feed_server.routes["/rss"] = Reply(status, b"no")

    with pytest.raises(SourceError) as caught:
        rss_source(feed_server.url("/rss")).fetch(None)

    assert caught.value.permanent is True
    assert f"HTTP {status}" in str(caught.value)


def test_a_slow_feed_times_out_as_a_transient_error(feed_server: FeedServer) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> Reply:
        feed_server.release.wait(10)
        return Reply(200, RSS_2, RSS_TYPE)

    feed_server.routes["/slow"] = slow

    with pytest.raises(SourceError) as caught:
        rss_source(feed_server.url("/slow"), timeout=0.2).fetch(None)

    assert caught.value.permanent is False
    assert "timed out" in str(caught.value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_transient() -> None:
    with pytest.raises(SourceError) as caught:
        rss_source(f"http://127.0.0.1:{free_port()}/rss", timeout=2).fetch(None)

    assert caught.value.permanent is False
    assert "connection failed" in str(caught.value)


def test_a_malformed_feed_with_recoverable_entries_returns_them_with_a_problem(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/rss"] = Reply(200, MALFORMED_RECOVERABLE, RSS_TYPE)

    result = rss_source(feed_server.url("/rss")).fetch(None)

    # A guid is a permalink by default, so feedparser resolves it against the feed URL.
    assert [p.external_id for p in result.posts] == [feed_server.url("/rusak-1")]
    assert "gempa" in result.posts[0].text
    assert len(result.problems) == 1
    assert "not well-formed" in result.problems[0]
    assert "undefined entity" in result.problems[0]


def test_a_feed_with_nothing_recoverable_is_a_transient_error_naming_url_and_cause(
    feed_server: FeedServer,
) -> None:
    feed_server.routes["/rss"] = Reply(200, MALFORMED_HOPELESS, RSS_TYPE)

    with pytest.raises(SourceError) as caught:
        rss_source(feed_server.url("/rss")).fetch(None)

    message = str(caught.value)
    assert caught.value.permanent is False
    assert feed_server.url("/rss") in message
    assert "not well-formed" in message


def test_an_html_page_is_not_taken_for_an_empty_feed(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, HTML_PAGE, {"Content-Type": "text/html"})

    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        rss_source(feed_server.url("/rss")).fetch(None)


def test_feedparser_never_fetches_a_url_found_in_the_body(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)
    feed_server.routes["/pointer"] = Reply(200, feed_server.url("/rss").encode(), RSS_TYPE)

    with pytest.raises(SourceError):
        rss_source(feed_server.url("/pointer")).fetch(None)

    assert feed_server.hits("/rss") == 0


def test_an_oversized_body_is_refused(feed_server: FeedServer) -> None:
    feed_server.routes["/rss"] = Reply(200, RSS_2, RSS_TYPE)

    with pytest.raises(SourceError, match="larger than 200 bytes"):
        rss_source(feed_server.url("/rss"), max_bytes=200).fetch(None)


# -- credentials in the URL ---------------------------------------------------------------


def test_errors_never_show_credentials_from_the_url(feed_server: FeedServer) -> None:
    host = feed_server.base_url.removeprefix("http://")
    url = f"http://alice:s3cr3t@{host}/gone?api_key=k3y-123&lang=id"

    with pytest.raises(SourceError) as caught:
        rss_source(url).fetch(None)
    refused_url = f"http://alice:s3cr3t@127.0.0.1:{free_port()}/rss?token=k3y-123"
    with pytest.raises(SourceError) as refused:
        rss_source(refused_url, timeout=2).fetch(None)

    for message in (str(caught.value), str(refused.value)):
        assert "s3cr3t" not in message
        assert "alice" not in message
        assert "k3y-123" not in message
    assert "lang=id" in str(caught.value)
    assert "***" in str(caught.value)
    assert "s3cr3t" not in repr(rss_source(url))


def test_posts_never_carry_credentials_from_the_feed_url(feed_server: FeedServer) -> None:
    feed_server.routes["/feeds/atom"] = Reply(200, ATOM_1, ATOM_TYPE)
    host = feed_server.base_url.removeprefix("http://")
    url = f"http://alice:s3cr3t@{host}/feeds/atom?token=k3y-123"

    posts = rss_source(url).fetch(None).posts

    assert posts[0].url == feed_server.url("/siaran/17")
    dumped = json.dumps([post.raw for post in posts])
    assert "s3cr3t" not in dumped
    assert "k3y-123" not in dumped


# -- injected client (MockTransport) ------------------------------------------------------


def test_it_uses_the_injected_client_and_sends_its_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=RSS_2, headers=RSS_TYPE)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        source = build_source(
            "rss", {"url": "https://feeds.example.id/rss", "user_agent": "Pantau-test"}, http=client
        )
        result = source.fetch(None)

    assert len(result.posts) == 3
    assert [str(r.url) for r in seen] == ["https://feeds.example.id/rss"]
    assert seen[0].headers["User-Agent"] == "Pantau-test"


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.ConnectError("name resolution failed"), "connection failed"),
        (httpx.ReadTimeout("read timed out"), "timed out"),
        (httpx.RemoteProtocolError("peer closed connection"), "connection failed"),
    ],
)
def test_transport_failures_are_transient(error: Exception, expected: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        source = build_source("rss", {"url": "https://feeds.example.id/rss"}, http=client)
        with pytest.raises(SourceError) as caught:
            source.fetch(None)

    assert caught.value.permanent is False
    assert expected in str(caught.value)


# -- settings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"url": ""},
        {"url": "ftp://feeds.example.id/rss"},
        {"url": "feeds.example.id/rss"},
        {"url": "https://feeds.example.id/rss", "timeout": 0},
        {"url": "https://feeds.example.id/rss", "timeout": "20"},
        {"url": "https://feeds.example.id/rss", "keywords": "banjir"},
        {"url": "https://feeds.example.id/rss", "keywords": ["banjir", 3]},
    ],
)
def test_missing_or_invalid_settings_are_not_configured(settings: dict[str, object]) -> None:
    with pytest.raises(NotConfigured):
        build_source("rss", settings)


def test_an_invalid_url_setting_is_reported_without_its_credentials() -> None:
    with pytest.raises(NotConfigured) as caught:
        build_source("rss", {"url": "ftp://bob:hunter22@feeds.example.id/rss"})

    assert "hunter22" not in str(caught.value)


def test_an_unreadable_date_leaves_published_at_empty() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
    <item><guid isPermaLink="false">x-1</guid><title>Isu lama</title>
    <pubDate>kemarin sore</pubDate></item>
    </channel></rss>"""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=feed, headers=RSS_TYPE)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        result = build_source("rss", {"url": "https://x.example.id/rss"}, http=client).fetch(None)

    assert [(p.external_id, p.published_at) for p in result.posts] == [("x-1", None)]
