"""skops persistence: round trip, and refusal of any type outside the allow-list."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

from monitor.model.inputs import model_input_from_raw
from monitor.model.persist import (
    TRUSTED_TYPES,
    ModelFileError,
    UntrustedModelError,
    load_estimator,
    save_estimator,
    types_in_file,
)
from tests.model.conftest import TrainedModel


def test_a_saved_model_loads_and_predicts_the_same(trained: TrainedModel, tmp_path: Path) -> None:
    estimator = trained.result.estimator
    assert estimator is not None
    path = save_estimator(estimator, tmp_path / "m.skops")
    loaded = load_estimator(path)
    frame = model_input_from_raw(trained.data.texts[:20])
    np.testing.assert_array_equal(loaded.predict_proba(frame), estimator.predict_proba(frame))
    assert types_in_file(path) <= set(TRUSTED_TYPES)


def test_a_file_that_would_call_os_system_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.skops"
    sio.dump(Pipeline([("run", FunctionTransformer(os.system))]), path)
    with pytest.raises(UntrustedModelError) as caught:
        load_estimator(path)
    assert "posix.system" in caught.value.types or "os.system" in caught.value.types


def test_a_type_skops_trusts_by_default_but_we_do_not_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "svc.skops"
    sio.dump(SVC(), path)
    assert "sklearn.svm._classes.SVC" not in TRUSTED_TYPES
    with pytest.raises(UntrustedModelError, match="SVC"):
        load_estimator(path)


def test_a_trusted_object_that_is_not_our_estimator_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "array.skops"
    sio.dump(np.arange(3), path)
    with pytest.raises(ModelFileError, match="not our estimator"):
        load_estimator(path)


def test_a_file_that_is_not_a_skops_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.skops"
    path.write_bytes(b"\x80\x04not a zip")
    with pytest.raises(ModelFileError, match="not a skops"):
        load_estimator(path)
    with pytest.raises(ModelFileError):
        load_estimator(tmp_path / "absent.skops")
