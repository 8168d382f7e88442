"""A faster, output-identical port of Sastrawi's stemmer (PySastrawi 1.2).

Sastrawi is the reference for stems: for every input ``text``,
``FastStemmer().stem(text) == StemmerFactory().create_stemmer().stem(text)``. The tests check
this on tens of thousands of words and on arbitrary strings.

Why it is faster on words it has not seen (Sastrawi spends 0.2-1 ms on each such word):

* every regular expression is compiled once instead of being looked up per call;
* a prefix rule whose required leading letters do not match the word is skipped: each of the
  ~40 confix-stripping visitors only ever fires on words starting with its own letters
  (``ber``, ``meng``, ``peny``...), so the visitors that can fire are precomputed per first
  two letters; skipping a visitor that cannot fire leaves the state unchanged, exactly as
  running it would;
* removals are plain tuples instead of objects.

The control flow (visitor order, the dictionary checks after every visitor, the "stop" flag
of short words, the precedence adjustment and ECS "loop pengembalian akhiran", including its
quirks) is kept step for step; comments point at the Sastrawi class each part mirrors.

Compiled path: when the optional C extension :mod:`monitor.text._cstem` was built (see
``setup.py``), :meth:`FastStemmer.stem_word` hands it every word made of lowercase ASCII
letters -- all the words the normalizer's stemmer computes -- and keeps this module's Python
code, the reference, for everything else (reduplicated words, digits, very long words).
``PANTAU_PURE_PYTHON=1`` in the environment at import time disables the extension (for
comparisons and as an escape hatch);
:data:`C_STEMMER_AVAILABLE` tells which path is active.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from monitor.text.extensions import load_extension

_Rule = Callable[[str], "str | None"]

_CSTEM = load_extension("_cstem")
# True when FastStemmer stems lowercase ASCII words with the compiled extension.
C_STEMMER_AVAILABLE = _CSTEM is not None

_CONSONANTS = "bcdfghjklmnpqrstvwxyz"


def _group_rule(pattern: str, build: Callable[[re.Match[str]], str | None]) -> _Rule:
    # Compiled on first use: with the C stemmer these rules serve only the rare words it
    # refuses, and compiling all of them costs several milliseconds of every start-up.
    compiled: re.Pattern[str] | None = None

    def rule(word: str) -> str | None:
        nonlocal compiled
        if compiled is None:
            compiled = re.compile(pattern)
        match = compiled.match(word)
        return build(match) if match else None

    return rule


def _cat(*parts: int | str) -> Callable[[re.Match[str]], str]:
    """Build ``match -> concatenation`` of literal strings and group numbers."""
    if all(isinstance(p, int) for p in parts):
        if len(parts) == 1:
            only = parts[0]
            return lambda match: match.group(only)
        return lambda match: "".join(match.group(*parts))
    if isinstance(parts[0], str) and all(isinstance(p, int) for p in parts[1:]):
        literal, groups = parts[0], parts[1:]
        if len(groups) == 1:
            only = groups[0]
            return lambda match: literal + match.group(only)
        return lambda match: literal + "".join(match.group(*groups))

    def build(match: re.Match[str]) -> str:
        return "".join(g if isinstance(g, str) else match.group(g) for g in parts)

    return build


def _unless_er(group: int, *groups: int | str) -> Callable[[re.Match[str]], str | None]:
    """Like :func:`_cat` but gives no result when ``group`` starts with ``er``."""
    build = _cat(*groups)

    def guarded(match: re.Match[str]) -> str | None:
        if match.group(group).startswith("er"):
            return None
        return build(match)

    return guarded


def _not_r(group: int, *groups: int | str) -> Callable[[re.Match[str]], str | None]:
    """Like :func:`_cat` but gives no result when ``group`` is ``r``."""
    build = _cat(*groups)

    def guarded(match: re.Match[str]) -> str | None:
        if match.group(group) == "r":
            return None
        return build(match)

    return guarded


def _rule8(match: re.Match[str]) -> str | None:
    if match.group(1) == "r" or match.group(2).startswith("er"):
        return None
    return match.group(1) + match.group(2)


def _exact(source: str, target: str) -> _Rule:
    def rule(word: str) -> str | None:
        return target if word == source else None

    return rule


def _rule32(word: str) -> str | None:
    if word == "pelajar":
        return "ajar"
    match = _RULE32_RE.match(word)
    return match.group(1) + match.group(2) if match else None


_RULE32_RE = re.compile(r"^pe(l[aiueo])(.*)$")
_C = "[bcdfghjklmnpqrstvwxyz]"

# Mirrors Sastrawi.Stemmer.Context.Visitor.VisitorProvider: (required leading letters, rules).
# The required letters are a necessary condition for any rule of the group to fire; "C?" means
# "a consonant followed by the given letter".
_PREFIX_GROUPS: list[tuple[str, list[_Rule]]] = [
    (
        "ber",
        [
            _group_rule(r"^ber([aiueo].*)$", _cat(1)),
            _group_rule(r"^ber([aiueo].*)$", _cat("r", 1)),
        ],
    ),
    ("ber", [_group_rule(rf"^ber({_C})([a-z])(.*)", _unless_er(3, 1, 2, 3))]),
    ("ber", [_group_rule(rf"ber({_C})([a-z])er([aiueo])(.*)", _not_r(1, 1, 2, "er", 3, 4))]),
    # "bel", not "belajar": required letters are matched against a word's first _KEY_LENGTH
    # letters, so with the longer requirement rule 4 never ran (belajar gave "bajar").
    ("bel", [_exact("belajar", "ajar")]),
    ("be", [_group_rule(r"be([bcdfghjklmnpqstvwxyz])(er" + _C + r")(.*)$", _cat(1, 2, 3))]),
    (
        "ter",
        [
            _group_rule(r"^ter([aiueo].*)$", _cat(1)),
            _group_rule(r"^ter([aiueo].*)$", _cat("r", 1)),
        ],
    ),
    ("ter", [_group_rule(rf"^ter({_C})er([aiueo].*)$", _not_r(1, 1, "er", 2))]),
    ("ter", [_group_rule(rf"^ter({_C})(.*)$", _rule8)]),
    ("te", [_group_rule(rf"^te({_C})er({_C})(.*)$", _not_r(1, 1, "er", 2, 3))]),
    ("me", [_group_rule(r"^me([lrwy])([aiueo])(.*)$", _cat(1, 2, 3))]),
    ("mem", [_group_rule(r"^mem([bfv])(.*)$", _cat(1, 2))]),
    ("mempe", [_group_rule(r"^mempe(.*)$", _cat("pe", 1))]),
    (
        "mem",
        [
            _group_rule(r"^mem([aiueo])(.*)$", _cat("m", 1, 2)),
            _group_rule(r"^mem([aiueo])(.*)$", _cat("p", 1, 2)),
        ],
    ),
    ("men", [_group_rule(r"^men([cdjstz])(.*)$", _cat(1, 2))]),
    (
        "men",
        [
            _group_rule(r"^men([aiueo])(.*)$", _cat("n", 1, 2)),
            _group_rule(r"^men([aiueo])(.*)$", _cat("t", 1, 2)),
        ],
    ),
    ("meng", [_group_rule(r"^meng([ghqk])(.*)$", _cat(1, 2))]),
    (
        "meng",
        [
            _group_rule(r"^meng([aiueo])(.*)$", _cat(1, 2)),
            _group_rule(r"^meng([aiueo])(.*)$", _cat("k", 1, 2)),
            _group_rule(r"^menge(.*)$", _cat(1)),
            _group_rule(r"^meng([aiueo])(.*)$", _cat("ng", 1, 2)),
        ],
    ),
    (
        "meny",
        [
            _group_rule(r"^meny([aiueo])(.*)$", _cat("ny", 1, 2)),
            _group_rule(r"^meny([aiueo])(.*)$", _cat("s", 1, 2)),
        ],
    ),
    ("memp", [_group_rule(r"^memp([abcdfghijklmopqrstuvwxyz])(.*)$", _cat("p", 1, 2))]),
    ("pe", [_group_rule(r"^pe([wy])([aiueo])(.*)$", _cat(1, 2, 3))]),
    (
        "per",
        [
            _group_rule(r"^per([aiueo])(.*)$", _cat(1, 2)),
            _group_rule(r"^pe(r[aiueo])(.*)$", _cat(1, 2)),
        ],
    ),
    ("per", [_group_rule(rf"^per({_C})([a-z])(.*)$", _unless_er(3, 1, 2, 3))]),
    ("per", [_group_rule(rf"^per({_C})([a-z])er([aiueo])(.*)$", _not_r(1, 1, 2, "er", 3, 4))]),
    ("pem", [_group_rule(r"^pem([bfv])(.*)$", _cat(1, 2))]),
    (
        "pem",
        [
            _group_rule(r"^pem([aiueo])(.*)$", _cat("m", 1, 2)),
            _group_rule(r"^pem([aiueo])(.*)$", _cat("p", 1, 2)),
        ],
    ),
    ("pen", [_group_rule(r"^pen([cdjstz])(.*)$", _cat(1, 2))]),
    (
        "pen",
        [
            _group_rule(r"^pen([aiueo])(.*)$", _cat("n", 1, 2)),
            _group_rule(r"^pen([aiueo])(.*)$", _cat("t", 1, 2)),
        ],
    ),
    ("peng", [_group_rule(rf"^peng({_C})(.*)$", _cat(1, 2))]),
    (
        "peng",
        [
            _group_rule(r"^peng([aiueo])(.*)$", _cat(1, 2)),
            _group_rule(r"^peng([aiueo])(.*)$", _cat("k", 1, 2)),
            _group_rule(r"^penge(.*)$", _cat(1)),
        ],
    ),
    (
        "peny",
        [
            _group_rule(r"^peny([aiueo])(.*)$", _cat("ny", 1, 2)),
            _group_rule(r"^peny([aiueo])(.*)$", _cat("s", 1, 2)),
        ],
    ),
    ("pe", [_rule32]),
    ("pe", [_group_rule(rf"^pe({_C})(.*)$", _unless_er(2, 1, 2))]),
    ("ter", [_group_rule(r"^ter([bcdfghjkpqstvxz])(er" + _C + r")(.*)$", _cat(1, 2, 3))]),
    ("pe", [_group_rule(r"^pe([bcdfghjkpqstvxz])(er" + _C + r")(.*)$", _cat(1, 2, 3))]),
    (
        "C?er",
        [
            _group_rule(rf"^({_C})(er[aiueo])(.*)$", _cat(1, 2, 3)),
            _group_rule(rf"^({_C})er([aiueo])(.*)$", _cat(1, 2, 3)),
        ],
    ),
    (
        "C?el",
        [
            _group_rule(rf"^({_C})(el[aiueo])(.*)$", _cat(1, 2, 3)),
            _group_rule(rf"^({_C})el([aiueo])(.*)$", _cat(1, 2, 3)),
        ],
    ),
    (
        "C?em",
        [
            _group_rule(rf"^({_C})(em[aiueo])(.*)$", _cat(1, 2, 3)),
            _group_rule(rf"^({_C})em([aiueo])(.*)$", _cat(1, 2, 3)),
        ],
    ),
    (
        "C?in",
        [
            _group_rule(rf"^({_C})(in[aiueo])(.*)$", _cat(1, 2, 3)),
            _group_rule(rf"^({_C})in([aiueo])(.*)$", _cat(1, 2, 3)),
        ],
    ),
    ("ku", [_group_rule(r"^ku(.*)$", _cat(1))]),
    ("kau", [_group_rule(r"^kau(.*)$", _cat(1))]),
]

_PLAIN_PREFIXES = ("di", "ke", "se")
_PARTICLE_RE = re.compile(r"-*(lah|kah|tah|pun)$")
_PARTICLE_ENDS = ("lah", "kah", "tah", "pun")
_POSSESSIVE_RE = re.compile(r"-*(ku|mu|nya)$")
_POSSESSIVE_ENDS = ("ku", "mu", "nya")
_DERIVATIONAL_RE = re.compile(r"(is|isme|isasi|i|kan|an)$")
_DERIVATIONAL_ENDS = ("is", "isme", "isasi", "i", "kan", "an")
_SUFFIX_STEPS = (
    (_PARTICLE_ENDS, _PARTICLE_RE),
    (_POSSESSIVE_ENDS, _POSSESSIVE_RE),
    (_DERIVATIONAL_ENDS, _DERIVATIONAL_RE),
)
# Sastrawi.Stemmer.Filter.TextNormalizer
_NOT_WORD_RE = re.compile(r"[^a-z0-9 -]", re.IGNORECASE | re.MULTILINE)
_SPACES_RE = re.compile(r"( +)", re.IGNORECASE | re.MULTILINE)
# Sastrawi.Stemmer.Stemmer plural handling
_PLURAL_PARTICLE_RE = re.compile(r"^(.*)-(ku|mu|nya|lah|kah|tah|pun)$")
_SPLIT_LAST_DASH_RE = re.compile(r"^(.*)-(.*)$")
_PLURAL_SUFFIXES = ("ku", "mu", "nya", "lah", "kah", "tah", "pun")


_KEY_LENGTH = 5  # the longest required prefix ("mempe")


def _group_applies(required: str, key: str) -> bool:
    """Whether a group with these required letters can fire on a word starting with ``key``.

    ``key`` is the word's first ``_KEY_LENGTH`` letters (or the whole word if shorter).
    "C?xy" means a consonant, then ``xy``, then a vowel (rules 37-40: CerV, CelV, CemV, CinV).
    """
    if required.startswith("C?"):
        return (
            len(key) >= 4
            and key[0] in _CONSONANTS
            and key[1:3] == required[2:]
            and key[3] in "aiueo"
        )
    return key.startswith(required)


def _coarse_groups(head: str) -> tuple[tuple[str, list[_Rule]], ...]:
    """Groups that can fire on some word whose first two letters are ``head``."""
    return tuple(
        (required, rules)
        for required, rules in _PREFIX_GROUPS
        if (
            head[0] in _CONSONANTS and head[1] == required[2]
            if required.startswith("C?")
            else required[:2] == head
        )
    )


# _coarse_groups of two-letter heads, filled on first use (at most 26 * 26 entries).
_COARSE: dict[str, tuple[tuple[str, list[_Rule]], ...]] = {}
_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
_CANDIDATES: dict[str, tuple[list[_Rule], ...]] = {}
_MAX_CANDIDATE_KEYS = 100_000


def _candidate_groups(key: str) -> tuple[list[_Rule], ...]:
    """Prefix groups, in Sastrawi's order, that can fire on a word starting with ``key``."""
    groups = _CANDIDATES.get(key)
    if groups is None:
        head = key[:2]
        coarse = _COARSE.get(head)
        if coarse is None:
            coarse = _coarse_groups(head) if len(head) == 2 else ()
            if head[:1] in _LETTERS and head[1:] in _LETTERS:
                _COARSE[head] = coarse
        groups = tuple(rules for required, rules in coarse if _group_applies(required, key))
        if len(_CANDIDATES) >= _MAX_CANDIDATE_KEYS:
            _CANDIDATES.clear()
        _CANDIDATES[key] = groups
    return groups


def sastrawi_dictionary() -> frozenset[str]:
    """Return Sastrawi's root-word dictionary exactly as its ``ArrayDictionary`` holds it.

    Reads the file ``StemmerFactory.get_words_from_file`` reads, as it does (text mode,
    UTF-8, split on newlines), without importing the factory and the whole Python stemmer
    behind it (several milliseconds of every start-up).
    """
    import Sastrawi

    path = Path(Sastrawi.__file__).resolve().parent / "Stemmer" / "data" / "kata-dasar.txt"
    if not path.is_file():
        raise RuntimeError(f"Sastrawi's dictionary file is missing: {path}")
    words = path.read_text(encoding="utf-8").split("\n")
    return frozenset(filter(str.strip, words))  # ArrayDictionary skips blank lines


class FastStemmer:
    """Drop-in, output-identical replacement for Sastrawi's ``Stemmer`` (see module doc)."""

    def __init__(self, dictionary: Iterable[str] | None = None, *, compiled: bool = True) -> None:
        """Use Sastrawi's dictionary unless ``dictionary`` is given.

        ``compiled=False`` keeps this instance on the pure-Python path even when the C
        extension is available (the tests compare the two paths this way).
        """
        self.dictionary: frozenset[str] = (
            sastrawi_dictionary() if dictionary is None else frozenset(dictionary)
        )
        self._compiled = (
            _CSTEM.CStemmer(self.dictionary) if compiled and _CSTEM is not None else None
        )

    @property
    def compiled(self) -> bool:
        """Whether this instance stems lowercase ASCII words with the C extension."""
        return self._compiled is not None

    # --- Sastrawi.Stemmer.Stemmer -------------------------------------------------------
    def stem(self, text: str) -> str:
        """Return Sastrawi's ``stem(text)``: normalize, stem each word, join with spaces."""
        normalized = _SPACES_RE.sub(" ", _NOT_WORD_RE.sub(" ", text.lower())).strip()
        return " ".join(self.stem_word(word) for word in normalized.split(" "))

    def stem_word(self, word: str) -> str:
        """Stem one already-normalized word (``[a-z0-9-]`` only, as Sastrawi passes it)."""
        if "-" in word and self._is_plural(word):
            return self._stem_plural_word(word)
        return self.stem_singular_word(word)

    @staticmethod
    def _is_plural(word: str) -> bool:
        match = _PLURAL_PARTICLE_RE.match(word)
        if match:
            return match.group(1).find("-") != -1
        return word.find("-") != -1

    def _stem_plural_word(self, plural: str) -> str:
        match = _SPLIT_LAST_DASH_RE.match(plural)
        if not match:
            return plural
        words = [match.group(1), match.group(2)]
        suffix = words[1]
        match = _SPLIT_LAST_DASH_RE.match(words[0])
        if suffix in _PLURAL_SUFFIXES and match:
            words[0] = match.group(1)
            words[1] = match.group(2) + "-" + suffix
        singular = self.stem_singular_word
        root1 = singular(words[0])
        root2 = singular(words[1])
        if words[1] not in self.dictionary and root2 == words[1]:
            root2 = singular("me" + words[1])
        return root1 if root1 == root2 else plural

    def stem_singular_word(self, word: str) -> str:
        """Return the stem of a word without reduplication (``Context.execute``)."""
        if self._compiled is not None:
            # The extension answers None for anything but [a-z]{0,MAX_WORD_LENGTH}.
            stem: str | None = self._compiled.stem_word(word)
            if stem is not None:
                return stem
        return stem_singular(word, self.dictionary)


# --- Sastrawi.Stemmer.Context.Context, flattened ------------------------------------------
#
# Context keeps a list of removals; only two things are ever read from it: the subject of
# the first removal (restore_prefix), which is always the original word, because the first
# removal is made on the original word; and the suffix removals, walked backwards by the ECS
# loop. The prefix removals are otherwise only counted to end a pass, so they are not kept.


def stem_singular(word: str, dictionary: frozenset[str]) -> str:
    """Sastrawi's ``Context(word).execute()``: a dictionary root, or ``word`` itself."""
    if word in dictionary:
        return word
    # DontStemShortWord: a short word stops every later pass after its first visitor.
    stopped = len(word) <= 3
    if _precedence_adjustment(word):
        current = _remove_prefixes(word, stopped, dictionary)
        if current in dictionary:
            return current
        current, _ = _remove_suffixes(current, stopped, dictionary)
        if current in dictionary:
            return current
        # Failed: Sastrawi restores the word and forgets the removals.
    current, suffix_removals = _remove_suffixes(word, stopped, dictionary)
    if current in dictionary:
        return current
    current = _remove_prefixes(current, stopped, dictionary)
    if current in dictionary:
        return current
    # ECS "loop pengembalian akhiran": restore the word (restore_prefix gives the original),
    # then put suffixes back one by one, last removed first, and strip prefixes again.
    for result, removed_kan, subject in reversed(suffix_removals):
        if removed_kan:
            current = _remove_prefixes(result + "k", stopped, dictionary)
            if current in dictionary:
                return current
            current = result + "kan"
        else:
            current = subject
        current = _remove_prefixes(current, stopped, dictionary)
        if current in dictionary:
            return current
    return word


def _remove_suffixes(
    word: str, stopped: bool, dictionary: frozenset[str]
) -> tuple[str, list[tuple[str, bool, str]]]:
    """``accept_visitors(suffix_visitors)``: particle, possessive, derivational.

    Returns the new word and the removals made, each ``(result, removed part == "kan",
    subject)``.
    """
    removals: list[tuple[str, bool, str]] = []
    for ends, pattern in _SUFFIX_STEPS:
        if word.endswith(ends):
            result = pattern.sub("", word, count=1)
            if result != word:
                # Sastrawi computes the removed part as re.sub(result, "", word, count=1);
                # result is a literal made of word characters, so this is the same.
                removals.append((result, word.replace(result, "", 1) == "kan", word))
                word = result
        if stopped or word in dictionary:
            break
    return word, removals


def _remove_prefixes(word: str, stopped: bool, dictionary: frozenset[str]) -> str:
    """Three passes of ``accept_prefix_visitors``, each removing at most one prefix.

    A pass that removes nothing leaves the state as it was, so the next passes would do the
    same: the loop ends there.
    """
    for _ in range(3):
        if word.startswith(_PLAIN_PREFIXES):  # RemovePlainPrefix comes first
            word = word[2:]
        elif word in dictionary or stopped:
            return word
        else:
            for rules in _candidate_groups(word[:_KEY_LENGTH]):
                result = None
                for rule in rules:
                    result = rule(word)
                    if result in dictionary:
                        break
                if result is not None:
                    word = result
                    break
            else:
                return word
        if word in dictionary:
            return word
    return word


def _precedence_adjustment(word: str) -> bool:
    """``PrecedenceAdjustmentSpecification.is_satisfied_by`` without regular expressions."""
    if "\n" in word:  # ``.`` in Sastrawi's patterns does not cross a newline
        return any(p.match(word) for p in _PRECEDENCE_RES)
    if word.startswith("be"):
        if word.endswith("lah") and len(word) >= 5:
            return True
        if word.endswith("an") and len(word) >= 4:
            return True
    if word.endswith("i"):
        if len(word) >= 3 and word.startswith(("me", "di", "pe")):
            return True
        if len(word) >= 4 and word.startswith("ter"):
            return True
    return False


_PRECEDENCE_RES = tuple(
    re.compile(p)
    for p in (
        r"^be(.*)lah$",
        r"^be(.*)an$",
        r"^me(.*)i$",
        r"^di(.*)i$",
        r"^pe(.*)i$",
        r"^ter(.*)i$",
    )
)
