"""The model commands: train, evaluate, model list/show/promote/rollback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from monitor.cli.model import register
from monitor.config import get_settings
from monitor.store.db import Database
from monitor.store.models_registry import active_model_version
from tests.model.conftest import VERSION, TrainedModel
from tests.model.corpus import synthetic_rows, write_corpus

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trained: TrainedModel) -> Iterator[Path]:
    """Settings for the command: a private registry holding the trained model."""
    models_dir = tmp_path / "models"
    shutil.copytree(trained.path, models_dir / VERSION)
    monkeypatch.setenv("PANTAU_MODELS_DIR", str(models_dir))
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("PANTAU_DATABASE_URL", f"sqlite:///{tmp_path / 'absent.db'}")
    get_settings.cache_clear()
    yield models_dir
    get_settings.cache_clear()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(_app(), list(args))
    return result.exit_code, result.output


@pytest.mark.slow
def test_train_saves_a_model_and_reports_skipped_rows(env: Path, tmp_path: Path) -> None:
    rows = synthetic_rows(seed=5)
    rows[3]["label"] = ""
    corpus = write_corpus(tmp_path / "corpus.csv", rows)
    code, output = _run(
        "train", str(corpus), "--version", "2026.02.01-1", "--folds", "3",
        "--topic-folds", "3", "--bootstrap", "20", "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    assert "skipped corpus.csv:5: missing label" in output
    assert "saved model 2026.02.01-1" in output
    assert (env / "2026.02.01-1" / "model.skops").is_file()
    code, output = _run("train", str(corpus), "--version", "2026.02.01-1", "--no-progress")
    assert code == 1
    assert "exists already" in output


@pytest.mark.slow
def test_train_without_saving_prints_json(env: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.csv", synthetic_rows(seed=6)[:80])
    code, output = _run(
        "train", str(corpus), "--no-save", "--json", "--folds", "3", "--bootstrap", "10",
        "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    report = json.loads(output[output.index("{") :])
    assert "version" not in report
    assert report["primary"] == "claim_group"
    assert sorted(p.name for p in env.iterdir()) == [VERSION]


@pytest.mark.slow
@pytest.mark.parametrize(("fraction", "filtered"), [("0", False), ("0.5", True)])
def test_train_takes_the_topic_filter_share(
    env: Path, tmp_path: Path, fraction: str, filtered: bool
) -> None:
    corpus = write_corpus(tmp_path / "c.csv", synthetic_rows(seed=7))
    version = "2026.02.02-1"
    code, output = _run(
        "train", str(corpus), "--version", version, "--folds", "3", "--topic-folds", "3",
        "--bootstrap", "10", "--min-topic-fraction", fraction, "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    card = json.loads((env / version / "card.json").read_text(encoding="utf-8"))
    assert card["parameters"]["min_topic_fraction"] == float(fraction)
    assert card["features"]["topic_filter"] is filtered
    assert ("at least 50% of the training topics" in card["estimator"]) is filtered


@pytest.mark.slow
def test_train_with_tuning_reports_each_folds_choice(env: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.csv", synthetic_rows(seed=8)[:80])
    code, output = _run(
        "train", str(corpus), "--no-save", "--json", "--tune", "--folds", "2",
        "--topic-folds", "2", "--bootstrap", "10", "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    report = json.loads(output[output.index("{") :])
    for scheme in ("claim_group", "topic"):
        chosen = report["evaluation"][scheme]["tuning"]["chosen"]
        assert len(chosen) == 2
        assert all(c["c"] in (0.3, 1.0, 3.0, 10.0) for c in chosen)
    code, output = _run(
        "train", str(corpus), "--no-save", "--tune", "--folds", "2", "--topic-folds", "2",
        "--bootstrap", "10", "--no-progress",
    )  # fmt: skip
    assert code == 0, output
    assert output.count("tuned per fold: C=") == 3  # claim groups, topics, time split


def test_train_refuses_a_fixed_c_with_tuning(env: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.csv", synthetic_rows(seed=8)[:40])
    code, output = _run("train", str(corpus), "--tune", "--c", "3", "--no-progress")
    assert code == 1
    assert "--c and --tune exclude each other" in output


def test_train_with_a_missing_column_fails_clearly(env: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("isi,label\nsatu,hoax\n")
    code, output = _run("train", str(path), "--no-progress")
    assert code == 1
    assert "missing column" in output


def test_evaluate_prints_json_with_metrics(env: Path, tmp_path: Path) -> None:
    fresh = write_corpus(tmp_path / "fresh.csv", synthetic_rows(seed=42))
    code, output = _run(
        "evaluate", "--model", VERSION, "--data", str(fresh), "--json", "--bootstrap", "20"
    )
    assert code == 0, output
    report = json.loads(output[output.index("{") :])
    assert report["model"] == VERSION
    assert set(report["metrics"]) >= {"roc_auc", "pr_auc", "macro_f1", "brier"}
    assert all(Path(p).is_file() for p in report["plots"])


def test_evaluate_an_unknown_model_fails(env: Path, tmp_path: Path) -> None:
    fresh = write_corpus(tmp_path / "f.csv", synthetic_rows(seed=1)[:10])
    code, output = _run("evaluate", "--model", "1999.01.01-1", "--data", str(fresh))
    assert code == 1
    assert "no model" in output


def test_model_list_and_show(env: Path) -> None:
    code, output = _run("model", "list", "--json")
    assert code == 0, output
    (row,) = json.loads(output)
    assert row["version"] == VERSION
    assert row["active"] is False
    assert row["metrics"]["roc_auc"] is not None
    code, output = _run("model", "show", VERSION)
    assert code == 0
    assert f"# Pantau hoax model {VERSION}" in output


def test_promote_and_rollback_record_the_active_model(
    env: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    shutil.copytree(env / VERSION, env / "2026.01.03-1")
    assert _run("model", "promote", VERSION, "--actor", "tester")[0] == 0
    assert _run("model", "promote", "2026.01.03-1", "--note", "better")[0] == 0
    db = Database(db_url)
    try:
        with db.session() as session:
            assert active_model_version(session) == "2026.01.03-1"
        code, output = _run("model", "list")
        assert code == 0
        assert "* " in output or "│ *" in output
        code, output = _run("model", "rollback")
        assert code == 0, output
        assert f"to {VERSION}" in output
        with db.session() as session:
            assert active_model_version(session) == VERSION
    finally:
        db.dispose()
    code, output = _run("model", "promote", "1999.01.01-1")
    assert code == 1
    assert "no model" in output


def test_rollback_without_history_fails(
    env: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    code, output = _run("model", "rollback")
    assert code == 1
    assert "nothing to roll back" in output
