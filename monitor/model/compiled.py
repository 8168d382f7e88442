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

from monitor.model.estimator import WORD_PATTERN, ClipToTrainingRange, ColumnSelector
from monitor.model.inputs import NORMALIZED_COLUMN, RAW_COLUMN
from monitor.model.kernel import block_pass, compact_columns, gather_units
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
        self.coef = np.ascontiguousarray(coef, dtype=np.float64)
        self.units_of = units_of
        self.grams_of = grams_of
        self.store = _UnitStore()
        # Column -> batch number map for compact_columns (all -1 between calls).
        self.column_slot = np.full(self.n_features, -1, dtype=np.int64)

    def _store_ids(self, distinct: list[str]) -> np.ndarray:
        """Store ids of the distinct units ``distinct``, hashing (in one call) those not seen
        before; the store is cleared first when they would not fit."""
        ids = self.store.ids
        found = np.asarray(list(map(ids.get, distinct, repeat(-1))), dtype=np.int64)
        absent = found < 0
        if not absent.any():
            return found
        missing = list(compress(distinct, absent.tolist()))
        if len(ids) + len(missing) > _UNIT_CACHE_LIMIT:
            self.store.clear()
            self.store.add(distinct, self._hash(distinct))
            return np.arange(len(distinct), dtype=np.int64)
        first = len(ids)
        self.store.add(missing, self._hash(missing))
        found[absent] = np.arange(first, first + len(missing))
        return found

    def _unit_columns(
        self, distinct: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(starts, lengths, columns, counts)``: unit ``i`` of ``distinct`` has the hashed
        columns ``columns[starts[i] : starts[i] + lengths[i]]`` with their counts."""
        if self.grams_of is _single_gram:
            # A word n-gram is one column: hashing it again (~0.1 µs) is cheaper than looking
            # it up in a large cache, whose misses dominate on ever-new n-grams.
            return (
                np.arange(len(distinct), dtype=np.int64),
                np.ones(len(distinct), dtype=np.int64),
                self._columns_of(distinct).astype(np.int32),
                np.ones(len(distinct), dtype=np.float64),
            )
        store_ids = self._store_ids(distinct)
        store = self.store
        lengths = store.lengths[store_ids]
        starts, columns, counts = gather_units(
            store.starts[store_ids], lengths, store.columns, store.counts
        )
        return starts, lengths, columns, counts

    def _columns_of(self, grams: list[str]) -> np.ndarray:
        """The hashed column of each n-gram, by scikit-learn's hasher rule (see :meth:`_hash`)."""
        hashes = np.fromiter(map(murmurhash3_32, grams), dtype=np.int64, count=len(grams))
        return np.abs(hashes) % self.n_features

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
        indptr = np.zeros(len(units) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        hashed = sp.csr_matrix(
            (np.ones(len(flat_grams)), self._columns_of(flat_grams), indptr),
            shape=(len(units), self.n_features),
        )
        hashed.sum_duplicates()  # a gram repeated inside a unit counts twice, as in sklearn
        return hashed

    def forward(
        self, texts: Sequence[str], *, attribute: bool = True
    ) -> tuple[np.ndarray, BlockContributions | None]:
        """Return each post's contribution to the decision value and (with ``attribute``)
        each unit's share of it."""
        per_text = list(map(self.units_of, texts))
        flat = list(chain.from_iterable(per_text))
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(list(map(len, per_text)), out=indptr[1:])
        # Batch-local unit numbers: a small dict answers faster than the unit store, and
        # each distinct unit is then looked up or hashed once per batch.
        local = {unit: i for i, unit in enumerate(dict.fromkeys(flat))}
        unit_ids = np.fromiter(map(local.__getitem__, flat), dtype=np.int64, count=len(flat))
        starts, lengths, columns, counts = self._unit_columns(list(local))
        batch_columns, hashed_columns = compact_columns(columns, self.column_slot)
        per_post, pair_post, pair_first, pair_value = block_pass(
            indptr,
            unit_ids,
            starts,
            lengths,
            batch_columns,
            counts,
            self.idf[hashed_columns],
            self.coef[hashed_columns],
            self.sublinear,
            self.norm == "l2",
            attribute,
        )
        if not attribute:
            return per_post, None
        return per_post, BlockContributions(
            kind=self.kind, post=pair_post, unit_index=pair_first, names=flat, value=pair_value
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
        # Models before 2026.11.27 select with a plain VarianceThreshold; both have a mask.
        _require(
            isinstance(select, ColumnSelector | VarianceThreshold), "no 'select' column selector"
        )
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
        # Models before 2026.11.27 have no clip step: their range is unbounded.
        clip = surface.named_steps.get("clip")
        _require(clip is None or isinstance(clip, ClipToTrainingRange), "surface clip step")
        _require(list(surface.named_steps)[-1] == ("clip" if clip else "scale"), "surface steps")
        self.surface_low = np.asarray(clip.low_ if clip else np.full(n_surface, -np.inf))
        self.surface_high = np.asarray(clip.high_ if clip else np.full(n_surface, np.inf))
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
        scaled = np.clip(scaled, self.surface_low, self.surface_high)
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
