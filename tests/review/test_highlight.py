"""Highlighting explanation terms never lets post text become markup."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from monitor.review.highlight import highlight, parse_explanation


def test_terms_are_marked_whole_word_and_case_insensitively() -> None:
    html = str(highlight("VAKSIN palsu, bukan vaksinasi", {"vaksin": "up", "palsu": "down"}))
    assert html == '<mark class="up">VAKSIN</mark> <mark class="down">palsu</mark>, bukan vaksinasi'


def test_a_longer_term_wins_over_a_shorter_one_inside_it() -> None:
    html = str(highlight("awas vaksin  palsu", {"vaksin": "down", "vaksin palsu": "up"}))
    assert html == 'awas <mark class="up">vaksin  palsu</mark>'


def test_markup_in_the_post_is_escaped_around_and_inside_marks() -> None:
    text = "<script>alert(1)</script> <img src=x onerror=alert(1)> lt &lt;"
    html = str(highlight(text, {"script": "up", "onerror": "up", "lt": "down"}))
    assert "<script" not in html and "<img" not in html
    assert '&lt;<mark class="up">script</mark>&gt;' in html
    assert html.endswith('&amp;<mark class="down">lt</mark>;')


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=12), max_size=5))
def test_no_text_and_no_term_can_produce_a_tag(text: str, terms: list[str]) -> None:
    html = str(highlight(text, dict.fromkeys(terms, "up")))
    without_marks = html.replace('<mark class="up">', "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_explanations_of_both_shapes_are_read_strongest_first() -> None:
    items = parse_explanation(
        {
            "up": [{"kind": "term", "text": "chip", "weight": 0.4}, ["raw:Sebarkan", 1.2], "junk"],
            "down": [{"kind": "term", "text": "resmi", "weight": -0.8}],
        }
    )
    assert [(c.kind, c.text, c.direction) for c in items] == [
        ("raw", "Sebarkan", "up"),
        ("term", "resmi", "down"),
        ("term", "chip", "up"),
    ]
    assert parse_explanation(None) == []
