"""Pantau's hoax classifier: features, training, registry (skops), scorer, explanations.

Public interface::

    build_model_input(raw_texts, normalized) -> DataFrame     # the one input path
    Scorer.load(model_dir).score_many(raw_texts, normalized)  # -> list[ScoreResult]
    list_models / newest_model / model_path(models_dir, ...)  # the registry on disk
    train_model(data, config) / save_trained_model(...)       # training (pantau train)
"""

from importlib import import_module
from typing import Any

# Importing a submodule (e.g. ``monitor.model.registry``) must not pull in scikit-learn and
# skops: their import costs seconds, which every CLI command would pay. Names resolve lazily.
_LAZY = {
    "Explanation": "monitor.model.explain",
    "build_model_input": "monitor.model.inputs",
    "ModelInfo": "monitor.model.registry",
    "ModelNotFound": "monitor.model.registry",
    "list_models": "monitor.model.registry",
    "model_path": "monitor.model.registry",
    "newest_model": "monitor.model.registry",
    "Scorer": "monitor.model.scorer",
    "ScoreResult": "monitor.model.scorer",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Explanation",
    "ModelInfo",
    "ModelNotFound",
    "ScoreResult",
    "Scorer",
    "build_model_input",
    "list_models",
    "model_path",
    "newest_model",
]
