"""HTML fragments reduced to visible text."""

from __future__ import annotations

import pytest

from monitor.sources.htmltext import html_to_text, tidy_text


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Satu</p><p>Dua</p>", "Satu\nDua"),
        ("baris<br>baru<br/>lagi", "baris\nbaru\nlagi"),
        ("a &amp; b &lt;tag&gt; &#8212; &eacute;", "a & b <tag> — é"),
        ("<style>p {color: red}</style><script>var x = '<p>';</script>isi", "isi"),
        ("spasi   \t  banyak&nbsp;&nbsp;sekali", "spasi banyak sekali"),
        ("a < b dan c > d", "a < b dan c > d"),
        ("<p>tidak <b>ditutup", "tidak ditutup"),
        ("", ""),
    ],
)
def test_html_is_reduced_to_visible_text(markup: str, text: str) -> None:
    assert html_to_text(markup) == text


def test_tidy_text_trims_lines_and_drops_blank_ones() -> None:
    assert tidy_text("  satu  dua \n\n\t tiga\u00a0 ") == "satu dua\ntiga"
