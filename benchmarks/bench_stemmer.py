"""Micro-benchmark: stemming unseen words with Sastrawi, our pure-Python port and the C port.

Run::

    .venv/bin/python benchmarks/bench_stemmer.py              # 20,000 words
    .venv/bin/python benchmarks/bench_stemmer.py --words 5000

The words are affixed forms of Sastrawi's own root list (prefixes, suffixes, confixes, with
the nasal after me-/pe-), drawn with a fixed seed -- never from ``../shared/data`` -- and
kept only if distinct, lowercase ASCII letters (what the normalizer hands the stemmer) and
not roots themselves. Each stemmer is built before the clock starts (dictionary loading is
not measured) and stems the whole list once, cold: Sastrawi's stemmer is a fresh
``create_stemmer()`` (its per-word cache empty), and the pure-Python port's per-prefix
candidate cache is cleared first. All three must give the same stems.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from monitor.text import fast_stemmer
from monitor.text.fast_stemmer import C_STEMMER_AVAILABLE, FastStemmer, sastrawi_dictionary

PREFIXES = ["", "", "me", "di", "ber", "ter", "pe", "ke", "se", "memper", "diper", "per"]
SUFFIXES = ["", "kan", "i", "an", "nya", "lah", "kah", "pun", "kannya", "annya", "ku", "mu"]
NASAL = {"p": "m", "b": "m", "t": "n", "d": "n", "c": "n", "j": "n", "s": "ny", "k": "ng"}
DROPPED = "ptsk"  # me- + pukul -> memukul: these first letters give way to the nasal


def unseen_words(count: int, seed: int = 20261127) -> list[str]:
    """``count`` distinct affixed forms of Sastrawi roots (none of them a root)."""
    dictionary = sastrawi_dictionary()
    roots = sorted(w for w in dictionary if w.isascii() and w.isalpha() and len(w) >= 3)
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < count:
        root, prefix, suffix = rng.choice(roots), rng.choice(PREFIXES), rng.choice(SUFFIXES)
        if prefix in ("me", "pe") and root[0] in NASAL:
            prefix += NASAL[root[0]]
            if root[0] in DROPPED:
                root = root[1:]
        elif prefix in ("me", "pe") and root[0] in "aiueogh":
            prefix += "ng"
        word = prefix + root + suffix
        if word not in dictionary and word.isalpha():
            words[word] = None
    return list(words)


def measure(stem: Callable[[str], str], words: list[str]) -> tuple[float, list[str]]:
    """CPU seconds to stem ``words`` once, and the stems."""
    start = time.process_time()
    stems = [stem(word) for word in words]
    return time.process_time() - start, stems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20_000, help="distinct unseen words")
    args = parser.parse_args(argv)

    words = unseen_words(args.words)
    print(f"{len(words):,} distinct unseen words (affixed Sastrawi roots, seed fixed)")
    if not C_STEMMER_AVAILABLE:
        print("the C extension is not available (not built, or PANTAU_PURE_PYTHON set)")

    sastrawi = StemmerFactory().create_stemmer()
    pure = FastStemmer(compiled=False)
    fast_stemmer._CANDIDATES.clear()  # the pure port's only cross-word cache: start cold
    results = {
        "Sastrawi": measure(sastrawi.stem, words),
        "FastStemmer (Python)": measure(pure.stem_word, words),
    }
    if C_STEMMER_AVAILABLE:
        compiled = FastStemmer()
        results["FastStemmer (C)"] = measure(compiled.stem_word, words)

    reference = results["Sastrawi"][1]
    base = results["Sastrawi"][0]
    python = results["FastStemmer (Python)"][0]
    print(f"{'stemmer':<22} {'words/CPU-s':>12} {'vs Sastrawi':>12} {'vs Python':>10}")
    status = 0
    for name, (cpu, stems) in results.items():
        rate = len(words) / cpu if cpu > 0 else float("inf")
        print(f"{name:<22} {rate:>12,.0f} {base / cpu:>11.1f}x {python / cpu:>9.2f}x")
        if stems != reference:
            print(f"  !! {name} disagrees with Sastrawi on some words")
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
