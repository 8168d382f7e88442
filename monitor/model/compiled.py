"""A fast, exact forward pass of the fitted estimator, with per-unit contributions.

scikit-learn's analyzers build every n-gram of every post in Python. Char ``char_wb``
n-grams never cross a word boundary, so a post's char n-grams are the union of its words'
n-grams; word n-grams are what they are. Both blocks are handled the same way here: a post
is split into *units* (raw words for the char block, word n-grams of the normalized text for
the word block), each distinct unit is hashed once (cached across batches), and posts are
assembled with sparse matrix products. The result equals ``estimator.predict_proba`` (tests
compare them), and the same pass yields each unit's exact share of the decision value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, pairwise, repeat

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import murmurhash3_32

from monitor.model.estimator import WORD_PATTERN
from monitor.model.inputs import NORMALIZED_COLUMN, RAW_COLUMN
from monitor.model.persist import ModelFileError

_UNIT_CACHE_LIMIT = 300_000


def _require(condition: bool, what: str) -> None:
    if not condition:
        raise ModelFileError(f"unsupported model layout: {what}")


def word_units(text: str, max_n: int) -> list[str]:
    """Word 1..max_n-grams of a normalized text, as HashingVectorizer(token_pattern=\\S+) sees
    them."""
    tokens = text.split()
    units = list(tokens)
    if max_n >= 2:
        units += [a + " " + b for a, b in pairwise(tokens)]
    for n in range(3, min(max_n, len(tokens)) + 1):
        units.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return units


def char_wb_grams(word: str, min_n: int, max_n: int) -> list[str]:
    """The char_wb n-grams of one word, exactly as scikit-learn's ``_char_wb_ngrams``.

    Including its rule that a padded word shorter than n is counted once and ends the loop.
    """
    padded = f" {word} "
    length = len(padded)
    grams = []
    for n in range(min_n, max_n + 1):
        offset = 0
        grams.append(padded[0:n])
        while offset + n < length:
            offset += 1
            grams.append(padded[offset : offset + n])
        if offset == 0:
            break
    return grams


def _single_gram(unit: str) -> list[str]:
    return [unit]


@dataclass(frozen=True, slots=True)
class BlockContributions:
    """What each unit of each post added to the decision value, for one feature block.

    ``post[i]`` is the post of item i, ``value[i]`` its contribution and
    ``names[unit_index[i]]`` its text (:attr:`unit` lists them all). Items are ordered by
    post. Texts are looked up only for the items an explanation keeps, because building a
    string per item costs more than the rest of the attribution.
    """

    kind: str
    post: np.ndarray
    unit_index: np.ndarray
    names: Sequence[str]
    value: np.ndarray

    @property
    def unit(self) -> list[str]:
        """The text of every item, in item order."""
        names = self.names
        return [names[i] for i in self.unit_index.tolist()]


@dataclass(frozen=True, slots=True)
class Forward:
    """One batch through the model: decision values, probabilities, contributions."""

    decision: np.ndarray
    probability: np.ndarray
    blocks: list[BlockContributions]
    surface_contrib: np.ndarray


class _UnitStore:
    """Hashed columns of every unit seen so far, in flat growable arrays.

    Unit ``i`` owns ``columns[starts[i] : starts[i] + lengths[i]]`` (and the same slice of
    ``counts``), so a batch gathers its units' columns with array arithmetic instead of a
    Python loop. Cleared when it grows past a bound, which keeps memory flat on streams with
    endless new words.
    """

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        """Forget every unit."""
        self.ids: dict[str, int] = {}
        self.starts = np.zeros(1024, dtype=np.int64)
        self.lengths = np.zeros(1024, dtype=np.int64)
        self.columns = np.zeros(1 << 16, dtype=np.int32)
        self.counts = np.zeros(1 << 16, dtype=np.float64)
        self.used = 0

    @staticmethod
    def _grown(array: np.ndarray, needed: int) -> np.ndarray:
        if needed <= len(array):
            return array
        bigger = np.zeros(max(needed, 2 * len(array)), dtype=array.dtype)
        bigger[: len(array)] = array
        return bigger

    def add(self, units: list[str], hashed: sp.csr_matrix) -> None:
        """Store the rows of ``hashed`` (one per unit, in order) for ``units``."""
        first = len(self.ids)
        n = len(units)
        self.starts = self._grown(self.starts, first + n)
        self.lengths = self._grown(self.lengths, first + n)
        self.columns = self._grown(self.columns, self.used + hashed.nnz)
        self.counts = self._grown(self.counts, self.used + hashed.nnz)
        self.starts[first : first + n] = self.used + hashed.indptr[:-1]
        self.lengths[first : first + n] = np.diff(hashed.indptr)
        self.columns[self.used : self.used + hashed.nnz] = hashed.indices
        self.counts[self.used : self.used + hashed.nnz] = hashed.data
        self.used += hashed.nnz
        self.ids.update(zip(units, range(first, first + n), strict=True))


def _expand(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + n)`` for every (s, n) pair, without a Python loop."""
    total = int(lengths.sum())
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + offsets


class _HashedBlock:
    """One HashingVectorizer → TfidfTransformer block and its slice of the coefficients.

    ``units_of(text)`` splits a post into units; ``grams_of(unit)`` lists the n-grams the
    vectorizer would produce for that unit alone. The columns of a unit are hashed once by
    the hash scikit-learn's HashingVectorizer uses (see :meth:`_hash`) and cached.
    """

    def __init__(
        self,
        kind: str,
        hasher: HashingVectorizer,
        tfidf: TfidfTransformer,
        coef: np.ndarray,
        units_of: Callable[[str], list[str]],
        grams_of: Callable[[str], list[str]],
    ) -> None:
        self.kind = kind
        self.n_features = int(hasher.n_features)
        self.idf = np.asarray(tfidf.idf_, dtype=np.float64)
        self.sublinear = bool(tfidf.sublinear_tf)
        self.norm = tfidf.norm
        self.coef = coef
        self.units_of = units_of
        self.grams_of = grams_of
        self.store = _UnitStore()

    def _store_ids(self, flat: list[str]) -> np.ndarray:
        """Store ids of the units in ``flat``, hashing (in one call) those not seen before."""
        # map() over the bound method is markedly faster than a comprehension here, and this
        # lookup runs once per word and word n-gram of every scored post.
        found = np.asarray(list(map(self.store.ids.get, flat, repeat(-1))), dtype=np.int64)
        absent = found < 0
        if not absent.any():
            return found
        absent_units = list(compress(flat, absent.tolist()))
        missing = list(dict.fromkeys(absent_units))
        if len(self.store.ids) + len(missing) > _UNIT_CACHE_LIMIT:
            self.store.clear()
            missing = list(dict.fromkeys(flat))
            self.store.add(missing, self._hash(missing))
            return np.asarray(list(map(self.store.ids.__getitem__, flat)), dtype=np.int64)
        self.store.add(missing, self._hash(missing))
        # Only the positions that were absent need a second look-up.
        found[absent] = list(map(self.store.ids.__getitem__, absent_units))
        return found

    def _hash(self, units: list[str]) -> sp.csr_matrix:
        """Hashed n-gram counts of each unit, one row per unit: FeatureHasher's output.

        Same hash and column rule as scikit-learn's hasher (signed 32-bit MurmurHash3 of the
        UTF-8 bytes, seed 0, column ``|h| mod n_features``, no alternating sign), computed
        with one C call per n-gram instead of the hasher's generator pipeline, which cost
        most of the scoring time on streams where new words keep arriving.
        """
        if self.grams_of is _single_gram:  # word n-grams: each unit is its own one gram
            flat_grams = units
            lengths = np.ones(len(units), dtype=np.int64)
        else:
            grams = list(map(self.grams_of, units))
            lengths = np.fromiter(map(len, grams), dtype=np.int64, count=len(units))
            flat_grams = list(chain.from_iterable(grams))
        hashes = np.fromiter(map(murmurhash3_32, flat_grams), dtype=np.int64, count=len(flat_grams))
        indptr = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        hashed = sp.csr_matrix(
            (np.ones(len(flat_grams)), np.abs(hashes) % self.n_features, indptr),
            shape=(len(units), self.n_features),
        )
        hashed.sum_duplicates()  # a gram repeated inside a unit counts twice, as in sklearn
        return hashed

    def forward(
        self, texts: Sequence[str], *, attribute: bool = True
    ) -> tuple[np.ndarray, BlockContributions | None]:
        """Return each post's contribution to the decision value and (with ``attribute``)
        each unit's share of it."""
        n = len(texts)
        units_of = self.units_of
        per_text = list(map(units_of, texts))
        flat = list(chain.from_iterable(per_text))
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(list(map(len, per_text)), out=indptr[1:])
        store_ids = self._store_ids(flat)
        # Batch-local unit numbers: one row of unit_columns per distinct unit.
        distinct, first, local = np.unique(store_ids, return_index=True, return_inverse=True)
        post_units = sp.csr_matrix(
            (np.ones(len(flat)), local.astype(np.int32), indptr), shape=(n, len(distinct))
        )
        post_units.sum_duplicates()
        store = self.store
        unit_lengths = store.lengths[distinct]
        gathered = _expand(store.starts[distinct], unit_lengths)
        unit_columns = sp.csr_matrix(
            (store.counts[gathered], store.columns[gathered], np.r_[0, np.cumsum(unit_lengths)]),
            shape=(len(distinct), self.n_features),
        )
        # A product of CSR matrices has no duplicate entries; sorting is only needed for the
        # attribution lookups below.
        counts = sp.csr_matrix(post_units @ unit_columns)
        if attribute:
            counts.sort_indices()

        # TF-IDF exactly as TfidfTransformer.transform: sublinear tf, idf, row L2 norm.
        values = counts.data.copy()
        if self.sublinear:
            np.log(values, values)
            values += 1.0
        values *= self.idf[counts.indices]
        rows_of = np.repeat(np.arange(n), np.diff(counts.indptr))
        if self.norm == "l2":
            norms = np.sqrt(np.bincount(rows_of, weights=values**2, minlength=n))
            norms[norms == 0.0] = 1.0
            values /= norms[rows_of]
        contrib = values * self.coef[counts.indices]
        per_post = np.bincount(rows_of, weights=contrib, minlength=n)
        if not attribute:
            return per_post, None

        # Attribution: a column's contribution is shared equally among its occurrences in
        # the post; each (post, unit) pair collects the shares of the columns it produced.
        pairs = post_units.tocoo()
        lens = unit_lengths[pairs.col]
        pair_of_entry = np.repeat(np.arange(len(pairs.row)), lens)
        entry = _expand(unit_columns.indptr[pairs.col], lens)
        post_keys = rows_of.astype(np.int64) * self.n_features + counts.indices
        entry_keys = (
            pairs.row[pair_of_entry].astype(np.int64) * self.n_features
            + unit_columns.indices[entry]
        )
        per_occurrence = contrib / counts.data
        found = per_occurrence[np.searchsorted(post_keys, entry_keys)]
        shares = np.bincount(
            pair_of_entry, weights=unit_columns.data[entry] * found, minlength=len(pairs.row)
        )
        return per_post, BlockContributions(
            kind=self.kind,
            post=pairs.row.astype(np.int64),
            unit_index=first[pairs.col],
            names=flat,
            value=pairs.data * shares,
        )


class CompiledModel:
    """The fitted estimator's forward pass, rebuilt from its parameters.

    Raises ModelFileError (from the constructor) when the estimator is not laid out as
    :mod:`monitor.model.estimator` builds it, since the fast path would then be wrong.
    """

    def __init__(self, estimator: CalibratedClassifierCV) -> None:
        calibrated = getattr(estimator, "calibrated_classifiers_", [])
        _require(len(calibrated) == 1, "expected one calibrated classifier (ensemble=False)")
        _require([int(c) for c in estimator.classes_] == [0, 1], "classes must be [0, 1]")
        pipeline = calibrated[0].estimator
        _require(isinstance(pipeline, Pipeline), "base estimator must be a Pipeline")
        steps = pipeline.named_steps
        features, select, clf = steps.get("features"), steps.get("select"), steps.get("clf")
        _require(isinstance(features, ColumnTransformer), "no 'features' ColumnTransformer")
        _require(isinstance(select, VarianceThreshold), "no 'select' VarianceThreshold")
        _require(isinstance(clf, LogisticRegression), "no 'clf' LogisticRegression")
        self.calibrator = calibrated[0].calibrators[0]
        self.intercept = float(clf.intercept_[0])
        coef = np.zeros(len(select.get_support()))
        coef[select.get_support()] = np.asarray(clf.coef_, dtype=np.float64).ravel()
        slices = features.output_indices_
        # ColumnTransformer multiplies a block's output by its weight; folding the weight
        # into that block's coefficients gives the same decision values.
        weights = dict(features.transformer_weights or {})
        _require(set(weights) <= {"word", "char", "surface"}, "transformer weights")
        for name, weight in weights.items():
            coef[slices[name]] *= float(weight)

        word = features.named_transformers_["word"]
        char = features.named_transformers_["char"]
        word_hasher, char_hasher = word.named_steps["hash"], char.named_steps["hash"]
        for hasher in (word_hasher, char_hasher):
            _require(
                isinstance(hasher, HashingVectorizer)
                and not hasher.lowercase
                and not hasher.alternate_sign
                and not hasher.binary
                and hasher.norm is None
                and hasher.preprocessor is None
                and hasher.tokenizer is None
                and hasher.stop_words is None
                and hasher.strip_accents is None,
                "hashing vectorizer settings",
            )
        _require(
            word_hasher.analyzer == "word"
            and word_hasher.token_pattern == WORD_PATTERN
            and word_hasher.ngram_range[0] == 1,
            "word hasher",
        )
        _require(char_hasher.analyzer == "char_wb", "char hasher")
        word_max = int(word_hasher.ngram_range[1])
        char_min, char_max = (int(n) for n in char_hasher.ngram_range)
        self.blocks = [
            _HashedBlock(
                "term",
                word_hasher,
                word.named_steps["tfidf"],
                coef[slices["word"]],
                lambda text: word_units(text, word_max),
                _single_gram,
            ),
            _HashedBlock(
                "raw",
                char_hasher,
                char.named_steps["tfidf"],
                coef[slices["char"]],
                str.split,
                lambda unit: char_wb_grams(unit, char_min, char_max),
            ),
        ]
        surface = features.named_transformers_["surface"]
        scaler = surface.named_steps["scale"]
        _require(isinstance(scaler, StandardScaler), "surface scaler")
        _require(surface.named_steps["log1p"].func is np.log1p, "surface transform is log1p")
        self.surface_names: list[str] = list(features.transformers_[2][2])
        n_surface = len(self.surface_names)
        self.surface_mean = np.asarray(scaler.mean_ if scaler.with_mean else np.zeros(n_surface))
        self.surface_scale = np.asarray(scaler.scale_ if scaler.with_std else np.ones(n_surface))
        self.surface_coef = coef[slices["surface"]]

    def forward(
        self,
        raw: Sequence[str],
        normalized: Sequence[str],
        surface: np.ndarray,
        *,
        attribute: bool = True,
    ) -> Forward:
        """Score a batch: raw texts, normalized texts and their surface feature matrix.

        ``surface`` has one column per :attr:`surface_names`, in that order. Without
        ``attribute`` the per-unit shares are not computed (``blocks`` is empty).
        """
        term_total, term_parts = self.blocks[0].forward(normalized, attribute=attribute)
        raw_total, raw_parts = self.blocks[1].forward(raw, attribute=attribute)
        scaled = (np.log1p(np.maximum(surface, 0.0)) - self.surface_mean) / self.surface_scale
        surface_contrib = scaled * self.surface_coef[np.newaxis, :]
        decision = term_total + raw_total + surface_contrib.sum(axis=1) + self.intercept
        probability = np.asarray(self.calibrator.predict(decision), dtype=np.float64)
        return Forward(
            decision=decision,
            probability=np.clip(probability, 0.0, 1.0),
            blocks=[part for part in (term_parts, raw_parts) if part is not None],
            surface_contrib=surface_contrib,
        )

    def forward_frame(self, frame: pd.DataFrame, *, attribute: bool = True) -> Forward:
        """Score a model input table built by :func:`monitor.model.inputs.build_model_input`."""
        return self.forward(
            frame[RAW_COLUMN].tolist(),
            frame[NORMALIZED_COLUMN].tolist(),
            frame[self.surface_names].to_numpy(dtype=np.float64),
            attribute=attribute,
        )
