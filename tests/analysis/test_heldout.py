"""Held-out rows: only whole groups the active model never saw, from every source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.analysis.heldout import (
    NoHeldOutData,
    claim_clusters,
    fingerprints,
    sample_by_group,
    split_heldout,
)

WORDS = [
    "banjir",
    "gempa",
    "vaksin",
    "bansos",
    "pemilu",
    "harga",
    "beras",
    "listrik",
    "sekolah",
    "jalan",
    "pasar",
    "kereta",
    "pelabuhan",
    "bandara",
    "hujan",
    "kemarau",
    "sawah",
    "nelayan",
    "guru",
    "dokter",
]


def _text(i: int) -> str:
    """A distinct sentence per ``i`` (no two share three words in a row)."""
    rng = np.random.default_rng(i)
    return " ".join(rng.choice(WORDS, size=8)) + f" nomor{i} kode{i * 7}"


def _frame(n_corpus: int = 40, n_store: int = 12, store_valid: int | None = None) -> pd.DataFrame:
    """Rows in pairs repeating one claim; pairs alternate hoax and valid.

    ``store_valid`` makes only that many store pairs valid (the rest hoaxes).
    """
    rows = []
    for i in range(n_corpus + n_store):
        store = i >= n_corpus
        pair = i // 2
        hoax = pair % 2 == 1
        if store and store_valid is not None:
            hoax = pair - n_corpus // 2 >= store_valid
        rows.append(
            {
                "text": _text(i),
                "label": "hoax" if hoax else "valid",
                "y": int(hoax),
                "claim_group": f"case:{pair}" if store else f"g{pair}",
                "source": "store" if store else "corpus",
            }
        )
    return pd.DataFrame(rows)


def test_rows_of_one_claim_group_share_a_group_and_others_do_not() -> None:
    frame = _frame(6, 0)

    groups = claim_clusters(list(frame["text"]), list(frame["claim_group"]))

    assert groups[0] == groups[1]
    assert groups[2] == groups[3]
    assert len(set(groups.tolist())) == 3


def test_near_duplicates_without_a_claim_group_share_a_group() -> None:
    texts = [
        "Vaksin MR bikin anak perempuan mandul, jangan mau disuntik, sebarkan ke grup",
        "Fwd: Vaksin MR bikin anak perempuan mandul, jangan mau disuntik, sebarkan ke grup!!",
        "Posyandu di RW 05 buka hari Sabtu jam delapan pagi untuk imunisasi balita",
    ]

    groups = claim_clusters(texts, [None, None, None])

    assert groups[0] == groups[1] != groups[2]


def test_a_group_with_a_row_the_active_model_saw_is_never_held_out() -> None:
    frame = _frame()
    seen = set(fingerprints(frame["text"].iloc[[0, 3]]))

    split = split_heldout(frame, seen, fraction=0.5)

    held = set(split.heldout["claim_group"])
    assert not held & {"g0", "g1"}
    assert split.seen_by_active == 2
    assert set(frame["claim_group"]) == held | set(split.train["claim_group"])
    assert not held & set(split.train["claim_group"])


def test_about_the_fraction_of_unseen_rows_is_held_out_from_each_source_and_label() -> None:
    frame = _frame(40, 40)

    split = split_heldout(frame, set(), fraction=0.3)

    counts = split.heldout.groupby(["source", "label"]).size()
    assert counts.tolist() == [6, 6, 6, 6]
    assert len(split.train) + len(split.heldout) == len(frame)


def test_a_scarce_label_is_still_held_out() -> None:
    frame = _frame(0, 60, store_valid=2)

    split = split_heldout(frame, set(), fraction=0.3)

    assert split.heldout["label"].value_counts().to_dict() == {"hoax": 18, "valid": 2}


def test_the_split_depends_only_on_the_seed() -> None:
    frame = _frame()

    first = split_heldout(frame, set(), seed=3)
    again = split_heldout(frame, set(), seed=3)
    other = split_heldout(frame, set(), seed=4)

    assert first.heldout["text"].tolist() == again.heldout["text"].tolist()
    assert first.heldout["text"].tolist() != other.heldout["text"].tolist()


def test_nothing_can_be_held_out_when_the_active_model_saw_every_group() -> None:
    frame = _frame(10, 0)
    seen = set(fingerprints(frame["text"].iloc[::2]))

    with pytest.raises(NoHeldOutData, match="active model"):
        split_heldout(frame, seen)


def test_a_held_out_part_with_one_class_is_refused() -> None:
    frame = _frame(10, 0)
    frame["y"] = 1
    frame["label"] = "hoax"

    with pytest.raises(NoHeldOutData, match="single class"):
        split_heldout(frame, set())


def test_the_fraction_must_be_a_proper_share() -> None:
    with pytest.raises(ValueError, match="fraction"):
        split_heldout(_frame(), set(), fraction=1.0)


def test_the_summary_counts_rows_and_hoaxes_per_part_and_source() -> None:
    split = split_heldout(_frame(), set(), fraction=0.5)

    summary = split.summary().set_index(["part", "source"])

    assert summary["rows"].sum() == 52
    held = split.heldout
    assert (
        summary.loc[("held out", "store"), "hoax"] == held.loc[held["source"] == "store", "y"].sum()
    )


def test_a_sample_takes_whole_groups_keeps_marked_rows_and_respects_the_size() -> None:
    groups = np.repeat(np.arange(30), 3)
    keep = np.zeros(len(groups), dtype=bool)
    keep[[4, 88]] = True

    mask = sample_by_group(groups, 30, seed=1, keep=keep)

    assert mask.sum() <= 30
    assert mask[[3, 4, 5, 87, 88, 89]].all()
    for group in np.unique(groups):
        assert len(set(mask[groups == group].tolist())) == 1


def test_a_sample_of_a_small_table_is_all_of_it() -> None:
    assert sample_by_group(np.arange(5), 10).all()


def test_a_split_without_fingerprints_says_so() -> None:
    split = split_heldout(_frame(), set())

    assert any("no training fingerprints" in note for note in split.notes)
