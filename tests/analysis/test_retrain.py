"""Retraining steps: the plan, pinning the active model, scratch registries, training a
candidate and promoting it only when the comparison says so."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import select

from monitor.analysis.compare import PromotionRule, compare_models
from monitor.analysis.frames import corpus_frame
from monitor.analysis.retrain import (
    SMOKE_ENV,
    RetrainPlan,
    pin_active_model,
    promote_if_better,
    scratch_registry,
    train_candidate,
)
from monitor.model.registry import CARD_JSON, ModelNotFound
from monitor.model.tuning import TuningGrid
from monitor.pipeline.score import NoModelError
from monitor.store.audit import AuditEventRow
from monitor.store.db import Database
from monitor.store.models_registry import (
    ModelActivationRow,
    activate_model,
    active_model_version,
)
from tests.analysis.builders import unseen_rows
from tests.conftest import REPO

OLD, NEW = "2026.01.01-1", "2026.01.02-1"


def _activations(db: Database) -> list[str]:
    with db.session() as session:
        return list(
            session.scalars(select(ModelActivationRow.version).order_by(ModelActivationRow.id))
        )


def test_the_smoke_plan_is_chosen_by_the_environment() -> None:
    assert RetrainPlan.from_environment({SMOKE_ENV: "1"}).smoke
    assert not RetrainPlan.from_environment({SMOKE_ENV: "0"}).smoke
    assert RetrainPlan.from_environment({}) == RetrainPlan.full()


def test_a_tuned_plan_keeps_everything_else() -> None:
    plan = RetrainPlan.smoke_test()
    tuned = plan.tuned(TuningGrid(c_values=(1.0,), inner_folds=2))
    assert tuned.train.tuning == TuningGrid(c_values=(1.0,), inner_folds=2)
    assert dataclasses.replace(tuned, train=dataclasses.replace(tuned.train, tuning=None)) == plan
    assert RetrainPlan.full().tuned().train.tuning == TuningGrid()


def test_the_smoke_plan_trains_on_a_sample_with_few_folds() -> None:
    plan = RetrainPlan.smoke_test()

    assert plan.max_rows is not None
    assert plan.train.folds == 2
    assert plan.train.n_boot < RetrainPlan.full().train.n_boot


def test_select_rows_keeps_every_reviewer_label_and_whole_groups() -> None:
    corpus = corpus_frame(sorted((REPO / "training_data/corpus").glob("*.csv"))[:2])
    store = corpus.head(30).assign(source="store", file=None)
    frame = pd.concat([corpus.iloc[30:], store], ignore_index=True)
    plan = RetrainPlan.smoke_test()

    rows, groups = plan.select_rows(frame)

    assert plan.max_rows is not None
    assert len(rows) <= plan.max_rows + 30
    assert (rows["source"] == "store").sum() == 30
    assert len(groups) == len(rows)
    claims = pd.Series(groups).groupby(rows["claim_group"].to_numpy()).nunique()
    assert (claims == 1).all()


def test_pinning_records_the_newest_model_when_none_is_active(
    db: Database, twin_registry: Path
) -> None:
    with db.transaction() as session:
        version = pin_active_model(session, twin_registry, "analyst")

    assert version == NEW
    assert _activations(db) == [NEW]


def test_pinning_keeps_an_already_active_model(db: Database, twin_registry: Path) -> None:
    with db.transaction() as session:
        activate_model(session, OLD, "admin")
    with db.transaction() as session:
        version = pin_active_model(session, twin_registry, "analyst")

    assert version == OLD
    assert _activations(db) == [OLD]


def test_pinning_without_any_model_fails(db: Database, tmp_path: Path) -> None:
    with db.transaction() as session, pytest.raises(NoModelError):
        pin_active_model(session, tmp_path, "analyst")


def test_a_scratch_registry_holds_copies_of_the_chosen_versions(
    twin_registry: Path, tmp_path: Path
) -> None:
    scratch = scratch_registry(twin_registry, [OLD], parent=tmp_path)

    assert [p.name for p in scratch.iterdir()] == [OLD]
    assert (scratch / OLD / CARD_JSON).read_bytes() == (
        twin_registry / OLD / CARD_JSON
    ).read_bytes()
    assert scratch.parent == tmp_path


def test_a_scratch_registry_of_an_unknown_version_fails(
    twin_registry: Path, tmp_path: Path
) -> None:
    with pytest.raises(ModelNotFound):
        scratch_registry(twin_registry, ["2020.01.01-9"], parent=tmp_path)

    assert list(tmp_path.iterdir()) == [twin_registry]


@pytest.fixture
def heldout() -> pd.DataFrame:
    return unseen_rows(15)


def test_a_better_candidate_becomes_active_with_the_comparison_as_note(
    db: Database, twin_registry: Path, heldout: pd.DataFrame
) -> None:
    with db.transaction() as session:
        activate_model(session, OLD, "admin")
    comparison = compare_models(
        twin_registry / NEW,
        twin_registry / OLD,
        heldout,
        rule=PromotionRule(min_pr_auc_gain=-1.0),
        n_boot=10,
    )

    with db.transaction() as session:
        outcome = promote_if_better(session, comparison, twin_registry, actor="analyst")

    assert outcome.promoted
    assert outcome.active_version == NEW
    assert _activations(db) == [OLD, NEW]
    with db.session() as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "model.activate")
        ).all()[-1]
    assert event.actor == "analyst"
    assert "decision: promote" in event.details["note"]


def test_a_candidate_that_is_not_better_changes_nothing(
    db: Database, twin_registry: Path, heldout: pd.DataFrame
) -> None:
    with db.transaction() as session:
        activate_model(session, OLD, "admin")
    comparison = compare_models(twin_registry / NEW, twin_registry / OLD, heldout, n_boot=10)

    with db.transaction() as session:
        outcome = promote_if_better(session, comparison, twin_registry, actor="analyst")

    assert not outcome.promoted
    assert outcome.active_version == OLD
    assert _activations(db) == [OLD]
    assert "not promoted" in str(outcome)


def test_no_promotion_when_another_model_became_active_since_the_comparison(
    db: Database, twin_registry: Path, heldout: pd.DataFrame
) -> None:
    comparison = compare_models(
        twin_registry / NEW,
        twin_registry / OLD,
        heldout,
        rule=PromotionRule(min_pr_auc_gain=-1.0),
        n_boot=10,
    )
    with db.transaction() as session:
        activate_model(session, NEW, "someone else")

    with db.transaction() as session:
        outcome = promote_if_better(session, comparison, twin_registry, actor="analyst")

    assert not outcome.promoted
    assert "compare again" in outcome.reasons[-1]
    assert _activations(db) == [NEW]


def test_a_dry_run_says_it_would_promote_and_writes_nothing(
    db: Database, twin_registry: Path, heldout: pd.DataFrame
) -> None:
    with db.transaction() as session:
        activate_model(session, OLD, "admin")
    comparison = compare_models(
        twin_registry / NEW,
        twin_registry / OLD,
        heldout,
        rule=PromotionRule(min_pr_auc_gain=-1.0),
        n_boot=10,
    )

    with db.transaction() as session:
        outcome = promote_if_better(
            session, comparison, twin_registry, actor="analyst", dry_run=True
        )

    assert not outcome.promoted
    assert "would have been promoted" in outcome.reasons[-1]
    with db.session() as session:
        assert active_model_version(session) == OLD


@pytest.mark.slow
def test_a_trained_candidate_is_saved_in_the_registry_with_a_card_of_its_rows(
    tmp_path: Path,
) -> None:
    corpus = corpus_frame(sorted((REPO / "training_data/corpus").glob("*.csv"))[:2])
    frame = pd.concat([corpus.iloc[:80], corpus.iloc[-80:]], ignore_index=True)
    registry = tmp_path / "models"

    candidate = train_candidate(frame, registry, RetrainPlan.smoke_test().train)

    card = json.loads((candidate.path / CARD_JSON).read_text(encoding="utf-8"))
    assert candidate.path == registry / candidate.version
    assert card["data"]["rows"] == 160
    assert sorted(f["rows_used"] for f in card["data"]["files"]) == [80, 80]
    assert "claim_group" in candidate.validation().index
