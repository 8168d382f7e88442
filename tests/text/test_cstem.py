"""The compiled stemmer (``monitor.text._cstem``) gives exactly Sastrawi's and FastStemmer's stems.

Every test but the fallback one needs the built extension. They skip only when
``PANTAU_PURE_PYTHON=1`` disables it on purpose; otherwise a missing build fails
:func:`test_the_extension_is_built_and_active` (``setup.py`` builds it with ``optional=True``,
so a broken build would otherwise go unnoticed).
"""

from __future__ import annotations

import functools
import itertools
import random
import string
import tracemalloc
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from monitor.text.extensions import PURE_PYTHON_ENV, pure_python_requested
from monitor.text.fast_stemmer import C_STEMMER_AVAILABLE, FastStemmer, sastrawi_dictionary
from tests.text.pure_python import run_pure_python
from tests.text.test_fast_stemmer import PREFIXES, SUFFIXES

if TYPE_CHECKING:
    from monitor.text._cstem import CStemmer

needs_extension = pytest.mark.skipif(
    pure_python_requested(), reason=f"{PURE_PYTHON_ENV} is set: the C extension is disabled"
)

DICTIONARY = sastrawi_dictionary()

ROOTS = sorted(w for w in DICTIONARY if w.isascii() and w.isalpha())
PURE = FastStemmer(DICTIONARY, compiled=False)

# Confixes (prefix, suffix) as they occur, e.g. ke-an, pe-an, memper-kan.
CONFIXES = [
    ("ke", "an"),
    ("pe", "an"),
    ("per", "an"),
    ("ber", "an"),
    ("me", "kan"),
    ("me", "i"),
    ("di", "kan"),
    ("di", "i"),
    ("ter", "kan"),
    ("ter", "i"),
    ("memper", "kan"),
    ("memper", "i"),
    ("diper", "kan"),
    ("se", "nya"),
    ("ber", "kan"),
]
# me-/pe- before a root's first letter (the nasal replaces p, t, s, k).
NASAL = {
    "p": ("m", 1),
    "b": ("m", 0),
    "f": ("m", 0),
    "v": ("m", 0),
    "t": ("n", 1),
    "d": ("n", 0),
    "c": ("n", 0),
    "j": ("n", 0),
    "z": ("n", 0),
    "s": ("ny", 1),
    "k": ("ng", 1),
    "g": ("ng", 0),
    "h": ("ng", 0),
}


# Words picked to exercise each prefix rule, roughly in Sastrawi's rule order.
_RULE_WORDS_TEXT = """
berapi beranak berlari bertani bekerja belajar pelajar belajarnya sebelajar terangkat
terasa tertawa terpercaya terbang teperdaya melihat merasa mewarnai meyakini membaca
memfitnah memvonis memperbaiki mempengaruhi memakan memukul mencari mendengar menjual
menyapu menulis menanam menunggu mengganggu menghapus mengkaji mengambil mengebom
mengecat menyanyi menyusun mempunyai pewaris peyakin perumah peragu perjelas pertanian
perserta pembaca pemakan pemukul pencuri penanam penulis pengganggu pengambil pengetahuan
pengeboman penyanyi penyusun pelari pekerja pesuruh peserta terpesona gemetar gerigi
telunjuk geligi gemuruh temali kinerja sinambung kudengar kaulihat kuambil
"""
RULE_WORDS = _RULE_WORDS_TEXT.split()


def _cstemmer() -> CStemmer:
    from monitor.text._cstem import CStemmer

    return CStemmer(DICTIONARY)


@functools.cache
def _shared_cstemmer() -> CStemmer:
    """One stemmer for the property tests (hypothesis runs them hundreds of times)."""
    return _cstemmer()


def _nasalized(prefix: str, root: str) -> str:
    """``me``/``pe`` + root with the nasal Indonesian puts there (``me`` + ``pukul``: memukul)."""
    first = root[0]
    if first in "aiueo":
        return prefix + "ng" + root
    if first in NASAL:
        nasal, drop = NASAL[first]
        return prefix + nasal + root[drop:]
    return prefix + root


def _infixed(root: str, rng: random.Random) -> str:
    """A root with an -er-/-el-/-em-/-in- infix after its first consonant (rules 37-40)."""
    return root[0] + rng.choice(["er", "el", "em", "in"]) + root[1:]


def letter_words(seed: int = 20261127) -> list[str]:
    """Distinct [a-z] words covering every path of the stemmer."""
    rng = random.Random(seed)
    words: set[str] = set()
    # Short words (<= 3 letters): all of length 1 and 2, some of length 3.
    letters = string.ascii_lowercase
    words.update(letters)
    words.update(a + b for a in letters for b in letters)
    words.update("".join(rng.choice(letters) for _ in range(3)) for _ in range(800))
    # Words picked to exercise each prefix rule (and "belajar", which the Python port once
    # got wrong).
    words.update(RULE_WORDS)
    # Roots themselves.
    words.update(rng.sample(ROOTS, 1500))
    for _ in range(4000):  # prefix + root + suffix, from the FastStemmer test's pieces
        word = rng.choice(PREFIXES) + rng.choice(ROOTS) + rng.choice(SUFFIXES)
        if word.isalpha():
            words.add(word)
    for _ in range(3000):  # confixes, with the nasal after me-/pe-
        prefix, suffix = rng.choice(CONFIXES)
        root = rng.choice(ROOTS)
        head = _nasalized(prefix, root) if prefix in ("me", "pe") else prefix + root
        words.add(head + suffix + rng.choice(["", "", "nya", "lah", "kah", "pun"]))
    for _ in range(800):  # infixes
        words.add(_infixed(rng.choice(ROOTS), rng))
    for _ in range(1500):  # non-words
        length = rng.randint(4, 14)
        words.add("".join(rng.choice("aiueomnkpstdgrlbhcjywz") for _ in range(length)))
    return sorted(words)


@needs_extension
def test_the_extension_is_built_and_active() -> None:
    import monitor.text._cstem as cstem  # fails if setup.py silently skipped the build

    assert C_STEMMER_AVAILABLE
    assert FastStemmer().compiled
    assert cstem.MAX_WORD_LENGTH >= 30


@needs_extension
def test_c_stems_equal_sastrawi_on_ten_thousand_distinct_words() -> None:
    reference = StemmerFactory().create_stemmer()
    ours = _cstemmer()
    words = letter_words()
    assert len(words) >= 10_000
    assert sum(w in DICTIONARY for w in words) >= 1000
    assert sum(len(w) <= 3 for w in words) >= 1000
    mismatches = [
        (w, reference.stem(w), ours.stem_word(w))
        for w in words
        if ours.stem_word(w) != reference.stem(w)
    ]
    assert mismatches == []


@needs_extension
def test_reduplicated_words_still_equal_sastrawi() -> None:
    """Hyphenated words take the Python plural path, whose halves go to the C stemmer."""
    reference = StemmerFactory().create_stemmer()
    ours = FastStemmer(DICTIONARY)
    assert ours.compiled
    rng = random.Random(7)
    words = {"anak-anak", "buku-bukunya", "sayur-mayur", "bolak-balik", "kupu-kupu"}
    while len(words) < 1500:
        root = rng.choice(ROOTS)
        affixed = rng.choice(PREFIXES) + root + rng.choice(SUFFIXES)
        words.add(rng.choice([f"{root}-{affixed}", f"{affixed}-{root}", f"{root}-{root}-nya"]))
    mismatches = [
        (w, reference.stem(w), ours.stem_word(w))
        for w in sorted(words)
        if ours.stem_word(w) != reference.stem(w)
    ]
    assert mismatches == []


def test_the_python_path_applies_rule_4_like_sastrawi() -> None:
    """Regression: FastStemmer used to skip rule 4 (belajar -> ajar), whose required letters
    were longer than the key it matched them against."""
    from monitor.text import fast_stemmer

    reference = StemmerFactory().create_stemmer()
    for word in ["belajar", "belajarnya", "sebelajar", "berbelajar", "pelajar"]:
        assert PURE.stem_word(word) == reference.stem(word) == "ajar"
    required = [r for r, _ in fast_stemmer._PREFIX_GROUPS if not r.startswith("C?")]
    assert max(map(len, required)) <= fast_stemmer._KEY_LENGTH


@needs_extension
def test_rule_words_equal_sastrawi() -> None:
    reference = StemmerFactory().create_stemmer()
    ours = _cstemmer()
    assert {w: ours.stem_word(w) for w in RULE_WORDS} == {w: reference.stem(w) for w in RULE_WORDS}


@needs_extension
def test_known_stems() -> None:
    ours = _cstemmer()
    cases = {
        "menyebarkan": "sebar",
        "pemberitaan": "berita",
        "mempengaruhi": "pengaruh",
        "vaksinnya": "vaksin",
        "belajar": "ajar",
        "pelajar": "ajar",
        "gemetar": "gemetar",
        "": "",
        "xyz": "xyz",
    }
    assert {w: ours.stem_word(w) for w in cases} == cases


@needs_extension
def test_other_input_goes_back_to_the_python_path() -> None:
    from monitor.text._cstem import MAX_WORD_LENGTH

    ours = _cstemmer()
    for word in ["anak-anak", "covid19", "Menyebarkan", "mençari", "ßaya", "a b", "x\n"]:
        assert ours.stem_word(word) is None
    long_word = "memper" + "kemerdekaan" * 10
    assert len(long_word) > MAX_WORD_LENGTH
    assert ours.stem_word(long_word) is None
    assert ours.stem_word("a" * MAX_WORD_LENGTH) == "a" * MAX_WORD_LENGTH
    # FastStemmer falls back to Python for them and still gives Sastrawi's stems.
    reference = StemmerFactory().create_stemmer()
    for word in ["anak-anak", "covid19", long_word]:
        assert FastStemmer(DICTIONARY).stem_word(word) == reference.stem(word)
    with pytest.raises(TypeError):
        ours.stem_word(b"makan")  # type: ignore[arg-type]


@needs_extension
def test_a_custom_dictionary_is_honoured() -> None:
    from monitor.text._cstem import CStemmer

    dictionary = ["ajar", "sebar", "", "café", "anak-anak", "ajar"]  # odd entries are ignored
    ours = CStemmer(dictionary)
    assert ours.dictionary_size() == 3  # "ajar", "sebar" and the empty word
    pure = FastStemmer(dictionary, compiled=False)
    for word in ["belajar", "menyebarkan", "pelajaran", "dikan", "di", "ke", "sebar", "x"]:
        assert ours.stem_word(word) == pure.stem_word(word)
    # Letter-class edges no Sastrawi root reaches: z in rules 14, 27, 35 and 36, n in rule 19.
    edges = ["zerbu", "pnati", "zati"]
    reference = Stemmer(ArrayDictionary(edges))
    for word in ["terzerbu", "pezerbu", "mempnati", "menzati", "penzati"]:
        assert CStemmer(edges).stem_word(word) == reference.stem(word)
    with pytest.raises(TypeError):
        CStemmer(["ajar", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        CStemmer(42)  # type: ignore[arg-type]


@needs_extension
def test_c_equals_python_on_every_word_of_up_to_three_letters() -> None:
    """Every short word: DontStemShortWord stops these after their first visitor."""
    ours = _shared_cstemmer()
    words = [
        "".join(letters)
        for n in (1, 2, 3)
        for letters in itertools.product(string.ascii_lowercase, repeat=n)
    ]
    assert [w for w in words if ours.stem_word(w) != PURE.stem_word(w)] == []


@needs_extension
def test_c_equals_python_on_every_root_behind_every_prefix() -> None:
    """All ~600,000 prefix + root words: reaches the edges of each rule's letter classes."""
    ours = _shared_cstemmer()
    prefixes = "me mem men meng meny memp pe pem pen peng peny ber be ter te per di ke se ku kau"
    mismatches = [
        word
        for prefix in prefixes.split()
        for root in ROOTS
        if ours.stem_word(word := prefix + root) != PURE.stem_word(word)
    ]
    assert mismatches == []


def _affixed_words() -> st.SearchStrategy[str]:
    pieces = st.tuples(
        st.sampled_from([*PREFIXES, *(p for p, _ in CONFIXES), "memper", "menge", "penge"]),
        st.sampled_from(ROOTS),
        st.sampled_from([s for s in SUFFIXES if s.isalpha() or s == ""]),
    )
    return pieces.map("".join)


@needs_extension
@settings(max_examples=1500, deadline=None)
@given(_affixed_words())
def test_c_equals_python_on_affixed_roots(word: str) -> None:
    assert _shared_cstemmer().stem_word(word) == PURE.stem_word(word)


@needs_extension
@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=30))
def test_c_equals_python_on_random_letters(word: str) -> None:
    assert _shared_cstemmer().stem_word(word) == PURE.stem_word(word)


@needs_extension
@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aiueombnkgpstrly", min_size=1, max_size=12))
def test_c_equals_python_on_letter_soup_near_the_prefixes(word: str) -> None:
    assert _shared_cstemmer().stem_word(word) == PURE.stem_word(word)


RULE_HEADS = "ber be ter te me mem men meng meny memp pe per pem pen peng peny pel ku kau di ke se"


@needs_extension
@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.text(alphabet="aeiobdkzrlmnpst", min_size=1, max_size=7), min_size=1, max_size=4),
    st.sampled_from(["", *RULE_HEADS.split()]),
    st.sampled_from(["", "", "kan", "i", "an", "nya", "lah", "kannya"]),
)
def test_c_equals_python_with_any_dictionary(roots: list[str], prefix: str, suffix: str) -> None:
    """Rules whose letter classes no Sastrawi root reaches still agree when a root does."""
    from monitor.text._cstem import CStemmer

    word = prefix + roots[0] + suffix
    expected = FastStemmer(roots, compiled=False).stem_word(word)
    assert CStemmer(roots).stem_word(word) == expected


def _words_for_leak_check() -> Iterator[str]:
    rng = random.Random(3)
    pool = letter_words()[:3000]
    while True:
        yield rng.choice(pool)


@needs_extension
def test_no_memory_is_leaked() -> None:
    """Neither stemming (new str results) nor building and dropping stemmers keeps memory."""
    from monitor.text._cstem import CStemmer

    ours = _cstemmer()
    words = _words_for_leak_check()
    batch = [next(words) for _ in range(50_000)]
    for word in batch:  # warm up interned strings, free lists
        ours.stem_word(word)
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        for _ in range(4):
            for word in batch:
                ours.stem_word(word)
        for _ in range(5):
            CStemmer(DICTIONARY)
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert after - before < 64 * 1024  # one leaked str per call would be ~10 MB


def test_the_fallback_works_with_pure_python_requested() -> None:
    code = """if True:
        import json, sys
        from monitor.text import fast_stemmer
        stemmer = fast_stemmer.FastStemmer()
        words = json.loads(sys.stdin.read())
        print(json.dumps({
            "available": fast_stemmer.C_STEMMER_AVAILABLE,
            "compiled": stemmer.compiled,
            "imported": "monitor.text._cstem" in sys.modules,
            "stems": [stemmer.stem_word(w) for w in words],
        }))
    """
    words = ["menyebarkan", "pemberitaan", "anak-anak", "pelajar", "xyz", "covid19"]
    child = run_pure_python(code, words)
    assert child["available"] is False
    assert child["compiled"] is False
    assert child["imported"] is False
    reference = StemmerFactory().create_stemmer()
    assert child["stems"] == [reference.stem(w) for w in words]


def test_the_dictionary_is_the_one_sastrawis_factory_reads() -> None:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    words = StemmerFactory().get_words_from_file()
    assert frozenset(w for w in words if w and w.strip() != "") == DICTIONARY
    assert len(DICTIONARY) > 29_000
