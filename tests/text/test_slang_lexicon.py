"""Checks on the slang lexicon data files (slang.tsv and standard_words.txt).

The checking logic lives in this module on purpose: it guards data, not code, and
``find_problems`` is exercised both on the shipped files and on a deliberately bad
in-memory lexicon so that the checks are known to be able to fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

LEXICON_DIR = Path(__file__).resolve().parents[2] / "monitor" / "text" / "lexicons"
SLANG_PATH = LEXICON_DIR / "slang.tsv"
STANDARD_PATH = LEXICON_DIR / "standard_words.txt"

MIN_ENTRIES = 1500
_KEY_RE = re.compile(r"[a-z0-9]+")
_WORD_RE = re.compile(r"[a-z]+")
_VOWELS = frozenset("aiueo")

# Spellings used as slang somewhere that are also standard words with another meaning
# (gua = cave, liat = tough/clayey, kaos = chaos, embung = reservoir, sale = dried banana,
# asap = smoke, loker = locker, taun = plague, kek = grandpa, cah = stir-fry, lebai =
# mosque official...). The lexicon must leave them alone.
STANDARD_HOMOGRAPHS = frozenset(
    {
        "dan", "kan", "sore", "masa", "gua", "gada", "liat", "kaos", "mangan", "embung",
        "kasep", "apik", "sale", "asap", "loker", "tuk", "taun", "kek", "cah", "lebai",
    }
)  # fmt: skip


def parse_lexicon(lines: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Parse ``slang<TAB>standard`` lines, skipping blank lines and ``#`` comments.

    Returns the mapping (first occurrence wins) and a list of problems found while
    parsing: lines without exactly one tab, and repeated keys. Never raises.
    """
    mapping: dict[str, str] = {}
    problems: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            problems.append(f"line {number}: expected slang<TAB>standard, got {line!r}")
            continue
        key, target = parts
        if key in mapping:
            problems.append(f"line {number}: duplicate key {key!r}")
            continue
        mapping[key] = target
    return mapping, problems


def find_problems(lines: Iterable[str], standard_words: set[str]) -> list[str]:
    """Return every problem in a lexicon given as lines; an empty list means it is clean.

    Checks: format, duplicate keys, keys are lowercase single tokens of letters and
    digits, no key maps to itself, targets are standard words separated by single
    spaces, every target word is in ``standard_words`` and no target word is itself a
    slang key (a target must never need a second lookup).
    """
    mapping, problems = parse_lexicon(lines)
    for key, target in mapping.items():
        if not _KEY_RE.fullmatch(key):
            problems.append(f"key {key!r}: not a lowercase single token")
        if key == target:
            problems.append(f"key {key!r}: maps to itself")
            continue
        words = target.split(" ")
        if not target or any(not word for word in words):
            problems.append(f"key {key!r}: target {target!r} is empty or badly spaced")
            continue
        for word in words:
            if word not in standard_words:
                problems.append(f"key {key!r}: target word {word!r} is not a standard word")
            if word in mapping:
                problems.append(f"key {key!r}: target word {word!r} is itself a slang key")
    return problems


def is_plausible_word(word: str) -> bool:
    """Cheap shape rule for a standard Indonesian word: lowercase letters, at least one vowel."""
    return bool(_WORD_RE.fullmatch(word)) and any(c in _VOWELS for c in word)


def _slang_lines() -> list[str]:
    return SLANG_PATH.read_text(encoding="utf-8").splitlines()


def _standard_words() -> list[str]:
    return STANDARD_PATH.read_text(encoding="utf-8").splitlines()


def _lexicon() -> dict[str, str]:
    mapping, _ = parse_lexicon(_slang_lines())
    return mapping


def test_the_shipped_lexicon_has_no_problems() -> None:
    assert find_problems(_slang_lines(), set(_standard_words())) == []


def test_the_lexicon_holds_at_least_the_required_number_of_entries() -> None:
    assert len(_lexicon()) >= MIN_ENTRIES


def test_every_standard_word_looks_like_an_indonesian_word() -> None:
    bad = [word for word in _standard_words() if not is_plausible_word(word)]
    assert bad == []


def test_the_standard_word_list_has_no_repeats() -> None:
    words = _standard_words()
    assert len(words) == len(set(words))


def test_no_standard_word_is_also_a_slang_key() -> None:
    keys = set(_lexicon())
    assert sorted(keys.intersection(_standard_words())) == []


def test_every_standard_word_is_used_by_some_target() -> None:
    used = {word for target in _lexicon().values() for word in target.split(" ")}
    assert sorted(set(_standard_words()) - used) == []


def test_the_checker_reports_every_kind_of_problem_in_a_bad_lexicon() -> None:
    bad_lines = [
        "# comment lines and blank lines are ignored",
        "",
        "yg\tyang",
        "yg\tyang",  # duplicate key
        "Gw\tsaya",  # not lowercase
        "gak tau\ttidak tahu",  # key with a space
        "bapak\tbapak",  # maps to itself
        "tdk\ttydak",  # target word not in the allow-list
        "udh\tudah",  # chain: target is another slang key
        "udah\tsudah",
        "gpp\ttidak  apa",  # double space in target
        "no tab here",  # malformed line
    ]
    standard = {"yang", "saya", "tidak", "tahu", "bapak", "sudah", "apa", "udah"}

    problems = find_problems(bad_lines, standard)

    expected_fragments = [
        "duplicate key 'yg'",
        "key 'Gw': not a lowercase single token",
        "key 'gak tau': not a lowercase single token",
        "key 'bapak': maps to itself",
        "target word 'tydak' is not a standard word",
        "key 'udh': target word 'udah' is itself a slang key",
        "key 'gpp': target 'tidak  apa' is empty or badly spaced",
        "expected slang<TAB>standard",
    ]
    for fragment in expected_fragments:
        assert any(fragment in problem for problem in problems), fragment
    assert len(problems) == len(expected_fragments)


def test_the_checker_accepts_a_clean_lexicon() -> None:
    lines = ["# section", "yg\tyang", "gpp\ttidak apa apa", "4ku\taku"]
    assert find_problems(lines, {"yang", "tidak", "apa", "aku"}) == []


def test_the_word_shape_rule_rejects_digits_punctuation_and_vowelless_strings() -> None:
    assert is_plausible_word("pemerintah")
    assert not is_plausible_word("s4ya")
    assert not is_plausible_word("hoaks-nya")
    assert not is_plausible_word("Presiden")
    assert not is_plausible_word("brp")
    assert not is_plausible_word("")


def test_it_maps_the_forms_named_in_the_brief() -> None:
    expected = {
        "yg": "yang",
        "dgn": "dengan",
        "tdk": "tidak",
        "gk": "tidak",
        "gak": "tidak",
        "nggak": "tidak",
        "enggak": "tidak",
        "bgt": "sangat",
        "udh": "sudah",
        "blm": "belum",
        "utk": "untuk",
        "kpd": "kepada",
        "tp": "tetapi",
        "kalo": "kalau",
        "gmn": "bagaimana",
        "knp": "mengapa",
        "skrg": "sekarang",
        "kmrn": "kemarin",
        "bpk": "bapak",
        "gpp": "tidak apa apa",
        "otw": "dalam perjalanan",
        "gue": "saya",
        "nyokap": "ibu",
        "4ku": "aku",
        "s4y4": "saya",
        "b3s0k": "besok",
        "ciyus": "serius",
        "miapah": "demi apa",
        "ora": "tidak",
        "piye": "bagaimana",
        "naon": "apa",
        "pemerinta": "pemerintah",
        "vaksen": "vaksin",
        "menkes": "menteri kesehatan",
        "pilpres": "pemilihan presiden",
        "bansos": "bantuan sosial",
        "blt": "bantuan langsung tunai",
        "hoax": "hoaks",
        "thx": "terima kasih",
        "please": "tolong",
        "anak2": "anak anak",
    }
    lexicon = _lexicon()
    wrong = {key: lexicon.get(key) for key, value in expected.items() if lexicon.get(key) != value}
    assert wrong == {}


def test_it_leaves_standard_words_with_another_meaning_alone() -> None:
    lexicon = _lexicon()
    assert sorted(STANDARD_HOMOGRAPHS.intersection(lexicon)) == []
