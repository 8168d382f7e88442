"""The hand-checked golden pairs of tests/text/golden.tsv."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.text import normalize

GOLDEN = Path(__file__).with_name("golden.tsv")
_ESCAPE_RE = re.compile(r"\\u([0-9a-fA-F]{4})")


def load_golden() -> list[tuple[int, str, str]]:
    """(line number, raw, expected) for every pair; lines without a tab are comments."""
    pairs = []
    for number, line in enumerate(GOLDEN.read_text(encoding="utf-8").splitlines(), 1):
        if "\t" not in line:
            continue
        raw, expected = line.split("\t", 1)
        pairs.append((number, _ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)), raw), expected))
    return pairs


PAIRS = load_golden()


def test_the_golden_file_has_enough_distinct_pairs() -> None:
    assert len({raw for _n, raw, _e in PAIRS}) >= 300


@pytest.mark.parametrize(
    ("number", "raw", "expected"), PAIRS, ids=[f"line{n}" for n, _r, _e in PAIRS]
)
def test_golden_pair(number: int, raw: str, expected: str) -> None:
    assert normalize(raw).text == expected, f"golden.tsv line {number}"
