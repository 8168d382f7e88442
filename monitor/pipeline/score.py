"""Scoring: the active model, loaded once per process and swapped when it changes."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from monitor.model.registry import ModelNotFound, model_path, newest_model
from monitor.store.models_registry import active_model_version

if TYPE_CHECKING:
    from monitor.model.scorer import Scorer

log = logging.getLogger(__name__)


class NoModelError(RuntimeError):
    """No usable model: none is active or installed, or the active one cannot be loaded."""


def resolve_model_version(session: Session, models_dir: Path) -> str:
    """The version to score with: the store's active model, else the newest installed one."""
    version = active_model_version(session)
    if version is not None:
        return version
    newest = newest_model(models_dir)
    if newest is None:
        raise NoModelError(f"no model found under {models_dir}; run `pantau train` first")
    return newest.version


class ScorerCache:
    """Holds the loaded scorer; reloads only when the active version changes."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._scorer: Scorer | None = None
        self._lock = threading.Lock()

    def get(self, session: Session) -> Scorer:
        """The scorer for the currently active model version."""
        version = resolve_model_version(session, self.models_dir)
        with self._lock:
            if self._scorer is None or self._scorer.version != version:
                try:
                    path = model_path(self.models_dir, version)
                except ModelNotFound as exc:
                    raise NoModelError(str(exc)) from exc
                # Imported here: scikit-learn and skops cost seconds to import, and only
                # processes that score should pay for them.
                from monitor.model.scorer import Scorer

                log.info("loading model %s from %s", version, path)
                try:
                    self._scorer = Scorer.load(path)
                except Exception as exc:
                    # A model that cannot load stops processing as a whole (posts stay
                    # queued) instead of failing post after post.
                    raise NoModelError(f"cannot load model {version}: {exc}") from exc
            return self._scorer
