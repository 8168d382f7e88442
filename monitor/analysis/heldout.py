"""A held-out part that neither the active model nor the candidate has seen.

Comparing a new model with the active one is only fair on rows both never trained on. The
active model cannot be changed, so the held-out rows are chosen among rows it did not see
(its ``fingerprints.txt``); the candidate is then trained on every other row. Rows are
held out by whole groups (claim groups joined with near-duplicate clusters), and a group
with ANY row the active model saw is never held out, so no copy of a held-out claim helped
either model.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from monitor.model.grouping import merge_groupings, near_duplicate_groups
from monitor.model.train import text_fingerprint
from monitor.text import normalize_many


class NoHeldOutData(ValueError):  # noqa: N818 - reads as a sentence where it is raised
    """No row can be held out fairly (every group holds a row the active model saw), or the
    rows that can be hold a single class."""


def fingerprints(texts: pd.Series) -> pd.Series:
    """Return the training-set fingerprint of each text (case and whitespace folded)."""
    return texts.map(lambda t: text_fingerprint(str(t)))


def claim_clusters(texts: Sequence[str], claim_groups: Sequence[Any]) -> np.ndarray:
    """Return one group id per text: claim groups joined with near-duplicate clusters.

    The clusters are computed on the normalized texts, as in training, so a split over
    these groups never puts two copies of one claim on both sides. A missing claim group
    (None or NaN) joins nothing.
    """
    if not len(texts):
        return np.zeros(0, dtype=np.int64)
    normalized = [n.text for n in normalize_many([str(t) for t in texts])]
    duplicates = near_duplicate_groups(normalized)
    claims = [None if pd.isna(g) else str(g) for g in claim_groups]
    return merge_groupings(claims, [f"dup{d}" for d in duplicates.tolist()])


def row_groups(frame: pd.DataFrame) -> np.ndarray:
    """Return :func:`claim_clusters` of a frame's ``text`` and ``claim_group`` columns."""
    return claim_clusters(list(frame["text"]), list(frame["claim_group"]))


def sample_by_group(
    groups: np.ndarray, max_rows: int, *, seed: int = 0, keep: np.ndarray | None = None
) -> np.ndarray:
    """Return a row mask selecting at most ``max_rows`` rows by whole groups.

    Groups with a row where ``keep`` is True are always selected (even past ``max_rows``);
    further groups are added in a seeded random order while they fit. Smoke runs use it
    to train quickly on a smaller sample that is still split without leakage.
    """
    groups = np.asarray(groups)
    if len(groups) <= max_rows:
        return np.ones(len(groups), dtype=bool)
    chosen: set[int] = set(groups[keep].tolist()) if keep is not None else set()
    taken = int(np.isin(groups, list(chosen)).sum())
    sizes = pd.Series(groups).value_counts()
    rng = np.random.default_rng(seed)
    for group in rng.permutation(np.asarray(sizes.index)).tolist():
        size = int(sizes[group])
        if group in chosen or taken + size > max_rows:
            continue
        chosen.add(group)
        taken += size
    return np.isin(groups, list(chosen))


@dataclass(slots=True)
class HeldOutSplit:
    """The rows to train the candidate on and the rows both models are compared on.

    ``seen_by_active`` counts rows of the frame the active model trained on (all of them
    are in ``train``); ``notes`` say how the split was made.
    """

    train: pd.DataFrame
    heldout: pd.DataFrame
    seen_by_active: int
    notes: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """Return rows and hoaxes per part and source, for display."""
        parts = []
        for name, part in (("train", self.train), ("held out", self.heldout)):
            counts = part.groupby("source")["y"].agg(rows="size", hoax="sum")
            counts.insert(0, "part", name)
            parts.append(counts.reset_index())
        return pd.concat(parts, ignore_index=True)[["part", "source", "rows", "hoax"]]


def split_heldout(
    frame: pd.DataFrame,
    seen: Collection[str],
    *,
    fraction: float = 0.3,
    seed: int = 0,
    groups: np.ndarray | None = None,
) -> HeldOutSplit:
    """Hold out about ``fraction`` of the rows the active model never saw, by whole groups.

    ``seen`` holds the active model's training fingerprints (empty when there is no active
    model). The fraction is taken within each ``source`` (corpus, store) and ``label``, by
    the first row of each group, so the held-out part mixes them all; groups are drawn in
    a seeded random order. ``groups`` defaults to :func:`row_groups`.

    Raises:
        ValueError: ``fraction`` is not between 0 and 1.
        NoHeldOutData: no row is eligible, or the held-out part has a single class.
    """
    if not 0.0 < fraction < 1.0:
        raise ValueError("fraction must be between 0 and 1")
    frame = frame.reset_index(drop=True)
    groups = row_groups(frame) if groups is None else np.asarray(groups)
    seen_rows = fingerprints(frame["text"]).isin(set(seen)).to_numpy()
    blocked = set(groups[seen_rows].tolist())
    eligible = ~np.isin(groups, list(blocked))
    if not eligible.any():
        raise NoHeldOutData(
            "every row shares a claim group or near-duplicate cluster with a row the active "
            "model was trained on; add labelled rows it has not seen"
        )
    # Strata are (source, label) of a group's first row, so the held-out part mixes corpus
    # and reviewer rows, hoaxes and valid posts, even when one of them is scarce.
    firsts = frame.groupby(groups)[["source", "label"]].first()
    rng = np.random.default_rng(seed)
    chosen: set[int] = set()
    notes = []
    unseen = set(np.unique(groups[eligible]).tolist())
    for (source, label), members in firsts.groupby(["source", "label"], sort=True):
        candidates = [g for g in members.index.tolist() if g in unseen]
        if not candidates:
            continue
        sizes = pd.Series(groups[np.isin(groups, candidates)]).value_counts()
        target = fraction * int(sizes.sum())
        taken = 0
        for group in rng.permutation(np.asarray(candidates)).tolist():
            if taken >= target:
                break
            chosen.add(int(group))
            taken += int(sizes[group])
        notes.append(f"{source}, {label}: {taken} of {int(sizes.sum())} unseen rows held out")
    held = np.isin(groups, list(chosen))
    heldout = frame.loc[held].reset_index(drop=True)
    if heldout["y"].nunique() < 2:
        raise NoHeldOutData("the held-out rows hold a single class; label more cases")
    n_seen = int(seen_rows.sum())
    if not seen:
        notes.append(
            "no training fingerprints were given: rows the active model saw cannot be kept "
            "out of the held-out part"
        )
    notes.insert(
        0,
        f"{n_seen} row(s) were seen by the active model and {int((~eligible).sum()) - n_seen} "
        "more share a claim or near-duplicate cluster with them: all stay in training",
    )
    return HeldOutSplit(
        train=frame.loc[~held].reset_index(drop=True),
        heldout=heldout,
        seen_by_active=int(seen_rows.sum()),
        notes=notes,
    )
