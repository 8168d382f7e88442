"""Surface features of a post."""

from __future__ import annotations

import pytest

from monitor.text import FEATURE_NAMES, normalize
from monitor.text.features import capital_ratio, count_spread_calls


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        ("Sebarkan!!", 1),
        ("viralkan sebelum dihapus", 1),
        ("share sebelum dihapus", 1),
        ("tolong sebarkan ke grup sebelum dihapus admin", 1),
        ("sebelum di hapus ya", 1),
        ("sebarkan. viralkan. bagikan.", 3),
        ("berita ini menyebar dengan cepat", 0),
        ("yang viral sekarang", 0),
    ],
)
def test_calls_to_spread_are_counted(text: str, calls: int) -> None:
    assert normalize(text).features["spread_call_count"] == calls


def test_spread_codes_count_a_phrase_after_a_call_once() -> None:
    assert count_spread_calls(["S", "B", "D"]) == 1
    assert count_spread_calls(["B", "D"]) == 1
    assert count_spread_calls(["B", "d", "h"]) == 1
    assert count_spread_calls(["S", ".", "S"]) == 2
    assert count_spread_calls([".", "B", "."]) == 0


def test_capital_ratio_is_the_share_of_capitals_among_letters() -> None:
    assert capital_ratio("ABcd") == 0.5
    assert capital_ratio("123 !!") == 0.0
    assert normalize("AWAS hoaks").features["capital_ratio"] == pytest.approx(4 / 9)


def test_counts_of_marks_links_mentions_emoji_and_numbers() -> None:
    features = normalize(
        "AWAS!!! Benarkah?? https://bit.ly/x @budi @ani #Hoaks 😱😱 Rp50.000 tahun 2019 "
        "bangeeet wkwkwk"
    ).features
    assert features["exclamation_count"] == 3
    assert features["question_count"] == 2
    assert features["url_count"] == 1
    assert features["mention_count"] == 2
    assert features["hashtag_count"] == 1
    assert features["emoji_count"] == 2
    assert features["number_count"] == 2
    assert features["elongation_count"] == 1
    assert features["laugh_count"] == 1


def test_length_features() -> None:
    result = normalize("Vaksin berbahaya")
    assert result.features["char_count"] == len("Vaksin berbahaya")
    assert result.features["token_count"] == len(result.tokens)


def test_every_feature_is_a_float_in_the_fixed_order() -> None:
    features = normalize("apa saja").features
    assert tuple(features) == FEATURE_NAMES
    assert all(isinstance(value, float) for value in features.values())
