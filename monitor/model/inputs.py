"""The one place where scorer and trainer turn posts into the model's input table.

The persisted pipeline never sees the normalizer: it receives a DataFrame with a ``raw``
column (the post as written), a ``normalized`` column (the normalizer's space-joined tokens)
and one numeric column per surface feature. Training and scoring both build that table here,
so the two can never drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import itemgetter

import numpy as np
import pandas as pd

from monitor.text import FEATURE_NAMES, NormalizedText, normalize_many

RAW_COLUMN = "raw"
NORMALIZED_COLUMN = "normalized"


def surface_matrix(
    normalized: Sequence[NormalizedText], feature_names: Sequence[str] = FEATURE_NAMES
) -> np.ndarray:
    """Return the surface features as a ``(len(normalized), len(feature_names))`` float array.

    A feature missing from a post (a normalizer older or newer than the model) counts as 0.
    Values that are not finite, or negative, become 0: every surface feature is a count or a
    ratio, and the model takes ``log1p`` of them.
    """
    names = list(feature_names)
    if not normalized or not names:
        return np.zeros((len(normalized), len(names)), dtype=np.float64)
    # One C-level getter per post instead of a Python loop per value; a post lacking a
    # feature (another normalizer version) takes the slow path with 0 for what is missing.
    getter = itemgetter(*names)
    try:
        rows = [getter(item.features) for item in normalized]
    except KeyError:
        rows = [tuple(item.features.get(name, 0.0) for name in names) for item in normalized]
    out = np.array(rows, dtype=np.float64).reshape(len(normalized), len(names))
    out[~np.isfinite(out) | (out < 0.0)] = 0.0
    return out


def build_model_input(
    raw_texts: Sequence[str],
    normalized: Sequence[NormalizedText],
    feature_names: Sequence[str] = FEATURE_NAMES,
) -> pd.DataFrame:
    """Return the model input table: ``raw``, ``normalized`` and one column per feature.

    Raises:
        ValueError: when ``raw_texts`` and ``normalized`` differ in length.
    """
    if len(raw_texts) != len(normalized):
        raise ValueError(
            f"{len(raw_texts)} raw texts but {len(normalized)} normalized texts; "
            "they must correspond one to one"
        )
    frame = pd.DataFrame(
        surface_matrix(normalized, feature_names), columns=list(feature_names), dtype=np.float64
    )
    frame.insert(0, NORMALIZED_COLUMN, pd.Series([n.text for n in normalized], dtype=object))
    frame.insert(0, RAW_COLUMN, pd.Series([str(t) for t in raw_texts], dtype=object))
    return frame


def model_input_from_raw(
    raw_texts: Sequence[str], feature_names: Sequence[str] = FEATURE_NAMES
) -> pd.DataFrame:
    """Normalize ``raw_texts`` and return their model input table (training and evaluation)."""
    return build_model_input(raw_texts, normalize_many(list(raw_texts)), feature_names)
