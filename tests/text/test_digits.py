"""Numbers, digits used as letters, reduplication with 2."""

from __future__ import annotations

import pytest

from monitor.text.digits import deleet, expand_reduplication, is_number, split_number_word

KNOWN = frozenset({"terbukti", "kamu", "banjir", "sekarang", "hoaks", "ini", "vaksin"})


@pytest.mark.parametrize(
    "token",
    [
        "2019",
        "50.000",
        "rp50.000",
        "rp.100.000",
        "10%",
        "5g",
        "4g",
        "50rb",
        "2jt",
        "12/03/2020",
        "10:30",
        "36,5",
        "3x",
        "24jam",
        "90an",
    ],
)
def test_real_numbers_are_numbers(token: str) -> None:
    assert is_number(token)


@pytest.mark.parametrize("token", ["covid19", "t3rbukt1", "h5n1", "anak2", "24jamnya", "g20"])
def test_words_with_digits_are_not_numbers(token: str) -> None:
    assert not is_number(token)


def test_a_number_glued_to_a_word_is_split() -> None:
    assert split_number_word("24jamnya") == ("24", "jamnya")
    assert split_number_word("50rb") is None
    assert split_number_word("kamu") is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("t3rbukt1", "terbukti"),
        ("k4mu", "kamu"),
        ("b4nj1r", "banjir"),
        ("s3karang", "sekarang"),
        ("h0aks", "hoaks"),
        ("1n1", "ini"),
        ("v4ksin", "vaksin"),
    ],
)
def test_digits_used_as_letters_become_letters(word: str, expected: str) -> None:
    assert deleet(word, KNOWN.__contains__) == expected


@pytest.mark.parametrize("word", ["h5n1", "g20", "covid19", "mp3", "2019", "abc"])
def test_codes_and_numbers_are_not_read_as_letters(word: str) -> None:
    assert deleet(word, KNOWN.__contains__) is None


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("anak2", "anak-anak"),
        ("hati2", "hati-hati"),
        ("kata2nya", "kata-katanya"),
        ("obat2an", "obat-obatan"),
        ("ibu2", "ibu-ibu"),
    ],
)
def test_the_reduplication_mark_doubles_the_word(word: str, expected: str) -> None:
    assert expand_reduplication(word) == expected


@pytest.mark.parametrize("word", ["ke2", "2", "a2b", "anak22", "2anak"])
def test_other_uses_of_2_are_no_reduplication(word: str) -> None:
    assert expand_reduplication(word) is None
