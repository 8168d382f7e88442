"""Highlight explanation terms in post text, safely.

The text is never trusted: matches are found on the raw text, then every piece (the
matched words included) is HTML-escaped before it is wrapped in ``<mark>``. Nothing from
the post can become markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

_MAX_TERMS = 40


@dataclass(frozen=True, slots=True)
class Contribution:
    """One explanation item: its kind (term, raw, feature), text, weight and direction."""

    kind: str
    text: str
    weight: float

    @property
    def direction(self) -> str:
        """``up`` (towards hoax) or ``down`` (towards valid)."""
        return "up" if self.weight >= 0 else "down"


def parse_explanation(explanation: Mapping[str, Any] | None) -> list[Contribution]:
    """Explanation items from a score's JSON, strongest first; tolerant of older shapes.

    Accepts ``{"up": [{"kind", "text", "weight"}…], "down": […]}`` and the older
    ``{"up": [["term", w]…]}``; malformed items are skipped.
    """
    items: list[Contribution] = []
    for side in ("up", "down"):
        for entry in (explanation or {}).get(side) or []:
            try:
                if isinstance(entry, Mapping):
                    kind, text, weight = entry["kind"], entry["text"], entry["weight"]
                else:
                    label, weight = entry
                    kind, _, text = str(label).rpartition(":")
                    kind = kind or "term"
                weight = float(weight)
            except (KeyError, TypeError, ValueError):
                continue
            if side == "down" and weight > 0:
                weight = -weight
            items.append(Contribution(str(kind), str(text), weight))
    items.sort(key=lambda c: -abs(c.weight))
    return items


def highlight(text: str, terms: Mapping[str, str]) -> Markup:
    """``text`` escaped, with whole-word, case-insensitive matches of ``terms`` marked.

    ``terms`` maps a term to its CSS class (``up`` or ``down``). Longer terms win over
    shorter ones that overlap them.
    """
    wanted = {t.strip().lower(): css for t, css in terms.items() if t and t.strip()}
    if not wanted:
        return escape(text)
    ordered = sorted(wanted, key=len, reverse=True)[:_MAX_TERMS]
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in ordered) + r")(?!\w)",
        re.IGNORECASE,
    )
    parts: list[Markup] = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        found = match.group(0)
        css = wanted.get(" ".join(found.lower().split()), "up")
        parts.append(Markup('<mark class="{}">{}</mark>').format(css, found))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def term_classes(contributions: Iterable[Contribution], kinds: tuple[str, ...]) -> dict[str, str]:
    """Map each contribution text of the given kinds to ``up``/``down``."""
    return {c.text: c.direction for c in contributions if c.kind in kinds}
