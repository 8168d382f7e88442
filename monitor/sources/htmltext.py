"""HTML fragments (feed summaries, content) reduced to the text a reader sees.

Uses the stdlib ``html.parser``: tags removed, character references decoded (never
re-escaped: the UI escapes), script/style content dropped, block elements as line breaks.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

_SKIPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "iframe"})
_BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_SPACES = re.compile(r"[^\S\n]+")
_TAG = re.compile(r"<[^>]*>")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_ELEMENTS:
            self._skipping += 1
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_ELEMENTS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_ELEMENTS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: tags removed, entities decoded, script/style dropped.

    Block elements become line breaks; runs of spaces collapse; blank lines are dropped.
    """
    if "<" not in markup and "&" not in markup:
        return tidy_text(markup)
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
        text = "".join(extractor.parts)
    except (AssertionError, ValueError):  # html.parser on pathological markup
        text = html.unescape(_TAG.sub(" ", markup))
    return tidy_text(text)


def tidy_text(text: str) -> str:
    """``text`` with spaces collapsed within lines, lines trimmed and blank lines dropped."""
    return "\n".join(_lines(text.replace("\xa0", " ")))


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        cleaned = _SPACES.sub(" ", line).strip()
        if cleaned:
            yield cleaned
