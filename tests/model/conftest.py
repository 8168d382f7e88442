"""Fixtures for model tests: a synthetic corpus and one model trained on it per session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.model.card import save_trained_model
from monitor.model.dataset import LabelledData, LoadOptions, load_labelled
from monitor.model.estimator import ModelParams
from monitor.model.train import TrainConfig, TrainResult, train_model
from tests.model.corpus import write_corpus

#: Small hash spaces and few folds keep the session's one training run to seconds.
SMALL_PARAMS = ModelParams(word_hash_bits=12, char_hash_bits=14, calibration_folds=3)
SMALL_CONFIG = TrainConfig(params=SMALL_PARAMS, folds=4, topic_folds=4, n_boot=50)
VERSION = "2026.01.02-1"


@dataclass(frozen=True)
class TrainedModel:
    """A model trained on the synthetic corpus and saved in a private registry."""

    corpus: Path
    data: LabelledData
    result: TrainResult
    models_dir: Path
    path: Path


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic corpus as a CSV file."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "synthetic.csv")


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory, corpus_file: Path) -> TrainedModel:
    """Train once on the synthetic corpus and save it as version ``VERSION``."""
    data = load_labelled([corpus_file], LoadOptions())
    result = train_model(data, SMALL_CONFIG)
    models_dir = tmp_path_factory.mktemp("models")
    path = save_trained_model(
        result, models_dir, VERSION, LoadOptions(), created=datetime(2026, 1, 2, tzinfo=UTC)
    )
    return TrainedModel(corpus_file, data, result, models_dir, path)
