"""Save and load the estimator with skops, refusing any type outside an explicit allow-list.

skops never unpickles: it rebuilds objects from a JSON schema plus ``.npy`` arrays, and it
refuses types it does not trust. On top of that we read the schema ourselves and refuse any
type, even one skops trusts by default, that is not in :data:`TRUSTED_TYPES`, so a model file
can hold only the handful of classes our estimator is made of and cannot run code.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import skops.io as sio
from sklearn.calibration import CalibratedClassifierCV

TRUSTED_TYPES: tuple[str, ...] = (
    "builtins.NoneType",
    "builtins.bool",
    "builtins.dict",
    "builtins.float",
    "builtins.int",
    "builtins.list",
    "builtins.slice",
    "builtins.str",
    "builtins.tuple",
    "numpy.dtype",
    "monitor.model.estimator.ClipToTrainingRange",
    "monitor.model.estimator.ColumnSelector",
    "numpy.float32",
    "numpy.float64",
    "numpy.int32",
    "numpy.int64",
    "numpy.log1p",
    "numpy.ndarray",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.HashingVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_selection._variance_threshold.VarianceThreshold",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._split.PredefinedSplit",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._function_transformer.FunctionTransformer",
)


class ModelFileError(Exception):
    """The model file is missing, not a skops file, or not the estimator we expect."""


class UntrustedModelError(ModelFileError):
    """The model file contains a type outside :data:`TRUSTED_TYPES`; it was not loaded."""

    def __init__(self, types: set[str]) -> None:
        self.types = sorted(types)
        super().__init__("model file contains untrusted types: " + ", ".join(self.types))


def _collect_types(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        if "__class__" in node and "__module__" in node:
            found.add(f"{node['__module__']}.{node['__class__']}")
        for value in node.values():
            _collect_types(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect_types(value, found)


def types_in_file(path: Path) -> set[str]:
    """Return every ``module.Class`` named in the skops file's schema (nothing is loaded).

    Raises:
        ModelFileError: the file is missing or not a skops archive.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            schema = json.loads(archive.read("schema.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: not a skops model file ({exc})") from exc
    found: set[str] = set()
    _collect_types(schema, found)
    return found


def save_estimator(estimator: CalibratedClassifierCV, path: Path) -> Path:
    """Write ``estimator`` to ``path`` with skops (deflate-compressed) and return the path.

    Raises:
        UntrustedModelError: the estimator holds a type we would refuse to load again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(estimator, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = types_in_file(path) - set(TRUSTED_TYPES)
    if untrusted:
        path.unlink()
        raise UntrustedModelError(untrusted)
    return path


def load_estimator(path: Path) -> CalibratedClassifierCV:
    """Load the estimator at ``path`` after checking every type in it against the allow-list.

    Raises:
        UntrustedModelError: the file names a type outside :data:`TRUSTED_TYPES`.
        ModelFileError: the file is unreadable or does not hold a CalibratedClassifierCV.
    """
    untrusted = types_in_file(path) - set(TRUSTED_TYPES)
    if untrusted:
        raise UntrustedModelError(untrusted)
    try:
        estimator = sio.load(path, trusted=list(TRUSTED_TYPES))
    except sio.exceptions.UntrustedTypesFoundException as exc:
        raise UntrustedModelError({str(exc)}) from exc
    except Exception as exc:  # skops raises many types for a corrupt archive
        raise ModelFileError(f"{path}: cannot be loaded ({exc})") from exc
    if not isinstance(estimator, CalibratedClassifierCV):
        raise ModelFileError(f"{path}: holds a {type(estimator).__name__}, not our estimator")
    return estimator
