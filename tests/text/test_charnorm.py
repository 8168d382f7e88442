"""Character cleaning: NFKC, invisible characters, accent folding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.text.charnorm import clean_text, fold_accents, nfkc, strip_invisible


def test_nfkc_turns_full_width_letters_and_ligatures_into_ascii() -> None:
    assert nfkc("Ｖａｋｓｉｎ ﬁlm ①") == "Vaksin film 1"


def test_nfkc_leaves_ascii_untouched() -> None:
    text = "Vaksin itu aman!!"
    assert nfkc(text) is text


def test_nfkc_replaces_lone_surrogates_instead_of_failing() -> None:
    assert "\ud800" not in nfkc("a\ud800b")


def test_strip_invisible_glues_words_split_by_zero_width_characters() -> None:
    assert strip_invisible("ho\u200baks va\u200ck\u200dsin\ufeff") == "hoaks vaksin"


def test_strip_invisible_drops_variation_selectors() -> None:
    assert strip_invisible("\u2764\ufe0f") == "\u2764"


def test_fold_accents_keeps_the_base_letters_and_case() -> None:
    assert fold_accents("Café Déjà Jum’at ß") == "Cafe Deja Jum'at ss"


def test_fold_accents_leaves_other_scripts_alone() -> None:
    assert fold_accents("новости خبر") == "новости خبر"


def test_clean_text_keeps_case_for_hashtags_and_capital_features() -> None:
    assert clean_text("#TolakHoaks ＢＥＲＩＴＡ") == "#TolakHoaks BERITA"


@given(st.text())
def test_clean_text_is_a_fixed_point(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
