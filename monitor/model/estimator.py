"""The scikit-learn estimator: hashed n-gram features, a linear classifier, calibration.

Layout of the fitted, persisted object (the compiled scorer and explanations rely on it)::

    CalibratedClassifierCV(ensemble=False, method="sigmoid")
      └─ Pipeline
           ├─ "features": ColumnTransformer  (surface block scaled by ``surface_weight``)
           │     ├─ "word":    HashingVectorizer → TfidfTransformer  over ``normalized``
           │     ├─ "char":    HashingVectorizer(char_wb, case kept) → TfidfTransformer
           │     │             over ``raw``
           │     └─ "surface": log1p → StandardScaler over the normalizer's surface features
           ├─ "select": VarianceThreshold(0)   (drops hashed columns no training row uses)
           └─ "clf": LogisticRegression(class_weight="balanced")

Why hashing: a vocabulary of 100 000 n-grams made the skops file tens of MB of JSON and
seconds to load; hashed features need none (the file holds arrays only). Hashing is also
stateless, so cross-validation hashes every row once and fits only the TF-IDF weights,
scaler and classifier per fold (:class:`PrehashedModel`), which is the same model, fitted
the same way, as the persisted pipeline (a test checks they agree).

Why ``ensemble=False``: the calibrator is fitted on out-of-fold decision values (folds
grouped so near-duplicates never straddle a split), then one base pipeline is fitted on all
rows. A score is therefore ``sigmoid(a · (w·x + b) + c)`` with a single ``w``: the
contributions ``w_j · x_j`` explain it exactly, and the base model sees every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import VarianceThreshold
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import PredefinedSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from monitor.model.grouping import assign_group_folds
from monitor.model.inputs import NORMALIZED_COLUMN, RAW_COLUMN

# Tokens of the normalized text are separated by single spaces and may contain ':' or '@'
# (``url:bit.ly``, ``@mention``), so a token is any run of non-space characters.
WORD_PATTERN = r"\S+"


@dataclass(frozen=True, slots=True)
class ModelParams:
    """Hyper-parameters of the estimator; recorded verbatim in the model card."""

    c: float = 10.0
    word_ngram_max: int = 2
    word_hash_bits: int = 18
    char_ngram_min: int = 2
    char_ngram_max: int = 5
    char_hash_bits: int = 19
    surface_weight: float = 0.05
    calibration_method: str = "sigmoid"
    calibration_folds: int = 3
    max_iter: int = 3000
    seed: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the parameters as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelParams:
        """Build parameters from :meth:`to_json` output, ignoring unknown keys.

        Cards written before ``surface_weight`` existed describe models whose surface block
        was not scaled, so a missing weight reads as 1.0, not as today's default.
        """
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("surface_weight", 1.0)
        return cls(**values)

    @property
    def word_features(self) -> int:
        """Width of the hashed word n-gram block."""
        return 2**self.word_hash_bits

    @property
    def char_features(self) -> int:
        """Width of the hashed char n-gram block."""
        return 2**self.char_hash_bits


# -- components shared by the persisted pipeline and the pre-hashed CV model ----------------


def word_hasher(params: ModelParams) -> HashingVectorizer:
    """Raw counts of word 1..n-grams of the normalized text."""
    return HashingVectorizer(
        analyzer="word",
        token_pattern=WORD_PATTERN,
        lowercase=False,
        ngram_range=(1, params.word_ngram_max),
        n_features=params.word_features,
        alternate_sign=False,
        norm=None,
        dtype=np.float64,
    )


def char_hasher(params: ModelParams) -> HashingVectorizer:
    """Raw counts of char n-grams inside word boundaries of the raw text, case kept."""
    return HashingVectorizer(
        analyzer="char_wb",
        lowercase=False,
        ngram_range=(params.char_ngram_min, params.char_ngram_max),
        n_features=params.char_features,
        alternate_sign=False,
        norm=None,
        dtype=np.float64,
    )


def _tfidf() -> TfidfTransformer:
    return TfidfTransformer(sublinear_tf=True, norm="l2", use_idf=True, smooth_idf=True)


def _surface() -> Pipeline:
    # Counts are heavy-tailed (one post has 40 '!'); log1p keeps one post from dominating.
    return Pipeline(
        [
            ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]
    )


def _selector() -> VarianceThreshold:
    # Of 800 000 hashed columns a few tens of thousands occur in training; dropping the rest
    # makes liblinear several times faster and changes no fitted weight (unused columns
    # would get weight zero anyway).
    return VarianceThreshold(threshold=0.0)


def _classifier(params: ModelParams) -> LogisticRegression:
    return LogisticRegression(
        C=params.c,
        class_weight="balanced",
        solver="liblinear",
        max_iter=params.max_iter,
        random_state=params.seed,
    )


def _block_weights(params: ModelParams) -> dict[str, float] | None:
    # The surface block is a handful of dense standardized columns (row norm ~ sqrt(14))
    # beside two L2-normalized sparse blocks (row norm 1 each). At equal regularisation the
    # dense counts dominate, and counts such as length or numbers are topic-bound: they
    # fit one topic's posts and mislead on another's. Scaling the block down regularises
    # it harder without dropping it.
    if params.surface_weight == 1.0:
        return None
    return {"surface": float(params.surface_weight)}


def build_pipeline(params: ModelParams, feature_names: Sequence[str]) -> Pipeline:
    """Return the unfitted base pipeline over a model input table (the persisted form)."""
    features = ColumnTransformer(
        [
            (
                "word",
                Pipeline([("hash", word_hasher(params)), ("tfidf", _tfidf())]),
                NORMALIZED_COLUMN,
            ),
            ("char", Pipeline([("hash", char_hasher(params)), ("tfidf", _tfidf())]), RAW_COLUMN),
            ("surface", _surface(), list(feature_names)),
        ],
        remainder="drop",
        sparse_threshold=1.0,
        transformer_weights=_block_weights(params),
    )
    return Pipeline([("features", features), ("select", _selector()), ("clf", _classifier(params))])


def calibration_split(groups: Sequence[Any] | np.ndarray, n_folds: int) -> PredefinedSplit:
    """Return a split for calibration that keeps every group inside one fold."""
    return PredefinedSplit(assign_group_folds(groups, n_folds))


def build_estimator(
    params: ModelParams, feature_names: Sequence[str], groups: Sequence[Any] | np.ndarray
) -> CalibratedClassifierCV:
    """Return the unfitted calibrated estimator for training rows with these ``groups``."""
    return CalibratedClassifierCV(
        estimator=build_pipeline(params, feature_names),
        method=params.calibration_method,
        cv=calibration_split(groups, params.calibration_folds),
        ensemble=False,
    )


# -- the pre-hashed twin used by cross-validation ------------------------------------------


def hash_frame(
    frame: pd.DataFrame, params: ModelParams, feature_names: Sequence[str]
) -> sp.csr_matrix:
    """Return ``[word counts | char counts | surface values]`` for every row of ``frame``.

    Hashing has no fitted state, so computing it once for all rows leaks nothing.
    """
    word = word_hasher(params).transform(frame[NORMALIZED_COLUMN])
    char = char_hasher(params).transform(frame[RAW_COLUMN])
    surface = sp.csr_matrix(frame[list(feature_names)].to_numpy(dtype=np.float64))
    return sp.hstack([word, char, surface], format="csr")


class PrehashedModel(ClassifierMixin, BaseEstimator):
    """The base pipeline minus hashing, over :func:`hash_frame` output. Never persisted.

    Fits the same components (TF-IDF weights, log1p + scaler, logistic regression) in the
    same order as :func:`build_pipeline`, so on the same rows it yields the same model.
    """

    def __init__(self, params: ModelParams | None = None, n_surface: int = 0) -> None:
        self.params = params
        self.n_surface = n_surface

    def _blocks(self, x: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix, np.ndarray]:
        params = self.params or ModelParams()
        n_word, n_char = params.word_features, params.char_features
        x = sp.csr_matrix(x)
        return (
            x[:, :n_word],
            x[:, n_word : n_word + n_char],
            x[:, n_word + n_char :].toarray(),
        )

    def _features(self, x: sp.csr_matrix, *, select: bool = True) -> sp.csr_matrix:
        params = self.params or ModelParams()
        word, char, surface = self._blocks(x)
        features = sp.hstack(
            [
                self.word_tfidf_.transform(word),
                self.char_tfidf_.transform(char),
                sp.csr_matrix(self.surface_.transform(surface) * params.surface_weight),
            ],
            format="csr",
        )
        return self.select_.transform(features) if select else features

    def fit(self, x: sp.csr_matrix, y: np.ndarray) -> PrehashedModel:
        """Fit TF-IDF weights, scaler and classifier on pre-hashed rows."""
        params = self.params or ModelParams()
        word, char, surface = self._blocks(x)
        self.word_tfidf_ = _tfidf().fit(word)
        self.char_tfidf_ = _tfidf().fit(char)
        self.surface_ = _surface().fit(surface)
        features = self._features(x, select=False)
        self.select_ = _selector().fit(features)
        self.clf_ = _classifier(params).fit(self.select_.transform(features), y)
        self.classes_ = self.clf_.classes_
        return self

    def decision_function(self, x: sp.csr_matrix) -> np.ndarray:
        """Linear decision value ``w·x + b`` (positive towards hoax)."""
        return np.asarray(self.clf_.decision_function(self._features(x)))

    def predict_proba(self, x: sp.csr_matrix) -> np.ndarray:
        """Uncalibrated logistic probabilities (calibration wraps this model)."""
        return np.asarray(self.clf_.predict_proba(self._features(x)))

    def predict(self, x: sp.csr_matrix) -> np.ndarray:
        """Class labels at the uncalibrated 0.5 cut (required by scikit-learn's API)."""
        return np.asarray(self.clf_.predict(self._features(x)))


def build_prehashed_estimator(
    params: ModelParams, n_surface: int, groups: Sequence[Any] | np.ndarray
) -> CalibratedClassifierCV:
    """The calibrated estimator of :func:`build_estimator`, over :func:`hash_frame` rows."""
    return CalibratedClassifierCV(
        estimator=PrehashedModel(params, n_surface),
        method=params.calibration_method,
        cv=calibration_split(groups, params.calibration_folds),
        ensemble=False,
    )
