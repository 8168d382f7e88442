"""MinHash signatures and LSH band keys of claim-word sets, a whole batch at a time.

Our own numpy implementation rather than ``datasketch``: datasketch updates one
``MinHash`` object per post and per word in Python, which costs about 10 µs per word at
48 permutations; here a batch is one (words × permutations) matrix and one
``np.minimum.reduceat``, several times faster and without per-post objects (see
``benchmarks/bench_cluster.py --compare-datasketch``).

Everything is deterministic across processes and restarts (no use of Python's salted
``hash``): workers on other machines compute the same band keys for the same words.

* Word hash: the first 4 bytes of BLAKE2b of the UTF-8 word.
* Permutation ``i``: multiply-shift hashing ``((a_i · x + b_i) mod 2**64) >> 32`` with odd
  random ``a_i`` (a 2-independent family for 32-bit keys).
* Band key: the ``rows`` minima of a band, mixed with the band number and the layout into
  a signed 64-bit integer (SplitMix64 finaliser), as stored in ``claim_bands.band_key``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
#: Cached word hashes; cleared when it grows past this (vocabularies are Zipfian).
_CACHE_LIMIT = 1_000_000


def _splitmix(values: U64) -> U64:
    """SplitMix64's finaliser, elementwise (wrapping uint64 arithmetic)."""
    z = values + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


class MinHasher:
    """Signatures with ``bands × rows`` permutations and their LSH band keys."""

    def __init__(self, bands: int, rows: int, seed: int) -> None:
        self.bands = bands
        self.rows = rows
        self.num_perm = bands * rows
        rng = np.random.default_rng(seed)
        high = np.iinfo(np.uint64).max
        self._a = rng.integers(1, high, size=self.num_perm, dtype=np.uint64) | np.uint64(1)
        self._b = rng.integers(0, high, size=self.num_perm, dtype=np.uint64)
        self._row_mix = rng.integers(1, high, size=rows, dtype=np.uint64) | np.uint64(1)
        layout = f"{bands}x{rows}:{seed}".encode()
        salt = int.from_bytes(hashlib.blake2b(layout, digest_size=8).digest(), "little")
        self._band_salt = _splitmix(np.arange(bands, dtype=np.uint64) * _GOLDEN + np.uint64(salt))
        self._word_hash: dict[str, int] = {}

    def _hash_words(self, words: Sequence[str]) -> U64:
        cache = self._word_hash
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for word in set(words).difference(cache):
            digest = hashlib.blake2b(word.encode("utf-8"), digest_size=4).digest()
            cache[word] = int.from_bytes(digest, "little")
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))

    def signatures(self, sets: Sequence[frozenset[str]]) -> U64:
        """One row of ``num_perm`` minima per set. Raises ValueError on an empty set."""
        lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        if not len(sets):
            return np.empty((0, self.num_perm), dtype=np.uint64)
        if (lengths == 0).any():
            raise ValueError("cannot sign an empty word set")
        words = [word for s in sets for word in s]
        hashed = self._hash_words(words)
        permuted = (hashed[:, None] * self._a[None, :] + self._b[None, :]) >> np.uint64(32)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        return np.minimum.reduceat(permuted, starts, axis=0)

    def band_keys(self, signatures: U64) -> I64:
        """The ``bands`` LSH keys of each signature, as signed 64-bit integers."""
        n = signatures.shape[0]
        grouped = signatures.reshape(n, self.bands, self.rows)
        combined = (grouped * self._row_mix[None, None, :]).sum(axis=2, dtype=np.uint64)
        keys = _splitmix(combined ^ self._band_salt[None, :])
        return keys.view(np.int64)

    def keys_for(self, sets: Sequence[frozenset[str]]) -> I64:
        """Band keys straight from word sets (``band_keys(signatures(sets))``)."""
        return self.band_keys(self.signatures(sets))
