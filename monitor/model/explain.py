"""Why a post scored as it did: the terms and features that pushed its score up and down.

Each entry is a contribution to the model's linear decision value (log-odds before
calibration): ``w_j · x_j`` for a word n-gram of the normalized text (``term:``), the summed
char n-gram contributions of one word as written (``raw:``, case and punctuation kept), or a
surface feature relative to the training average (``feature:``). Up plus down plus the rest
plus the intercept equals the decision value exactly, because one linear model is scored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from monitor.model.compiled import Forward
from monitor.model.kernel import select_top

KINDS = ("term", "raw", "feature")
_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Explanation:
    """Top contributions of one scored post, strongest first.

    ``up`` pushed towards hoax (positive weights), ``down`` towards valid (negative weights).
    Each item is ``("<kind>:<text>", weight)`` with kind ``term``, ``raw`` or ``feature``.
    """

    up: list[tuple[str, float]]
    down: list[tuple[str, float]]

    def to_json(self) -> dict[str, Any]:
        """Return ``{"up": [{"kind", "text", "weight"}...], "down": [...]}``."""

        def items(pairs: list[tuple[str, float]]) -> list[dict[str, Any]]:
            out = []
            for label, weight in pairs:
                kind, _, text = label.partition(":")
                out.append({"kind": kind, "text": text, "weight": weight})
            return out

        return {"up": items(self.up), "down": items(self.down)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Explanation:
        """Rebuild an explanation from :meth:`to_json` output.

        Raises:
            KeyError, TypeError, ValueError: the data is not in that shape.
        """

        def pairs(items: list[dict[str, Any]]) -> list[tuple[str, float]]:
            return [(f"{i['kind']}:{i['text']}", float(i["weight"])) for i in items]

        return cls(up=pairs(data.get("up", [])), down=pairs(data.get("down", [])))

    def render(self) -> str:
        """Return a short multi-line text for terminals and e-mails."""
        lines = []
        for title, pairs in (("towards hoax", self.up), ("towards valid", self.down)):
            if pairs:
                shown = ", ".join(f"{label} ({weight:+.2f})" for label, weight in pairs)
                lines.append(f"{title}: {shown}")
        return "\n".join(lines) if lines else "no term stood out"


def explain_batch(forward: Forward, surface_names: Sequence[str], top_k: int) -> list[Explanation]:
    """Return one :class:`Explanation` per post of ``forward`` with at most ``top_k`` items
    on each side; items with a zero weight are left out.

    The items are chosen by a compiled pass over all items of the batch; only the chosen
    ones are turned into labels.
    """
    n = len(forward.decision)
    n_surface = len(surface_names)
    sources = list(forward.blocks)
    posts = [block.post for block in sources] + [np.repeat(np.arange(n), n_surface)]
    values = [block.value for block in sources] + [forward.surface_contrib.ravel()]
    source = np.concatenate([np.full(len(v), k, dtype=np.int64) for k, v in enumerate(values)])
    position = np.concatenate([np.arange(len(v)) for v in values])
    value = np.concatenate(values)
    chosen, n_up, n_down = select_top(np.concatenate(posts), value, n, top_k, _EPS)

    chosen_source, chosen_position = source[chosen], position[chosen]
    name_index = chosen_position % max(n_surface, 1)  # right for features; blocks below
    for k, block in enumerate(sources):
        mask = chosen_source == k
        name_index[mask] = block.unit_index[chosen_position[mask]]
    prefixes = [block.kind + ":" for block in sources] + ["feature:"]
    names = [block.names for block in sources] + [surface_names]
    labels = [
        prefixes[k] + names[k][i]
        for k, i in zip(chosen_source.tolist(), name_index.tolist(), strict=True)
    ]
    items = list(zip(labels, np.round(value[chosen], 4).tolist(), strict=True))
    explanations = []
    start = 0
    for ups, downs in zip(n_up.tolist(), n_down.tolist(), strict=True):
        middle, end = start + ups, start + ups + downs
        explanations.append(Explanation(up=items[start:middle], down=items[middle:end]))
        start = end
    return explanations
