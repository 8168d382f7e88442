"""MinHash band keys: deterministic, layout-specific, shared by near-duplicates."""

from __future__ import annotations

import pytest

from monitor.claims.minhash import MinHasher


def tokens(text: str) -> frozenset[str]:
    """The set of space-separated words."""
    return frozenset(text.split())


CLAIM = tokens("pertalite resmi hapus mulai 1 januari spbu seluruh indonesia jual pertamax")


def test_the_same_words_get_the_same_keys_in_another_hasher() -> None:
    first = MinHasher(24, 2, 7).keys_for([CLAIM])
    second = MinHasher(24, 2, 7).keys_for([CLAIM, frozenset({"lain", "kata", "sama"})])
    assert first.shape == (1, 24)
    assert (first[0] == second[0]).all()


def test_another_layout_never_shares_keys() -> None:
    keys = set(MinHasher(24, 2, 7).keys_for([CLAIM])[0].tolist())
    assert keys.isdisjoint(MinHasher(24, 2, 8).keys_for([CLAIM])[0].tolist())
    assert keys.isdisjoint(MinHasher(12, 4, 7).keys_for([CLAIM])[0].tolist())


def test_near_duplicates_share_bands_and_unrelated_sets_do_not() -> None:
    hasher = MinHasher(24, 2, 7)
    copy = CLAIM - {"seluruh", "indonesia"} | {"tangki"}
    other = tokens("harga cabai rawit pasar induk naik hujan sentra produksi")
    keys = hasher.keys_for([CLAIM, copy, other])
    shared_with_copy = len(set(keys[0].tolist()) & set(keys[1].tolist()))
    shared_with_other = len(set(keys[0].tolist()) & set(keys[2].tolist()))
    assert shared_with_copy >= 6
    assert shared_with_other == 0


def test_signatures_are_the_minima_and_an_empty_set_is_refused() -> None:
    hasher = MinHasher(4, 2, 1)
    single = hasher.signatures([frozenset({"a"}), frozenset({"b"})])
    both = hasher.signatures([frozenset({"a", "b"})])
    assert (both[0] == single.min(axis=0)).all()
    with pytest.raises(ValueError, match="empty"):
        hasher.signatures([frozenset()])
    assert hasher.signatures([]).shape == (0, 8)
