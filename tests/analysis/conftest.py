"""Fixtures of the analysis tests: the shipped model and registries built from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from monitor.model.registry import CARD_JSON, newest_model
from tests.conftest import REPO


@pytest.fixture(scope="session")
def shipped_model() -> Path:
    """The newest model folder in the repository's ``models/``."""
    info = newest_model(REPO / "models")
    assert info is not None, "the repository ships no model"
    return info.path


def copy_model(source: Path, registry: Path, version: str) -> Path:
    """Copy a model folder into ``registry`` under another version name."""
    target = registry / version
    shutil.copytree(source, target)
    card = json.loads((target / CARD_JSON).read_text(encoding="utf-8"))
    card["version"] = version
    (target / CARD_JSON).write_text(json.dumps(card), encoding="utf-8")
    return target


@pytest.fixture
def twin_registry(tmp_path: Path, shipped_model: Path) -> Path:
    """A registry holding the shipped model twice: as ``2026.01.01-1`` and ``2026.01.02-1``.

    The twins score identically, so any difference a comparison reports is a bug.
    """
    registry = tmp_path / "models"
    registry.mkdir()
    copy_model(shipped_model, registry, "2026.01.01-1")
    copy_model(shipped_model, registry, "2026.01.02-1")
    return registry
