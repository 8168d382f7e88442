"""The model registry on disk: listing, newest, lookup, version names, safe publishing."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from monitor.model.registry import (
    CARD_JSON,
    MODEL_FILE,
    ModelNotFound,
    RegistryError,
    list_models,
    model_path,
    newest_model,
    next_version,
    publish_model_dir,
)


def _fake_model(models_dir: Path, version: str, created: str, roc_auc: float = 0.9) -> Path:
    folder = models_dir / version
    folder.mkdir(parents=True)
    (folder / MODEL_FILE).write_bytes(b"placeholder")
    card = {
        "version": version,
        "created": created,
        "normalizer_version": "1.0",
        "threshold": {"value": 0.6},
        "evaluation": {
            "primary": "claim_group",
            "schemes": {"claim_group": {"metrics": {"roc_auc": {"value": roc_auc}}}},
        },
    }
    (folder / CARD_JSON).write_text(json.dumps(card))
    return folder


def test_it_lists_models_oldest_first_with_headline_metrics(tmp_path: Path) -> None:
    _fake_model(tmp_path, "2026.01.02-1", "2026-01-02T10:00:00+00:00", 0.8)
    _fake_model(tmp_path, "2026.01.01-2", "2026-01-01T12:00:00+00:00", 0.7)
    _fake_model(tmp_path, "2026.01.01-1", "2026-01-01T09:00:00+00:00", 0.6)
    models = list_models(tmp_path)
    assert [m.version for m in models] == ["2026.01.01-1", "2026.01.01-2", "2026.01.02-1"]
    assert models[-1].metrics["roc_auc"] == 0.8
    assert models[-1].threshold == 0.6
    assert models[-1].normalizer_version == "1.0"
    newest = newest_model(tmp_path)
    assert newest is not None
    assert newest.version == "2026.01.02-1"


def test_it_skips_staging_folders_folders_without_model_and_broken_cards(tmp_path: Path) -> None:
    _fake_model(tmp_path, "good", "2026-01-01T00:00:00+00:00")
    (tmp_path / ".staging-x-1").mkdir()
    (tmp_path / "no-model").mkdir()
    broken = _fake_model(tmp_path, "broken", "2026-01-01T00:00:00+00:00")
    (broken / CARD_JSON).write_text("{not json")
    assert [m.version for m in list_models(tmp_path)] == ["good"]


def test_an_empty_or_missing_registry_has_no_newest_model(tmp_path: Path) -> None:
    assert newest_model(tmp_path / "absent") is None
    assert list_models(tmp_path) == []


def test_model_path_finds_a_version_or_raises(tmp_path: Path) -> None:
    folder = _fake_model(tmp_path, "2026.01.01-1", "2026-01-01T00:00:00+00:00")
    assert model_path(tmp_path, "2026.01.01-1") == folder
    with pytest.raises(ModelNotFound):
        model_path(tmp_path, "2026.01.01-9")
    for bad in ("../etc", "", ".", "a/b"):
        with pytest.raises(ModelNotFound):
            model_path(tmp_path, bad)


def test_next_version_counts_up_within_a_day(tmp_path: Path) -> None:
    day = date(2026, 11, 26)
    assert next_version(tmp_path, day) == "2026.11.26-1"
    _fake_model(tmp_path, "2026.11.26-1", "2026-11-26T00:00:00+00:00")
    _fake_model(tmp_path, "2026.11.26-3", "2026-11-26T00:00:00+00:00")
    _fake_model(tmp_path, "2026.11.25-7", "2026-11-25T00:00:00+00:00")
    assert next_version(tmp_path, day) == "2026.11.26-4"


def test_publishing_never_overwrites_an_existing_version(tmp_path: Path) -> None:
    _fake_model(tmp_path, "v1", "2026-01-01T00:00:00+00:00")
    staging = tmp_path / ".staging-v1"
    staging.mkdir()
    with pytest.raises(RegistryError, match="exists"):
        publish_model_dir(staging, tmp_path, "v1")
    assert not staging.exists()
    staging.mkdir()
    assert publish_model_dir(staging, tmp_path, "v2") == tmp_path / "v2"
