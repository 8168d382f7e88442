"""Hashtags split into words."""

from __future__ import annotations

from monitor.text.hashtags import MAX_SEGMENTED_RUN, camel_parts, segment, split_hashtag

KNOWN = frozenset({"tolak", "hoaks", "di", "rumah", "aja", "ganti", "presiden", "kami", "tidak"})


def is_word(word: str) -> bool:
    return word in KNOWN


def test_camel_case_and_digits_split_the_tag() -> None:
    assert camel_parts("2019GantiPresiden") == ["2019", "Ganti", "Presiden"]
    assert camel_parts("BPJSGratis") == ["BPJS", "Gratis"]
    assert camel_parts("hoaks_vaksin") == ["hoaks", "vaksin"]


def test_a_lowercase_run_is_segmented_into_known_words() -> None:
    assert segment("tolakhoaks", is_word) == ["tolak", "hoaks"]
    assert segment("dirumahaja", is_word) == ["di", "rumah", "aja"]


def test_a_run_that_cannot_be_covered_is_kept_whole() -> None:
    assert segment("tolakxyz", is_word) == ["tolakxyz"]


def test_a_known_run_is_not_split_further() -> None:
    assert segment("hoaks", lambda w: w in {"hoaks", "ho", "aks"}) == ["hoaks"]


def test_overlong_runs_are_not_segmented() -> None:
    run = "tolak" * (MAX_SEGMENTED_RUN // 5 + 1)
    assert segment(run, is_word) == [run]


def test_split_hashtag_lowercases_and_segments_every_part() -> None:
    assert split_hashtag("#TolakHoaks", is_word) == ["tolak", "hoaks"]
    assert split_hashtag("#tolakhoaks", is_word) == ["tolak", "hoaks"]
    assert split_hashtag("#KAMITIDAK", is_word) == ["kami", "tidak"]
    assert split_hashtag("#2019GantiPresiden", is_word) == ["2019", "ganti", "presiden"]
