"""Elongations collapsed, laughter to one token."""

from __future__ import annotations

import pytest

from monitor.text.elongation import collapse_elongation, is_elongated, is_laughter

KNOWN = frozenset({"banget", "maaf", "saat", "tolong", "keren", "gol", "sakit"})


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("bangeeett", "banget"),
        ("bangeeeeet", "banget"),
        ("maaaaf", "maaf"),
        ("saaaaat", "saat"),
        ("toloooong", "tolong"),
        ("kereeeen", "keren"),
        ("gooolll", "gol"),
        ("sakiiiit", "sakit"),
    ],
)
def test_elongations_collapse_to_the_known_word(word: str, expected: str) -> None:
    assert collapse_elongation(word, KNOWN.__contains__) == expected


def test_without_a_known_candidate_long_runs_become_one_letter() -> None:
    assert collapse_elongation("zuzuuuuut") == "zuzut"


def test_words_that_are_not_elongated_are_returned_unchanged() -> None:
    assert collapse_elongation("saat", KNOWN.__contains__) == "saat"
    assert not is_elongated("maaf")
    assert is_elongated("maaaf")


@pytest.mark.parametrize(
    "word",
    [
        "wkwk",
        "wkwkwk",
        "wkwkwkwkwk",
        "kwkwkw",
        "awokawok",
        "hahaha",
        "hehe",
        "hihihi",
        "ahahah",
        "bwahahaha",
        "xixixi",
        "lol",
        "lmao",
        "ngakak",
    ],
)
def test_written_laughter_is_recognised(word: str) -> None:
    assert is_laughter(word)


@pytest.mark.parametrize("word", ["hai", "wak", "mahal", "kwik", "halo", "haram", "wah"])
def test_ordinary_words_are_no_laughter(word: str) -> None:
    assert not is_laughter(word)
