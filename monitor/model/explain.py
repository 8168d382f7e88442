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

    All items of the batch are sorted at once by (post, weight) and the kept ones are chosen
    with array operations; only those are turned into labels, kind by kind.
    """
    n = len(forward.decision)
    n_surface = len(surface_names)
    sources = list(forward.blocks)
    posts = [block.post for block in sources] + [np.repeat(np.arange(n), n_surface)]
    values = [block.value for block in sources] + [forward.surface_contrib.ravel()]
    kind = np.concatenate([np.full(len(v), k, dtype=np.int64) for k, v in enumerate(values)])
    position = np.concatenate([np.arange(len(v)) for v in values])
    post = np.concatenate(posts)
    value = np.concatenate(values)
    order = np.lexsort((value, post))
    post, value, kind, position = post[order], value[order], kind[order], position[order]
    bounds = np.searchsorted(post, np.arange(n + 1))
    index = np.arange(len(post))
    # Per post the first top_k items are the most negative, the last top_k the most positive.
    down = np.flatnonzero((index - bounds[post] < top_k) & (value < -_EPS))
    up = np.flatnonzero((bounds[post + 1] - 1 - index < top_k) & (value > _EPS))
    up = up[np.lexsort((-up, post[up]))]  # strongest first within each post
    feature_labels = [f"feature:{name}" for name in surface_names]

    def pairs(chosen: np.ndarray) -> list[tuple[str, float]]:
        labels = np.empty(len(chosen), dtype=object)
        kinds, positions = kind[chosen], position[chosen]
        for k in range(len(sources) + 1):
            mask = kinds == k
            if not mask.any():
                continue
            at = positions[mask]
            if k == len(sources):
                labels[mask] = [feature_labels[p % n_surface] for p in at.tolist()]
            else:
                block = sources[k]
                prefix, names = block.kind + ":", block.names
                labels[mask] = [prefix + names[i] for i in block.unit_index[at].tolist()]
        weights = np.round(value[chosen], 4).tolist()
        return list(zip(labels.tolist(), weights, strict=True))

    down_pairs, up_pairs = pairs(down), pairs(up)
    down_bounds = np.searchsorted(post[down], np.arange(n + 1)).tolist()
    up_bounds = np.searchsorted(post[up], np.arange(n + 1)).tolist()
    return [
        Explanation(
            up=up_pairs[up_bounds[p] : up_bounds[p + 1]],
            down=down_pairs[down_bounds[p] : down_bounds[p + 1]],
        )
        for p in range(n)
    ]
