"""Groups for leakage-free splits: folds, near-duplicate clusters, merged groupings."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from monitor.model.grouping import (
    assign_group_folds,
    fold_splits,
    merge_groupings,
    near_duplicate_groups,
)


def test_every_group_lands_in_exactly_one_fold_and_folds_are_balanced() -> None:
    groups = [f"g{i % 23}" for i in range(200)] + ["big"] * 30
    folds = assign_group_folds(groups, 5)
    for group in set(groups):
        assert len({int(f) for g, f in zip(groups, folds, strict=True) if g == group}) == 1
    sizes = Counter(folds.tolist())
    assert len(sizes) == 5
    assert max(sizes.values()) - min(sizes.values()) <= 30


def test_fewer_groups_than_folds_gives_one_fold_per_group() -> None:
    folds = assign_group_folds(["a", "a", "b", "c"], 12)
    assert sorted(set(folds.tolist())) == [0, 1, 2]


def test_a_single_group_cannot_be_split() -> None:
    with pytest.raises(ValueError, match="one group"):
        assign_group_folds(["a", "a"], 3)


def test_fold_splits_cover_every_row_once() -> None:
    folds = np.array([0, 1, 0, 2, 1])
    splits = fold_splits(folds)
    tested = np.sort(np.concatenate([test for _, test in splits]))
    assert tested.tolist() == [0, 1, 2, 3, 4]
    for train, test in splits:
        assert not set(train) & set(test)


def test_near_duplicates_share_a_cluster_and_distinct_texts_do_not() -> None:
    base = "vaksin booster mengandung chip pelacak yang bisa dibaca sinyal 5g kata orang dalam"
    texts = [
        base,
        base + " sebar",
        "harga beras naik di pasar induk karena pasokan berkurang minggu ini",
        base,
        "gempa",
        "gempa",
    ]
    clusters = near_duplicate_groups(texts)
    assert clusters[0] == clusters[1] == clusters[3]
    assert clusters[4] == clusters[5]
    assert len({clusters[0], clusters[2], clusters[4]}) == 3


def test_merge_groupings_joins_rows_linked_by_any_labeling() -> None:
    claims = ["c1", None, "c2", None, "c1"]
    clusters = [0, 1, 1, 2, 3]
    merged = merge_groupings(claims, clusters)
    assert merged[0] == merged[4]
    assert merged[1] == merged[2]
    assert len(set(merged.tolist())) == 3
