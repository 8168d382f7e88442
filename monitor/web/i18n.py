"""Interface language: Bahasa Indonesia by default, English per user.

Every string the UI shows comes from :data:`monitor.web.catalogue.MESSAGES`, keyed by a
dotted name, with one text per language and ``{name}`` placeholders.
"""

from __future__ import annotations

import logging
from typing import Any

from monitor.web.catalogue import MESSAGES

log = logging.getLogger(__name__)

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"


def translate(key: str, lang: str, **params: Any) -> str:
    """The text of ``key`` in ``lang`` (falling back to Indonesian, then the key itself)."""
    entry = MESSAGES.get(key)
    if entry is None:
        log.warning("missing UI message %r", key)
        return key
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


class Translator:
    """``t(key, **params)`` bound to one language, for templates and handlers."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def maybe(self, prefix: str, value: str | None) -> str:
        """The text of ``prefix.value`` if the catalogue has it, else ``value`` itself."""
        if value is None:
            return ""
        key = f"{prefix}.{value}"
        return self(key) if key in MESSAGES else value
