"""Groups for leakage-free validation: claim groups, topics, near-duplicate clusters, folds.

A random split over near-duplicates puts the same story on both sides and reports numbers
nobody sees in use, so every split in training and evaluation is made over groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

_NUM_PERM = 64
_SHINGLE = 3


def assign_group_folds(groups: Sequence[Any] | np.ndarray, n_folds: int) -> np.ndarray:
    """Return one fold id per row so that every group lands in exactly one fold.

    Groups are dealt largest first, each to the fold with fewest rows so far (ties: lowest
    fold id), which keeps folds balanced and the result deterministic. With fewer groups
    than ``n_folds`` every group becomes its own fold.

    Raises:
        ValueError: when there are fewer than two distinct groups or ``n_folds < 2``.
    """
    if n_folds < 2:
        raise ValueError("at least two folds are needed")
    keys = [str(g) for g in groups]
    sizes = Counter(keys)
    if len(sizes) < 2:
        raise ValueError("cannot split: all rows belong to one group")
    n_folds = min(n_folds, len(sizes))
    fold_rows = [0] * n_folds
    fold_of: dict[str, int] = {}
    for key, size in sorted(sizes.items(), key=lambda item: (-item[1], item[0])):
        fold = min(range(n_folds), key=lambda f: (fold_rows[f], f))
        fold_of[key] = fold
        fold_rows[fold] += size
    return np.array([fold_of[k] for k in keys], dtype=np.int64)


def fold_splits(fold_ids: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Return ``(train_idx, test_idx)`` pairs, one per distinct fold id, in fold order."""
    return [
        (np.flatnonzero(fold_ids != fold), np.flatnonzero(fold_ids == fold))
        for fold in np.unique(fold_ids)
    ]


def _shingles(text: str) -> set[bytes]:
    tokens = text.split()
    if len(tokens) < _SHINGLE:
        return {t.encode("utf-8") for t in tokens}
    return {
        " ".join(tokens[i : i + _SHINGLE]).encode("utf-8")
        for i in range(len(tokens) - _SHINGLE + 1)
    }


def near_duplicate_groups(normalized_texts: Sequence[str], threshold: float = 0.6) -> np.ndarray:
    """Cluster texts whose word 3-shingle sets overlap (estimated Jaccard ≥ ``threshold``).

    Identical texts always share a cluster; clusters are closed transitively. Returns one
    cluster id (0..k-1, in order of first appearance) per text.
    """
    n = len(normalized_texts)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first_seen: dict[str, int] = {}
    lsh = MinHashLSH(threshold=threshold, num_perm=_NUM_PERM)
    template = MinHash(num_perm=_NUM_PERM, seed=1, scheme="affine32")
    for i, text in enumerate(normalized_texts):
        key = " ".join(text.split())
        if key in first_seen:
            union(first_seen[key], i)
            continue
        first_seen[key] = i
        shingles = _shingles(key)
        if not shingles:
            continue
        minhash = MinHash(
            num_perm=_NUM_PERM, seed=1, permutations=template.permutations, scheme="affine32"
        )
        minhash.update_batch(list(shingles))
        for other in lsh.query(minhash):
            union(int(other), i)
        lsh.insert(str(i), minhash)
    roots = [find(i) for i in range(n)]
    ids: dict[int, int] = {}
    return np.array([ids.setdefault(r, len(ids)) for r in roots], dtype=np.int64)


def merge_groupings(*labelings: Sequence[Any]) -> np.ndarray:
    """Return groups that join rows sharing a label in any of ``labelings``.

    ``None`` never joins anything. Used to keep a claim group and every near-duplicate of
    any of its posts on the same side of a split. Returns ids 0..k-1 by first appearance.
    """
    n = len(labelings[0]) if labelings else 0
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for labels in labelings:
        if len(labels) != n:
            raise ValueError("all labelings must have one label per row")
        first: dict[str, int] = {}
        for i, label in enumerate(labels):
            if label is None:
                continue
            key = str(label)
            if key in first:
                ri, rj = find(first[key]), find(i)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
            else:
                first[key] = i
    ids: dict[int, int] = {}
    return np.array([ids.setdefault(find(i), len(ids)) for i in range(n)], dtype=np.int64)
