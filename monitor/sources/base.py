"""What every source connector returns and raises, and the protocol it implements.

A connector is a class with a ``kind`` (its registry key), a ``from_settings`` constructor
and one method, ``fetch(cursor)``. The cursor is an opaque string the connector produced on
its previous fetch; the caller stores it and passes it back, so a connector keeps no state
between fetches and a crash resumes from the last committed cursor.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar, Protocol, Self, runtime_checkable
from urllib.parse import parse_qsl, unquote, unquote_plus, urlencode, urlsplit, urlunsplit

import httpx


@dataclass(frozen=True, slots=True)
class FetchedPost:
    """One post as a connector found it, before ingest.

    ``external_id`` is stable per source (the item's own id, else a sha256 of its link or
    text). ``text`` is plain text with HTML removed and entities decoded (never escaped: the
    UI escapes). ``published_at`` is timezone-aware UTC or None. ``raw`` is the original
    payload as JSON-serialisable data.
    """

    external_id: str
    text: str
    url: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    likes: int = 0
    shares: int = 0
    comments: int = 0
    views: int = 0
    raw: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one successful fetch.

    ``cursor`` is an opaque JSON-safe string to pass to the next fetch (None: nothing to
    remember). ``problems`` are human-readable notes about skipped or repaired items, e.g.
    ``"line 17: invalid JSON: ..."``. ``exhausted`` is False when more items are ready right
    now, so the caller may fetch again without waiting.
    """

    posts: list[FetchedPost]
    cursor: str | None
    problems: list[str] = field(default_factory=list)
    exhausted: bool = True


class SourceError(Exception):
    """A fetch failed. ``permanent`` means retrying cannot help (the source should be disabled).

    Permanent: gone or forbidden (HTTP 404/410/401/403), missing file, bad settings.
    Transient (the default): server errors, timeouts, connection failures, unreadable data.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class NotConfigured(Exception):  # noqa: N818  # the name is part of the interface
    """Raised by ``from_settings`` when a required setting is missing or a setting is invalid.

    Also raised by the registry for an unknown source kind.
    """


@runtime_checkable
class Source(Protocol):
    """A source connector."""

    kind: ClassVar[str]

    @classmethod
    def from_settings(
        cls, settings: Mapping[str, Any], *, http: httpx.Client | None = None
    ) -> Self:
        """Build the connector from its settings; raises NotConfigured."""
        ...

    def fetch(self, cursor: str | None) -> FetchResult:
        """Fetch what is new since ``cursor``.

        Raises SourceError for any failure caused by the remote side, the file or the
        settings; never another exception for bad data.
        """
        ...


def sha256_id(*parts: str) -> str:
    """A stable id for an item that has none: hex sha256 of ``parts`` joined by NUL."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


#: Query parameter names containing any of these (case-insensitive) carry credentials.
SECRET_PARAM_HINTS = ("key", "token", "secret", "password", "passwd", "sig", "auth", "credential")
MASK = "***"


def _is_secret_param(name: str) -> bool:
    lowered = name.lower()
    return any(hint in lowered for hint in SECRET_PARAM_HINTS)


def redact_url(url: str) -> str:
    """``url`` safe to log or show: userinfo and credential-like query values become ``***``.

    Query parameters whose name contains key/token/secret/password/sig/auth/credential are
    masked; the rest of the URL is kept so the operator can still recognise it. Never
    raises: a string that is not a parseable URL is returned with its secrets masked as far
    as they can be found.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_is_secret_param(name) for name, _ in pairs):
            masked = [(name, MASK if _is_secret_param(name) else value) for name, value in pairs]
            query = urlencode(masked, safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def url_secrets(url: str) -> list[str]:
    """The credential strings inside ``url`` (userinfo, credential-like query values), each
    both as written and percent-decoded, longest first.

    Used to scrub messages from libraries that may quote the URL back.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found: set[str] = set()
    if "@" in parts.netloc:
        userinfo = parts.netloc.rpartition("@")[0]
        found.update({userinfo, *userinfo.split(":", 1)})
        found.update(unquote(piece) for piece in userinfo.split(":", 1))
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        if value and _is_secret_param(unquote_plus(name)):
            found.update({value, unquote_plus(value)})
    # Longest first, so a secret that contains another is replaced whole.
    return sorted((s for s in found if s), key=len, reverse=True)


def scrub(message: str, secrets: list[str]) -> str:
    """``message`` with every string in ``secrets`` replaced by ``***``."""
    for secret in secrets:
        message = message.replace(secret, MASK)
    return message


# --- Settings helpers shared by connectors (each raises NotConfigured with the setting name).


def str_setting(settings: Mapping[str, Any], name: str, *, default: str | None = None) -> str:
    """The non-empty string setting ``name``; ``default`` when absent (required if None)."""
    value = settings.get(name)
    if value is None:
        if default is None:
            raise NotConfigured(f"setting {name!r} is required")
        return default
    if not isinstance(value, str) or not value.strip():
        raise NotConfigured(f"setting {name!r} must be a non-empty string")
    return value


def number_setting(settings: Mapping[str, Any], name: str, *, default: float) -> float:
    """The positive number setting ``name`` (``default`` when absent)."""
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise NotConfigured(f"setting {name!r} must be a positive number, got {value!r}")
    return float(value)


def int_setting(settings: Mapping[str, Any], name: str, *, default: int) -> int:
    """The positive integer setting ``name`` (``default`` when absent)."""
    value = settings.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise NotConfigured(f"setting {name!r} must be a positive integer, got {value!r}")
    return value


def str_list_setting(settings: Mapping[str, Any], name: str) -> list[str]:
    """The list-of-strings setting ``name`` (empty when absent); blank entries are dropped."""
    value = settings.get(name)
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise NotConfigured(f"setting {name!r} must be a list of strings")
    if not all(isinstance(item, str) for item in value):
        raise NotConfigured(f"setting {name!r} must be a list of strings")
    return [item for item in value if item.strip()]


# --- Value helpers for connectors that read loosely typed exports.

_GROUPED_DIGITS = re.compile(r"\d{1,3}(?:[.,\s_]\d{3})+")
_ABBREVIATED = re.compile(r"(\d+(?:[.,]\d+)?)\s*(k|rb|ribu|jt|juta)\.?", re.IGNORECASE)
_MULTIPLIERS = {"k": 1_000, "rb": 1_000, "ribu": 1_000, "jt": 1_000_000, "juta": 1_000_000}
#: Largest count stored (the store's BIGINT).
MAX_COUNT = 2**63 - 1
#: Epoch numbers above this are milliseconds (seconds would be past the year 5000).
_MILLISECONDS_FROM = 100_000_000_000


def parse_count(value: object) -> int:
    """A non-negative count from an export: ``12``, ``"12"``, ``"1.234"``, ``"1,2rb"``, ``"3K"``.

    Groups of three digits separated by ``.``/``,``/space are thousands (both the Indonesian
    and the English way). None or ``""`` is 0. Raises ValueError for anything else, including
    negative numbers, fractions and booleans.
    """
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise ValueError("a boolean is not a count")
    if isinstance(value, float) and value.is_integer() and abs(value) <= MAX_COUNT:
        value = int(value)
    if isinstance(value, int):
        if not 0 <= value <= MAX_COUNT:
            raise ValueError(f"count out of range: {value}")
        return value
    if not isinstance(value, str):
        raise ValueError(f"not a count: {value!r}")
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return parse_count(int(text))
    if _GROUPED_DIGITS.fullmatch(text) and len(text) <= 30:
        return parse_count(int(re.sub(r"\D", "", text)))
    abbreviated = _ABBREVIATED.fullmatch(text)
    if abbreviated and len(text) <= 30:
        number = float(abbreviated.group(1).replace(",", "."))
        return parse_count(round(number * _MULTIPLIERS[abbreviated.group(2).lower()]))
    raise ValueError(f"not a count: {value!r:.60}")


def parse_timestamp(value: object, naive_zone: tzinfo = UTC) -> datetime | None:
    """A timezone-aware UTC datetime from an export value; None for None or ``""``.

    Accepts ISO 8601 (``2024-03-05T10:00:00+07:00``, ``...Z``, ``2024-03-05 10:00``), RFC 2822
    (``Tue, 05 Mar 2024 10:00:00 +0700``) and Unix epoch seconds or milliseconds (number or
    digit string). Times without an offset are taken to be in ``naive_zone``. Raises
    ValueError when the value is none of these.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if isinstance(value, str):
        text = value.strip()
        try:
            value = float(text)
        except ValueError:
            return _parse_time_text(text, naive_zone)
    if isinstance(value, int | float):
        seconds = value / 1000 if abs(value) >= _MILLISECONDS_FROM else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise ValueError(f"epoch out of range: {value!r}") from exc
    raise ValueError(f"not a time: {value!r}")


def _parse_time_text(text: str, naive_zone: tzinfo) -> datetime:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError) as exc:
            raise ValueError(f"not a time: {text!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=naive_zone)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError) as exc:  # e.g. year 1 shifted before datetime.min
        raise ValueError(f"time out of range: {text!r:.60}") from exc
