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
from itertools import chain

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

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
    for n in range(2, min(max_n, len(tokens)) + 1):
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

    ``post[i]`` is the post of item i, ``unit[i]`` its text, ``value[i]`` its contribution.
    Items are ordered by post.
    """

    kind: str
    post: np.ndarray
    unit: list[str]
    value: np.ndarray


@dataclass(frozen=True, slots=True)
class Forward:
    """One batch through the model: decision values, probabilities, contributions."""

    decision: np.ndarray
    probability: np.ndarray
    blocks: list[BlockContributions]
    surface_contrib: np.ndarray


class _HashedBlock:
    """One HashingVectorizer → TfidfTransformer block and its slice of the coefficients.

    ``units_of(text)`` splits a post into units; ``grams_of(unit)`` lists the n-grams the
    vectorizer would produce for that unit alone. The columns of a unit are hashed once by
    scikit-learn's own FeatureHasher (the hasher inside HashingVectorizer) and cached.
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
        self.feature_hasher = FeatureHasher(
            n_features=self.n_features,
            input_type="string",
            alternate_sign=False,
            dtype=np.float64,
        )
        self.idf = np.asarray(tfidf.idf_, dtype=np.float64)
        self.sublinear = bool(tfidf.sublinear_tf)
        self.norm = tfidf.norm
        self.coef = coef
        self.units_of = units_of
        self.grams_of = grams_of
        self._cache: dict[str, tuple[list[int], list[float]]] = {}

    def _hash_units(self, units: list[str]) -> None:
        """Hash the n-grams of every unit in ``units`` (one call) and cache their columns."""
        if len(self._cache) + len(units) > _UNIT_CACHE_LIMIT:
            self._cache.clear()
        missing = [u for u in units if u not in self._cache]
        if not missing:
            return
        hashed = self.feature_hasher.transform(self.grams_of(u) for u in missing).tocsr()
        indptr, indices, data = hashed.indptr, hashed.indices, hashed.data
        for i, unit in enumerate(missing):
            start, stop = indptr[i], indptr[i + 1]
            self._cache[unit] = (indices[start:stop].tolist(), data[start:stop].tolist())

    def forward(self, texts: Sequence[str]) -> tuple[np.ndarray, BlockContributions]:
        """Return each post's contribution to the decision value and per-unit shares."""
        n = len(texts)
        local: dict[str, int] = {}
        units: list[str] = []
        occurrences: list[int] = []
        indptr = [0]
        for text in texts:
            for unit in self.units_of(text):
                k = local.get(unit)
                if k is None:
                    k = local[unit] = len(units)
                    units.append(unit)
                occurrences.append(k)
            indptr.append(len(occurrences))
        post_units = sp.csr_matrix(
            (np.ones(len(occurrences)), np.asarray(occurrences, dtype=np.int32), indptr),
            shape=(n, len(units)),
        )
        post_units.sum_duplicates()
        self._hash_units(units)
        rows = [self._cache[u] for u in units]
        lengths = np.fromiter((len(r[0]) for r in rows), dtype=np.int64, count=len(rows))
        total = int(lengths.sum())
        unit_columns = sp.csr_matrix(
            (
                np.fromiter(chain.from_iterable(r[1] for r in rows), np.float64, total),
                np.fromiter(chain.from_iterable(r[0] for r in rows), np.int32, total),
                np.r_[0, np.cumsum(lengths)],
            ),
            shape=(len(units), self.n_features),
        )
        counts = (post_units @ unit_columns).tocsr()
        counts.sum_duplicates()
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

        # Attribution: a column's contribution is shared equally among its occurrences in
        # the post; each (post, unit) pair collects the shares of the columns it produced.
        pairs = post_units.tocoo()
        starts = unit_columns.indptr[pairs.col]
        lens = unit_columns.indptr[pairs.col + 1] - starts
        pair_of_entry = np.repeat(np.arange(len(pairs.row)), lens)
        offsets = np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)
        entry = np.repeat(starts, lens) + offsets
        post_keys = rows_of.astype(np.int64) * self.n_features + counts.indices
        entry_keys = (
            pairs.row[pair_of_entry].astype(np.int64) * self.n_features
            + unit_columns.indices[entry]
        )
        per_occurrence = contrib / counts.data
        shares = np.bincount(
            pair_of_entry,
            weights=unit_columns.data[entry]
            * per_occurrence[np.searchsorted(post_keys, entry_keys)],
            minlength=len(pairs.row),
        )
        return per_post, BlockContributions(
            kind=self.kind,
            post=pairs.row.astype(np.int64),
            unit=[units[k] for k in pairs.col],
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
        self, raw: Sequence[str], normalized: Sequence[str], surface: np.ndarray
    ) -> Forward:
        """Score a batch: raw texts, normalized texts and their surface feature matrix.

        ``surface`` has one column per :attr:`surface_names`, in that order.
        """
        term_total, term_parts = self.blocks[0].forward(normalized)
        raw_total, raw_parts = self.blocks[1].forward(raw)
        scaled = (np.log1p(np.maximum(surface, 0.0)) - self.surface_mean) / self.surface_scale
        surface_contrib = scaled * self.surface_coef[np.newaxis, :]
        decision = term_total + raw_total + surface_contrib.sum(axis=1) + self.intercept
        probability = np.asarray(self.calibrator.predict(decision), dtype=np.float64)
        return Forward(
            decision=decision,
            probability=np.clip(probability, 0.0, 1.0),
            blocks=[term_parts, raw_parts],
            surface_contrib=surface_contrib,
        )

    def forward_frame(self, frame: pd.DataFrame) -> Forward:
        """Score a model input table built by :func:`monitor.model.inputs.build_model_input`."""
        return self.forward(
            frame[RAW_COLUMN].tolist(),
            frame[NORMALIZED_COLUMN].tolist(),
            frame[self.surface_names].to_numpy(dtype=np.float64),
        )
