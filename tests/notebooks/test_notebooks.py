"""The analysts' notebooks run end to end against a small generated store.

Each notebook runs in a fresh ``python3`` kernel of this virtualenv, from the repository
root, on its own copy of the sample store (:mod:`monitor.analysis.sample_store`), with
``PANTAU_NOTEBOOK_SMOKE=1`` so the retraining notebook uses fast settings and a scratch
model registry. The notebooks are committed without outputs; a test keeps it that way.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat import NotebookNode

from monitor.analysis.sample_store import SampleStoreReport, build_sample_store
from monitor.model.registry import newest_model
from monitor.store.db import Database
from monitor.store.models_registry import ModelActivationRow, active_model_version
from tests.conftest import REPO

NOTEBOOKS = REPO / "notebooks"
MODELS = REPO / "models"
NAMES = ("01_retrain", "02_error_analysis", "03_monitoring_overview")
CELL_TIMEOUT = 300
PNG = "image/png"


def _read(name: str) -> NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _execute(notebook: NotebookNode) -> NotebookNode:
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(REPO)}},
    )
    client.execute()
    return notebook


def _texts(notebook: NotebookNode) -> str:
    """Every stream and plain-text result of the executed notebook, joined."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                parts.append(output.text)
            elif "data" in output and "text/plain" in output.data:
                parts.append(output.data["text/plain"])
    return "\n".join(parts)


def _images(notebook: NotebookNode) -> int:
    return sum(
        PNG in output.get("data", {})
        for cell in notebook.cells
        for output in cell.get("outputs", [])
    )


def _stderr(notebook: NotebookNode) -> str:
    return "".join(
        output.text
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream" and output.name == "stderr"
    )


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_committed_without_outputs(name: str) -> None:
    notebook = _read(name)

    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: a cell has outputs; clear them before committing"
            assert cell.execution_count is None, f"{name}: a cell has an execution count"


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> SampleStoreReport:
    path = tmp_path_factory.mktemp("notebook-store") / "sample.db"
    return build_sample_store(path, MODELS)


@pytest.fixture
def store_url(
    sample_store: SampleStoreReport, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A private copy of the sample store, named in the environment the kernel inherits."""
    path = tmp_path / "store.db"
    shutil.copy(sample_store.path, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("PANTAU_DATABASE_URL", url)
    monkeypatch.setenv("PANTAU_MODELS_DIR", str(MODELS))
    monkeypatch.setenv("PANTAU_NOTEBOOK_SMOKE", "1")
    monkeypatch.setenv("PANTAU_CONFIG", os.devnull)
    return url


@pytest.mark.slow
def test_the_kernel_runs_the_python_of_this_virtualenv() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))

    _execute(notebook)

    assert _texts(notebook).strip() == sys.prefix


def _registry_state() -> list[tuple[str, int]]:
    models = MODELS
    return sorted((str(p.relative_to(models)), p.stat().st_mtime_ns) for p in models.rglob("*"))


@pytest.mark.slow
def test_the_retraining_notebook_compares_and_promotes_nothing_in_a_smoke_run(
    store_url: str,
) -> None:
    registry_before = _registry_state()
    newest = newest_model(MODELS)
    assert newest is not None

    notebook = _execute(_read("01_retrain"))

    text = _texts(notebook)
    assert "smoke run" in text
    assert "labelled cases" in text
    assert "held out" in text
    assert "candidate 95% interval" in text and "difference" in text
    assert "PR-AUC gain" in text
    assert "decision:" in text
    assert "not promoted" in text
    assert _images(notebook) >= 1
    assert "Warning" not in _stderr(notebook)
    assert _registry_state() == registry_before
    db = Database(store_url)
    with db.session() as session:
        assert active_model_version(session) == newest.version
        assert session.query(ModelActivationRow).count() == 1
    db.dispose()


@pytest.mark.slow
def test_the_error_analysis_notebook_lists_errors_and_metrics_per_group(store_url: str) -> None:
    notebook = _execute(_read("02_error_analysis"))

    text = _texts(notebook)
    assert "seen in training and left out" in text
    assert "towards_hoax" in text and "towards_valid" in text
    assert "mean_weight" in text
    for column in ("topic", "register", "source"):
        assert f"\n{column}" in text
    assert text.count("(all)") >= 3
    assert _images(notebook) == 2
    assert "Warning" not in _stderr(notebook)


@pytest.mark.slow
def test_the_monitoring_notebook_shows_weekly_volumes_flags_and_drift(store_url: str) -> None:
    notebook = _execute(_read("03_monitoring_overview"))

    text = _texts(notebook)
    assert "posts from 2026-11-20 to 2026-11-26" in text
    for column in ("flag_rate", "mean_score", "new_cases", "psi", "drift"):
        assert column in text
    assert "2026-11-16" in text and "2026-11-23" in text
    assert _images(notebook) == 4
    assert "Warning" not in _stderr(notebook)
