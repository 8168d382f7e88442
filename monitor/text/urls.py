"""URLs and mentions to single tokens.

A URL becomes ``url:<domain>`` (``https://www.bit.ly/3xYz?a=1`` -> ``url:bit.ly``): the domain
is what tells a hoax site from an official one, the path is noise that never repeats. A
mention becomes the single token ``@mention``: who is tagged is not part of the claim.
"""

from __future__ import annotations

import re

URL_PREFIX = "url:"
MENTION_TOKEN = "@mention"  # noqa: S105 - a token, not a secret
UNKNOWN_DOMAIN = "unknown"

# Sub-domains that only say "the same site, another front end".
_NOISE_SUBDOMAINS = ("www.", "m.", "mobile.", "amp.", "web.")
# Top-level domains accepted for bare domains written without a scheme (``detik.com``).
BARE_TLDS = frozenset(
    [
        "com",
        "id",
        "net",
        "org",
        "co",
        "info",
        "io",
        "me",
        "ly",
        "gov",
        "edu",
        "biz",
        "xyz",
        "site",
        "online",
        "news",
        "tv",
        "my",
        "sg",
        "to",
        "gl",
        "gg",
        "cc",
        "link",
        "page",
        "app",
        "club",
        "top",
        "live",
        "blog",
        "web",
        "tk",
        "ml",
        "ga",
        "cf",
        "us",
        "uk",
        "au",
    ]
)
_DOMAIN_CHARS_RE = re.compile(r"[^\w.-]+")


def url_domain(url: str) -> str:
    """Return the lowercase host of ``url`` without ``www.``-like prefixes, user or port.

    Works on URLs with or without a scheme; returns ``unknown`` when there is no host.
    """
    rest = url.strip().lower()
    scheme_end = rest.find("://")
    if scheme_end != -1:
        rest = rest[scheme_end + 3 :]
    for sep in "/?#\\":
        cut = rest.find(sep)
        if cut != -1:
            rest = rest[:cut]
    rest = rest.rpartition("@")[2]
    rest = rest.partition(":")[0]
    rest = _DOMAIN_CHARS_RE.sub("", rest).strip(".-")
    for prefix in _NOISE_SUBDOMAINS:
        if rest.startswith(prefix) and rest.count(".") >= 2:
            rest = rest[len(prefix) :]
            break
    return rest or UNKNOWN_DOMAIN


def url_token(url: str) -> str:
    """Return the ``url:<domain>`` token for a URL (see :func:`url_domain`)."""
    return URL_PREFIX + url_domain(url)


def is_bare_domain(word: str) -> bool:
    """Whether a dotted word without scheme is a domain (``turnbackhoax.id``, ``kominfo.go.id``).

    Requires at least two labels, letters in the first label and a known top-level domain.
    """
    labels = word.lower().split("/", 1)[0].split(".")
    if len(labels) < 2 or not all(labels):
        return False
    return labels[-1] in BARE_TLDS and any(c.isalpha() for c in labels[0])
