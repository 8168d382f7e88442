"""The model registry on disk: one folder per version under ``models/``.

Each folder holds ``model.skops`` (the estimator), ``card.json`` and ``card.md`` (the model
card) and ``fingerprints.txt`` (hashes of the training texts, for leakage checks). Which
version is active is recorded in the store, not here (see ``monitor.store.models_registry``).
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MODEL_FILE = "model.skops"
CARD_JSON = "card.json"
CARD_MD = "card.md"
FINGERPRINTS_FILE = "fingerprints.txt"

_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_DATED_RE = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})-(\d+)$")


class ModelNotFound(LookupError):  # noqa: N818 - name fixed by the lead's interface
    """No model folder with that version exists (or the version name is not valid)."""


class RegistryError(Exception):
    """A model cannot be written (the version exists already, the name is invalid)."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A registered model: version, creation time, folder and headline metrics."""

    version: str
    created: datetime
    path: Path
    metrics: dict[str, float | None]
    threshold: float | None
    normalizer_version: str | None


def is_valid_version(version: str) -> bool:
    """True when ``version`` can name a folder (letters, digits, ``.``, ``_``, ``-``)."""
    return bool(_VERSION_RE.match(version)) and version not in {".", ".."}


def read_card(model_dir: Path) -> dict[str, Any]:
    """Return the parsed ``card.json`` of a model folder.

    Raises:
        ModelNotFound: the folder or its card is missing or the card is not JSON.
    """
    try:
        card = json.loads((model_dir / CARD_JSON).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelNotFound(f"{model_dir}: no readable {CARD_JSON} ({exc})") from exc
    if not isinstance(card, dict):
        raise ModelNotFound(f"{model_dir}: {CARD_JSON} is not an object")
    return card


def _headline(card: dict[str, Any]) -> dict[str, float | None]:
    evaluation = card.get("evaluation", {})
    scheme = evaluation.get("schemes", {}).get(evaluation.get("primary", ""), {})
    metrics = scheme.get("metrics", {})
    return {
        name: metrics.get(name, {}).get("value")
        for name in ("roc_auc", "pr_auc", "precision", "recall", "brier")
    }


def _info(model_dir: Path) -> ModelInfo:
    card = read_card(model_dir)
    created_text = card.get("created")
    try:
        created = datetime.fromisoformat(created_text) if created_text else None
    except ValueError:
        created = None
    if created is None:
        created = datetime.fromtimestamp((model_dir / CARD_JSON).stat().st_mtime, UTC)
    threshold = card.get("threshold", {}).get("value")
    return ModelInfo(
        version=model_dir.name,
        created=created,
        path=model_dir,
        metrics=_headline(card),
        threshold=float(threshold) if threshold is not None else None,
        normalizer_version=card.get("normalizer_version"),
    )


def _sort_key(info: ModelInfo) -> tuple[datetime, int, str]:
    match = _DATED_RE.match(info.version)
    return (info.created, int(match.group(4)) if match else 0, info.version)


def list_models(models_dir: Path) -> list[ModelInfo]:
    """Return every model folder with a card and a model file, oldest first.

    Folders with an unreadable card are skipped (and logged). A missing ``models_dir``
    yields an empty list.
    """
    if not models_dir.is_dir():
        return []
    found = []
    for child in models_dir.iterdir():
        if not child.is_dir() or not is_valid_version(child.name):
            continue
        if not (child / MODEL_FILE).is_file():
            continue
        try:
            found.append(_info(child))
        except ModelNotFound as exc:
            log.warning("skipping model folder %s: %s", child, exc)
    return sorted(found, key=_sort_key)


def newest_model(models_dir: Path) -> ModelInfo | None:
    """Return the most recently created model, or None when there is none."""
    models = list_models(models_dir)
    return models[-1] if models else None


def model_path(models_dir: Path, version: str) -> Path:
    """Return the folder of ``version``.

    Raises:
        ModelNotFound: the version name is invalid or has no model file and card.
    """
    if not is_valid_version(version):
        raise ModelNotFound(f"invalid model version {version!r}")
    path = models_dir / version
    if not (path / MODEL_FILE).is_file() or not (path / CARD_JSON).is_file():
        raise ModelNotFound(f"no model {version!r} in {models_dir}")
    return path


def next_version(models_dir: Path, today: date | None = None) -> str:
    """Return ``YYYY.MM.DD-N`` with N one more than any folder of that day (from 1)."""
    today = today or datetime.now(UTC).date()
    prefix = today.strftime("%Y.%m.%d")
    taken = [0]
    if models_dir.is_dir():
        for child in models_dir.iterdir():
            match = _DATED_RE.match(child.name)
            if match and child.name.startswith(prefix + "-"):
                taken.append(int(match.group(4)))
    return f"{prefix}-{max(taken) + 1}"


def publish_model_dir(staging: Path, models_dir: Path, version: str) -> Path:
    """Move a fully written ``staging`` folder to ``models_dir/version`` and return it.

    The move is a rename within ``models_dir``, so a reader never sees half a model.

    Raises:
        RegistryError: the version is invalid or already exists.
    """
    if not is_valid_version(version):
        raise RegistryError(f"invalid model version {version!r}")
    target = models_dir / version
    if target.exists():
        shutil.rmtree(staging, ignore_errors=True)
        raise RegistryError(f"model {version!r} exists already in {models_dir}")
    staging.rename(target)
    return target
