"""Connectors fed arbitrary bytes: they return a result or raise SourceError, nothing else."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.sources import FetchResult, SourceError, build_source

from .feeds import ATOM_1, RSS_2

PROPERTY = settings(deadline=None, max_examples=150)

# Bytes that look like the formats more often than uniform noise would.
file_bytes = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.sampled_from(
            [b'{"id": 1, "text": "a"}', b"\n", b"\r\n", b",", b'"', b"\xff", b"\xef\xbb\xbf",
             b"text", b"id,text", b"{", b"}", b"NaN", b"[", b"x", b"\t", b"\x00"]
        ),
        max_size=40,
    ).map(b"".join),
)  # fmt: skip
cursors = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.builds(
        lambda offset, line, head: json.dumps({"offset": offset, "line": line, "head": head}),
        st.integers(-5, 500),
        st.integers(-5, 50),
        st.text(max_size=5),
    ),
)


def fetch_file(data: bytes, suffix: str, cursor: str | None) -> FetchResult | SourceError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"posts{suffix}"
        path.write_bytes(data)
        source = build_source("file", {"path": str(path), "batch_size": 3})
        try:
            result = source.fetch(cursor)
            # Whatever came out must be usable as the next cursor.
            source.fetch(result.cursor)
        except SourceError as error:
            return error
        return result


@PROPERTY
@given(file_bytes, st.sampled_from([".jsonl", ".csv", ".tsv"]), cursors)
def test_a_file_source_never_fails_with_anything_but_source_error(
    data: bytes, suffix: str, cursor: str | None
) -> None:
    outcome = fetch_file(data, suffix, cursor)

    if isinstance(outcome, FetchResult):
        for post in outcome.posts:
            assert post.text.strip()
            json.dumps(dict(post.raw))


def mangled(document: bytes) -> st.SearchStrategy[bytes]:
    return st.tuples(st.integers(0, len(document)), st.integers(0, len(document))).map(
        lambda cut: document[: min(cut)] + document[max(cut) :]
    )


feed_bytes = st.one_of(st.binary(max_size=300), mangled(RSS_2), mangled(ATOM_1))


@PROPERTY
@given(feed_bytes, st.sampled_from(["application/rss+xml", "text/html", ""]), cursors)
def test_a_feed_source_never_fails_with_anything_but_source_error(
    body: bytes, content_type: str, cursor: str | None
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": content_type} if content_type else {}
        return httpx.Response(200, content=body, headers=headers)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        source = build_source("rss", {"url": "https://feeds.example.id/rss"}, http=client)
        try:
            result = source.fetch(cursor)
        except SourceError:
            return

    for post in result.posts:
        assert post.text
        json.dumps(dict(post.raw))
