"""RSS 2.0 / Atom 1.0 feed connector (``kind = "rss"``).

Settings: ``url`` (required, http or https), ``keywords`` (list of strings: keep only entries
whose text contains one of them, case-insensitive; empty keeps all), ``timeout`` (seconds,
default 20), ``user_agent``, ``max_bytes`` (largest feed body accepted, default 10 MiB).

The feed is downloaded with httpx and the bytes are handed to feedparser, which never does
its own HTTP. The cursor keeps the ETag / Last-Modified validators for a conditional GET.
Credentials in the URL (userinfo, token-like query values) never reach logs, errors or posts.
"""

from __future__ import annotations

import calendar
import io
import json
import logging
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit, urlunsplit

import feedparser
import httpx
from feedparser.exceptions import NonXMLContentType

from monitor.sources.base import (
    FetchedPost,
    FetchResult,
    NotConfigured,
    SourceError,
    number_setting,
    redact_url,
    scrub,
    sha256_id,
    str_list_setting,
    str_setting,
    url_secrets,
)
from monitor.sources.htmltext import html_to_text, tidy_text
from monitor.sources.registry import register_source

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("pantau")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "dev"


DEFAULT_USER_AGENT = f"Pantau/{_version()} (public-information hoax monitor; feed reader)"
DEFAULT_TIMEOUT_SECONDS = 20.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
#: Retrying cannot fix these: the feed is gone or we are not allowed to read it.
_PERMANENT_STATUSES = frozenset({401, 403, 404, 410, 451})


@register_source
class RssSource:
    """Reads one RSS or Atom feed."""

    kind: ClassVar[str] = "rss"

    def __init__(
        self,
        url: str,
        *,
        keywords: list[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        user_agent: str = DEFAULT_USER_AGENT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        http: httpx.Client | None = None,
    ) -> None:
        self.url = url
        self.keywords = [k.casefold() for k in keywords or []]
        self.timeout = timeout
        self.user_agent = user_agent
        self.max_bytes = max_bytes
        self._http = http
        self._safe_url = redact_url(url)
        self._secrets = url_secrets(url)

    def __repr__(self) -> str:
        return f"RssSource({self._safe_url!r})"

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, http: httpx.Client | None = None
    ) -> Self:
        """Build from settings; raises NotConfigured for a missing or invalid setting."""
        url = str_setting(settings, "url").strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NotConfigured(f"setting 'url' must be an http(s) URL, got {redact_url(url)!r}")
        max_bytes = number_setting(settings, "max_bytes", default=DEFAULT_MAX_BYTES)
        return cls(
            url,
            keywords=str_list_setting(settings, "keywords"),
            timeout=number_setting(settings, "timeout", default=DEFAULT_TIMEOUT_SECONDS),
            user_agent=str_setting(settings, "user_agent", default=DEFAULT_USER_AGENT),
            max_bytes=int(max_bytes),
            http=http,
        )

    def fetch(self, cursor: str | None) -> FetchResult:
        """Download and parse the feed; 304 Not Modified gives an empty result.

        Raises SourceError: permanent for HTTP 401/403/404/410/451 and unusable URLs,
        transient for 5xx and other statuses, timeouts, connection errors, oversized bodies
        and documents that yield no feed at all.
        """
        problems: list[str] = []
        validators = _read_cursor(cursor, problems)
        headers = {"User-Agent": self.user_agent, "Accept": _ACCEPT}
        if "etag" in validators:
            headers["If-None-Match"] = validators["etag"]
        if "last_modified" in validators:
            headers["If-Modified-Since"] = validators["last_modified"]

        status, response_headers, body, final_url = self._download(headers)
        if status == 304:
            log.debug("feed %s not modified", self._safe_url)
            return FetchResult(posts=[], cursor=_write_cursor(validators), problems=problems)
        new_cursor = _write_cursor(
            {
                name: value
                for name, value in (
                    ("etag", response_headers.get("etag")),
                    ("last_modified", response_headers.get("last-modified")),
                )
                if value
            }
        )
        parsed = self._parse(body, response_headers.get("content-type"), final_url)
        complaint = _complaint(parsed, self._secrets)
        if complaint and parsed.entries:
            problems.append(
                f"feed is not well-formed ({complaint}); "
                f"{len(parsed.entries)} entries recovered by the lenient parser"
            )
        posts = self._posts(parsed.entries, problems)
        return FetchResult(posts=posts, cursor=new_cursor, problems=problems)

    # -- HTTP ---------------------------------------------------------------------------

    def _download(self, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes, str]:
        """GET the feed, following redirects.

        Returns (status, headers, body, final URL) for 2xx and 304; raises SourceError.
        """
        try:
            if self._http is not None:
                return self._request(self._http, headers)
            with httpx.Client(follow_redirects=True) as client:
                return self._request(client, headers)
        except httpx.TimeoutException as exc:
            raise SourceError(self._describe(f"timed out after {self.timeout:g}s", exc)) from None
        except httpx.TooManyRedirects as exc:
            raise SourceError(self._describe("too many redirects", exc)) from None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            raise SourceError(self._describe("unusable URL", exc), permanent=True) from None
        except httpx.TransportError as exc:
            raise SourceError(self._describe("connection failed", exc)) from None
        except httpx.HTTPError as exc:  # e.g. a body that fails to decompress
            raise SourceError(self._describe("download failed", exc)) from None

    def _request(
        self, client: httpx.Client, headers: dict[str, str]
    ) -> tuple[int, httpx.Headers, bytes, str]:
        with client.stream(
            "GET", self.url, headers=headers, timeout=self.timeout, follow_redirects=True
        ) as response:
            status = response.status_code
            final_url = str(response.url)
            if status == 304:
                return status, response.headers, b"", final_url
            if not 200 <= status < 300:
                reason = f"HTTP {status} {response.reason_phrase}".rstrip()
                permanent = status in _PERMANENT_STATUSES
                raise SourceError(f"{reason} from {self._safe_url}", permanent=permanent)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise SourceError(
                        f"feed at {self._safe_url} is larger than {self.max_bytes} bytes"
                    )
                chunks.append(chunk)
            return status, response.headers, b"".join(chunks), final_url

    def _describe(self, what: str, exc: Exception) -> str:
        detail = scrub(str(exc), self._secrets) or type(exc).__name__
        return f"{what} fetching {self._safe_url}: {detail}"

    # -- parsing ------------------------------------------------------------------------

    def _parse(self, body: bytes, content_type: str | None, final_url: str) -> Any:
        """Parse ``body`` with feedparser; raises SourceError when no feed comes out of it."""
        # Relative links resolve against the (redirected) feed URL without userinfo or query,
        # so no credential of ours can end up inside a post's link or raw payload.
        parts = urlsplit(final_url)
        netloc = parts.netloc.rpartition("@")[2]
        base = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
        response_headers = {"content-location": base}
        if content_type:
            response_headers["content-type"] = content_type
        try:
            # A BytesIO, never bytes or str: feedparser treats those as a URL or file name.
            parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
        except Exception as exc:  # feedparser on hostile input: report, never crash the caller
            raise SourceError(self._describe("feed parser crashed", exc)) from None
        if not parsed.entries:
            complaint = _complaint(parsed, self._secrets)
            if complaint:
                raise SourceError(f"feed at {self._safe_url} could not be parsed: {complaint}")
            if not parsed.get("version"):
                raise SourceError(
                    f"response from {self._safe_url} is not an RSS or Atom feed "
                    f"(content-type {content_type or 'missing'})"
                )
        return parsed

    def _posts(self, entries: list[Any], problems: list[str]) -> list[FetchedPost]:
        posts: list[FetchedPost] = []
        for number, entry in enumerate(entries, start=1):
            try:
                post = _entry_to_post(entry)
            except (TypeError, ValueError, AttributeError, KeyError) as exc:
                problems.append(f"entry {number}: skipped, unreadable: {exc}")
                continue
            if post is None:
                problems.append(f"entry {number}: skipped, it has neither title nor text")
                continue
            if self.keywords and not _contains_any(post.text, self.keywords):
                continue
            posts.append(post)
        return posts


def _read_cursor(cursor: str | None, problems: list[str]) -> dict[str, str]:
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        problems.append("stored cursor is unreadable; fetching the whole feed")
        return {}
    # Only values that are valid in a request header (a stored oddity must not crash httpx).
    return {
        key: value
        for key, value in data.items()
        if key in ("etag", "last_modified")
        and isinstance(value, str)
        and value.isascii()
        and value.isprintable()
    }


def _write_cursor(validators: Mapping[str, str]) -> str | None:
    return json.dumps(dict(validators), sort_keys=True) if validators else None


def _complaint(parsed: Any, secrets: list[str]) -> str:
    """What feedparser found wrong with the document; "" when nothing worth reporting."""
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    if exc is None:
        return "unknown parser error"
    # A missing or non-XML Content-Type says nothing about the document itself.
    if isinstance(exc, NonXMLContentType):
        return ""
    return scrub(f"{type(exc).__name__}: {exc}", secrets)


def _contains_any(text: str, keywords: list[str]) -> bool:
    folded = text.casefold()
    return any(keyword in folded for keyword in keywords)


# -- entries -> posts ---------------------------------------------------------------------


def _entry_to_post(parsed_entry: Mapping[str, Any]) -> FetchedPost | None:
    """Convert one feedparser entry; None when it carries no text at all."""
    # A plain dict: FeedParserDict.get maps aliases and warns (DeprecationWarning) when
    # asked for "updated_parsed" on an entry that only has "published_parsed".
    entry = dict(parsed_entry)
    title = _detail_text(entry.get("title"), entry.get("title_detail"))
    summary = _detail_text(entry.get("summary"), entry.get("summary_detail"))
    # Prefer the fullest body: content:encoded / atom:content usually holds the whole
    # article while the summary is a teaser.
    body = summary
    for content in entry.get("content") or []:
        text = _detail_text(content.get("value"), content)
        if len(text) > len(body):
            body = text
    if body.casefold().startswith(title.casefold()):
        text = body
    else:
        text = f"{title}\n{body}" if title and body else title or body
    if not text:
        return None
    link = _web_link(entry.get("link"))
    raw_id = entry.get("id")
    external_id = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None
    if external_id is None:
        external_id = link or sha256_id(f"{title}\n{summary}")
    author = entry.get("author") or None
    return FetchedPost(
        external_id=external_id,
        text=text,
        url=link,
        author=author if isinstance(author, str) else None,
        published_at=_entry_time(entry),
        raw=_jsonable(entry),
    )


def _web_link(value: object) -> str | None:
    """An http(s) link, or None (feedparser copies Atom ids such as ``tag:`` URIs into link)."""
    if not isinstance(value, str):
        return None
    link = value.strip()
    try:
        scheme = urlsplit(link).scheme
    except ValueError:
        return None
    return link if scheme in ("http", "https") else None


def _detail_text(value: object, detail: object) -> str:
    """Plain text of a feedparser text construct (HTML stripped unless it is text/plain)."""
    if not isinstance(value, str):
        return ""
    kind = detail.get("type", "") if isinstance(detail, Mapping) else ""
    if kind == "text/plain":
        return tidy_text(value)
    return html_to_text(value)


def _entry_time(entry: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            try:
                return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
            except (OverflowError, OSError, ValueError):
                continue
    return None


def _jsonable(value: object, depth: int = 0) -> Any:
    """``value`` as JSON-serialisable data (feedparser dicts, lists, struct_time...)."""
    if depth > 20:
        return None
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else None
    if isinstance(value, time.struct_time):
        try:
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v, depth + 1) for v in value]
    return str(value)
