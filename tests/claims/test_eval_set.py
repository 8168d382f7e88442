"""The labelled claim groups meet what issue 5 asks of an evaluation set, and are consistent."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "training_data" / "claims"


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_set_is_large_enough_and_has_copies_and_hard_negatives() -> None:
    posts = _rows("claim_groups.csv")
    groups = Counter(row["group_id"] for row in posts)
    topics: defaultdict[str, set[str]] = defaultdict(set)
    for row in posts:
        topics[row["topic"]].add(row["group_id"])
    assert len(posts) >= 300
    assert len(groups) >= 60
    assert sum(1 for size in groups.values() if size >= 3) >= 60
    # Hard negatives need several claims per topic.
    assert sum(1 for members in topics.values() if len(members) >= 3) >= 8


def test_ids_are_unique_and_every_known_hoax_label_exists() -> None:
    posts = _rows("claim_groups.csv")
    known = {row["id"] for row in _rows("known_hoaxes.csv")}
    assert len({row["post_id"] for row in posts}) == len(posts)
    assert {row["known_hoax_id"] for row in posts if row["known_hoax_id"]} <= known
    by_group: defaultdict[str, set[tuple[str, str]]] = defaultdict(set)
    for row in posts:
        assert row["text"].strip()
        by_group[row["group_id"]].add((row["topic"], row["known_hoax_id"]))
    assert all(len(labels) == 1 for labels in by_group.values())
