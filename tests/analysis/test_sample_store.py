"""The sample store: the demo stream processed with the shipped model, labelled by reviewers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from monitor.analysis.labels import VERDICT_LABELS, labels_from_store
from monitor.analysis.sample_store import (
    SAMPLE_REVIEWS,
    SampleStoreReport,
    add_sample_labels,
    build_sample_store,
    main,
    review_workflow,
)
from monitor.bootstrap import DEMO_STREAM
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.models_registry import active_model_version
from monitor.store.posts import STAGE_PROCESSED, PostRow, ScoreRow
from monitor.store.review import LabelRow
from monitor.store.users import UserRow
from tests.analysis.builders import add_case, add_posts, add_user


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, shipped_model: Path) -> SampleStoreReport:
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    return build_sample_store(path, shipped_model.parent)


def _count(db: Database, statement: Any) -> int:
    with db.session() as session:
        return int(session.scalar(statement) or 0)


def test_every_demo_post_is_processed_and_scored_by_the_active_shipped_model(
    sample: SampleStoreReport, shipped_model: Path
) -> None:
    db = Database(sample.url)
    demo_lines = sum(1 for line in DEMO_STREAM.read_text(encoding="utf-8").splitlines() if line)

    assert sample.posts == demo_lines
    assert sample.model_version == shipped_model.name
    assert _count(db, select(func.count()).where(PostRow.stage == STAGE_PROCESSED)) == demo_lines
    versions = _count(db, select(func.count(func.distinct(ScoreRow.model_version))))
    assert versions == 1
    with db.session() as session:
        assert active_model_version(session) == shipped_model.name
    assert sample.cases == _count(db, select(func.count()).select_from(CaseRow))
    assert sample.cases > 0
    db.dispose()


def test_cases_holding_a_reviewed_post_are_labelled_through_the_workflow(
    sample: SampleStoreReport,
) -> None:
    db = Database(sample.url)
    reviewed_cases = _count(
        db,
        select(func.count(func.distinct(CasePostRow.case_id)))
        .join(PostRow, PostRow.id == CasePostRow.post_id)
        .where(PostRow.external_id.in_(list(SAMPLE_REVIEWS))),
    )

    assert sample.via_workflow
    assert sample.labelled_cases == reviewed_cases > 0
    assert sample.label_rows == _count(db, select(func.count()).select_from(LabelRow))
    label_events = select(func.count()).where(AuditEventRow.action == "case.label")
    assert _count(db, label_events) == sample.label_rows
    assert _count(db, select(func.count()).select_from(UserRow)) == sample.users == 3
    db.dispose()


def test_the_sample_labels_follow_each_case_s_newest_verdict(sample: SampleStoreReport) -> None:
    db = Database(sample.url)
    with db.session() as session:
        frame = labels_from_store(session)
        reviewed = session.execute(
            select(CasePostRow.case_id, PostRow.external_id)
            .join(PostRow, PostRow.id == CasePostRow.post_id)
            .where(PostRow.external_id.in_(list(SAMPLE_REVIEWS)))
            .order_by(PostRow.id)
        ).all()
    db.dispose()
    governing: dict[int, str] = {}
    for case_id, demo_id in reviewed:
        governing.setdefault(case_id, demo_id)
    newest = {case_id: SAMPLE_REVIEWS[demo_id][-1][0] for case_id, demo_id in governing.items()}

    labels = frame.groupby("case_id")["label"].agg(set).to_dict()

    assert labels == {
        case_id: {VERDICT_LABELS[verdict]}
        for case_id, verdict in newest.items()
        if verdict != "unsure"
    }


def test_an_existing_file_is_never_overwritten(tmp_path: Path, shipped_model: Path) -> None:
    path = tmp_path / "taken.db"
    path.write_bytes(b"someone's data")

    with pytest.raises(FileExistsError):
        build_sample_store(path, shipped_model.parent)

    assert path.read_bytes() == b"someone's data"


def _reviewed_store(db: Database) -> tuple[list[UserRow], int, int]:
    """Two cases holding reviewed demo posts, one holding none; returns reviewers and ids."""
    corrected = add_case(db, add_posts(db, ["a thread on checking hoaxes"], ids=["demo-0012"]))
    hoax = add_case(
        db,
        add_posts(db, ["BLT link", "BLT link again"], source="b", ids=["demo-0018", "demo-0001"]),
    )
    add_case(db, add_posts(db, ["an unreviewed post"], source="c", ids=["demo-9999"]))
    ids = [add_user(db, "a@example.org"), add_user(db, "b@example.org")]
    with db.session() as session:
        reviewers = [session.get(UserRow, i) for i in ids]
    return [r for r in reviewers if r is not None], corrected, hoax


def test_sample_labels_without_the_workflow_are_plain_label_rows(db: Database) -> None:
    reviewers, corrected, hoax = _reviewed_store(db)

    with db.transaction() as session:
        added = add_sample_labels(session, reviewers, None)

    with db.session() as session:
        rows = session.execute(
            select(LabelRow.case_id, LabelRow.verdict, LabelRow.user_id).order_by(LabelRow.id)
        ).all()
        events = session.scalar(select(func.count()).where(AuditEventRow.action == "case.label"))
    assert added == 3
    assert [(c, v) for c, v, _ in rows] == [
        (corrected, "hoax"),
        (corrected, "not_hoax"),
        (hoax, "hoax"),
    ]
    assert rows[0][2] != rows[1][2]  # the correction comes from the other reviewer
    assert events == 0


def test_sample_labels_through_the_workflow_are_audited_and_move_the_case(
    db: Database,
) -> None:
    workflow = review_workflow()
    assert workflow is not None
    reviewers, _, hoax = _reviewed_store(db)

    with db.transaction() as session:
        added = add_sample_labels(session, reviewers, workflow)

    with db.session() as session:
        events = session.scalar(select(func.count()).where(AuditEventRow.action == "case.label"))
        case = session.get(CaseRow, hoax)
        assert case is not None
        assert case.status == "in_review"
    assert events == added == 3


def test_the_command_reports_an_existing_file_instead_of_overwriting_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "taken.db"
    path.write_bytes(b"")

    status = main([str(path), "--models-dir", str(tmp_path)])

    assert status == 1
    assert "exists" in capsys.readouterr().err


def test_the_command_reports_a_registry_without_models(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([str(tmp_path / "new.db"), "--models-dir", str(tmp_path / "none")])

    assert status == 1
    assert "no model" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()
