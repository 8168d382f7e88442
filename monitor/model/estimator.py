"""The scikit-learn estimator: hashed n-gram features, a linear classifier, calibration.

Layout of the fitted, persisted object (the compiled scorer and explanations rely on it)::

    CalibratedClassifierCV(ensemble=False, method="sigmoid")
      └─ Pipeline
           ├─ "features": ColumnTransformer  (surface block scaled by ``surface_weight``)
           │     ├─ "word":    HashingVectorizer → TfidfTransformer  over ``normalized``
           │     ├─ "char":    HashingVectorizer(char_wb, case kept) → TfidfTransformer
           │     │             over ``raw``
           │     └─ "surface": log1p → StandardScaler → ClipToTrainingRange over the
           │                   normalizer's surface features
           ├─ "select": ColumnSelector   (drops hashed columns no training row uses and,
           │                              with topics, n-grams used in too few topics)
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

Why the topic-spread filter (:func:`topic_spread_mask`): an n-gram that occurs in only a few
of the training topics says what a post is about, not whether it is a hoax; with long texts
and few rows the classifier leans on such words and fails on the next topic. Keeping only
n-grams used in at least ``min_topic_fraction`` of the training topics costs ~0.003 ROC-AUC
on our corpus and gains ~0.05 on an external corpus under topic-grouped validation (see
``benchmarks/mendeley_check.py``). The filter reads texts and topics, never labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.feature_selection import SelectorMixin, VarianceThreshold
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
    #: Keep word/char n-grams used in at least this share of the training topics (0: off).
    min_topic_fraction: float = 0.5
    #: Clip scaled surface features to their training range (no extrapolation).
    clip_surface: bool = True

    def to_json(self) -> dict[str, Any]:
        """Return the parameters as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ModelParams:
        """Build parameters from :meth:`to_json` output, ignoring unknown keys.

        Cards written before ``surface_weight``, ``min_topic_fraction`` or ``clip_surface``
        existed describe models whose surface block was neither scaled nor clipped and whose
        n-grams were not filtered, so missing values read as 1.0, 0.0 and False, not as
        today's defaults.
        """
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("surface_weight", 1.0)
        values.setdefault("min_topic_fraction", 0.0)  # older models had no topic filter
        values.setdefault("clip_surface", False)  # ... and no clipping
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


class ClipToTrainingRange(TransformerMixin, BaseEstimator):
    """Clip each column to the range it had in training (fitted: ``low_``, ``high_``).

    A linear model extrapolates a feature without bound: a news article 20 times longer
    than any training post would get 20 times the weight of "long" (the external check
    showed length alone adding ~1.5 log-odds on articles, with no signal there). Beyond
    the training range the model has no evidence, so the value stops at its edge.
    """

    def fit(self, x: Any, y: Any = None) -> ClipToTrainingRange:
        """Record each column's minimum and maximum over the training rows."""
        values = np.asarray(x, dtype=np.float64)
        self.low_ = values.min(axis=0)
        self.high_ = values.max(axis=0)
        self.n_features_in_ = values.shape[1]
        return self

    def transform(self, x: Any) -> np.ndarray:
        """Return ``x`` clipped column-wise to ``[low_, high_]``."""
        return np.clip(np.asarray(x, dtype=np.float64), self.low_, self.high_)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names pass through unchanged (one output column per input column)."""
        return np.asarray(input_features, dtype=object)


def _surface(params: ModelParams) -> Pipeline:
    # Counts are heavy-tailed (one post has 40 '!'); log1p keeps one post from dominating.
    steps: list[tuple[str, Any]] = [
        ("log1p", FunctionTransformer(np.log1p, feature_names_out="one-to-one")),
        ("scale", StandardScaler()),
    ]
    if params.clip_surface:
        steps.append(("clip", ClipToTrainingRange()))
    return Pipeline(steps)


class ColumnSelector(SelectorMixin, BaseEstimator):
    """Keep the columns that vary over the training rows and that ``allowed`` permits.

    ``allowed`` is a boolean mask over the input columns fixed before fitting (see
    :func:`topic_spread_mask`), or ``None`` to keep every varying column. Of 800 000 hashed
    columns a few tens of thousands occur in training; dropping the rest makes liblinear
    several times faster and changes no fitted weight (unused columns would get weight zero
    anyway). Fitted attribute: ``support_``, the mask of kept columns.
    """

    def __init__(self, allowed: np.ndarray | None = None) -> None:
        self.allowed = allowed

    def fit(self, x: Any, y: Any = None) -> ColumnSelector:
        """Find the kept columns of ``x`` (labels are ignored)."""
        support = VarianceThreshold(threshold=0.0).fit(x).get_support()
        if self.allowed is not None:
            allowed = np.asarray(self.allowed, dtype=bool)
            if allowed.shape != support.shape:
                raise ValueError(
                    f"allowed mask has {allowed.size} columns, the input {support.size}"
                )
            support &= allowed
        self.support_ = support
        self.n_features_in_ = int(support.size)
        return self

    def _get_support_mask(self) -> np.ndarray:
        return np.asarray(self.support_, dtype=bool)


#: Fewer known topics than this and the topic-spread filter is off (too little to judge by).
MIN_TOPICS_FOR_SPREAD = 4


def topic_spread_mask(
    hashed: sp.csr_matrix,
    topics: Sequence[Any] | np.ndarray,
    params: ModelParams,
    n_surface: int,
) -> np.ndarray | None:
    """Columns of :func:`hash_frame` output the model may use, given each row's topic.

    A word or char n-gram is allowed when rows of at least ``ceil(min_topic_fraction x
    topics)`` distinct topics use it; surface columns are always allowed. Rows whose topic
    is ``None`` count towards no topic. Returns ``None`` (no filter) when the fraction is 0
    or fewer than :data:`MIN_TOPICS_FOR_SPREAD` topics are known.
    """
    labels = np.asarray(topics, dtype=object)
    known = np.flatnonzero([t is not None for t in labels])
    distinct, codes = np.unique(labels[known].astype(str), return_inverse=True)
    if params.min_topic_fraction <= 0.0 or len(distinct) < MIN_TOPICS_FOR_SPREAD:
        return None
    needed = max(1, math.ceil(params.min_topic_fraction * len(distinct) - 1e-9))
    n_text = hashed.shape[1] - n_surface
    used = sp.csr_matrix(hashed[known][:, :n_text])
    used.data = np.ones_like(used.data)
    # (topics x rows) indicator times (rows x columns) usage: > 0 where a topic uses a column.
    membership = sp.csr_matrix(
        (np.ones(len(known)), (codes, np.arange(len(known)))), shape=(len(distinct), len(known))
    )
    per_topic = (membership @ used).tocsc()
    per_topic.data = np.ones_like(per_topic.data)
    topic_counts = np.asarray(per_topic.sum(axis=0)).ravel()
    return np.concatenate([topic_counts >= needed, np.ones(n_surface, dtype=bool)])


def classifier(params: ModelParams) -> LogisticRegression:
    """The unfitted logistic regression of the pipeline's ``clf`` step."""
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


def build_pipeline(
    params: ModelParams, feature_names: Sequence[str], allowed: np.ndarray | None = None
) -> Pipeline:
    """Return the unfitted base pipeline over a model input table (the persisted form).

    ``allowed``: the :func:`topic_spread_mask` of the training rows, or ``None``.
    """
    features = ColumnTransformer(
        [
            (
                "word",
                Pipeline([("hash", word_hasher(params)), ("tfidf", _tfidf())]),
                NORMALIZED_COLUMN,
            ),
            ("char", Pipeline([("hash", char_hasher(params)), ("tfidf", _tfidf())]), RAW_COLUMN),
            ("surface", _surface(params), list(feature_names)),
        ],
        remainder="drop",
        sparse_threshold=1.0,
        transformer_weights=_block_weights(params),
    )
    return Pipeline(
        [
            ("features", features),
            ("select", ColumnSelector(allowed)),
            ("clf", classifier(params)),
        ]
    )


def calibration_split(groups: Sequence[Any] | np.ndarray, n_folds: int) -> PredefinedSplit:
    """Return a split for calibration that keeps every group inside one fold."""
    return PredefinedSplit(assign_group_folds(groups, n_folds))


def build_estimator(
    params: ModelParams,
    feature_names: Sequence[str],
    groups: Sequence[Any] | np.ndarray,
    allowed: np.ndarray | None = None,
) -> CalibratedClassifierCV:
    """Return the unfitted calibrated estimator for training rows with these ``groups``."""
    return CalibratedClassifierCV(
        estimator=build_pipeline(params, feature_names, allowed),
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

    def __init__(
        self,
        params: ModelParams | None = None,
        n_surface: int = 0,
        allowed: np.ndarray | None = None,
    ) -> None:
        self.params = params
        self.n_surface = n_surface
        self.allowed = allowed

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

    def fit_features(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """Fit TF-IDF weights, scaler and column selector on pre-hashed rows (no labels).

        Returns the rows' classifier input, as :meth:`features` would. Tuning fits this
        once and several classifiers (one per C) on the result.
        """
        params = self.params or ModelParams()
        word, char, surface = self._blocks(x)
        self.word_tfidf_ = _tfidf().fit(word)
        self.char_tfidf_ = _tfidf().fit(char)
        self.surface_ = _surface(params).fit(surface)
        features = self._features(x, select=False)
        self.select_ = ColumnSelector(self.allowed).fit(features)
        return self.select_.transform(features)

    def features(self, x: sp.csr_matrix) -> sp.csr_matrix:
        """The classifier input for pre-hashed rows (after :meth:`fit_features`)."""
        return self._features(x)

    def fit(self, x: sp.csr_matrix, y: np.ndarray) -> PrehashedModel:
        """Fit TF-IDF weights, scaler, column selector and classifier on pre-hashed rows."""
        params = self.params or ModelParams()
        self.clf_ = classifier(params).fit(self.fit_features(x), y)
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
    params: ModelParams,
    n_surface: int,
    groups: Sequence[Any] | np.ndarray,
    allowed: np.ndarray | None = None,
) -> CalibratedClassifierCV:
    """The calibrated estimator of :func:`build_estimator`, over :func:`hash_frame` rows."""
    return CalibratedClassifierCV(
        estimator=PrehashedModel(params, n_surface, allowed),
        method=params.calibration_method,
        cv=calibration_split(groups, params.calibration_folds),
        ensemble=False,
    )
