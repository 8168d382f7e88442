"""CSV exports: scoped to what the user sees, spreadsheet formulas defused."""

from __future__ import annotations

import csv
import io

from sqlalchemy import update

from monitor.review import workflow
from monitor.review.exports import cases_csv, labels_csv, safe_cell
from monitor.store.cases import CaseRow
from monitor.store.db import Database
from monitor.store.users import UserRow
from tests.web.world import World


def _rows(chunks: object) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO("".join(chunks))))  # type: ignore[arg-type]


def test_cells_that_start_a_formula_are_defused() -> None:
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("+62 812") == "'+62 812"
    assert safe_cell("@warga") == "'@warga"
    assert safe_cell("biasa") == "biasa"
    assert safe_cell(None) == ""
    assert safe_cell({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'


def test_an_officers_case_export_holds_only_their_region(db: Database, world: World) -> None:
    with db.transaction() as session:
        session.execute(
            update(CaseRow).where(CaseRow.id == world.cases["jabar"]).values(title="=1+1 hoaks")
        )
    with db.session() as session:
        officer = session.get(UserRow, world.users["jabar"])
        assert officer is not None
        rows = _rows(cases_csv(session, officer))
    assert {row["region"] for row in rows} == {"Jawa Barat"}
    assert {int(row["id"]) for row in rows} == {world.cases["jabar"], world.cases["xss"]}
    assert "'=1+1 hoaks" in {row["title"] for row in rows}


def test_the_label_export_follows_visibility(db: Database, world: World) -> None:
    with db.transaction() as session:
        reviewer = session.get(UserRow, world.users["reviewer"])
        assert reviewer is not None
        workflow.label(session, reviewer, world.cases["papua"], verdict="unsure", note="-cek")
        workflow.label(
            session, reviewer, world.cases["jabar"], verdict="hoax", category="fabricated"
        )
    with db.session() as session:
        reviewer = session.get(UserRow, world.users["reviewer"])
        officer = session.get(UserRow, world.users["jabar"])
        assert reviewer is not None and officer is not None
        everything = _rows(labels_csv(session, reviewer))
        own = _rows(labels_csv(session, officer))
    assert [row["verdict"] for row in everything] == ["unsure", "hoax"]
    assert everything[0]["note"] == "'-cek"
    assert [int(row["case_id"]) for row in own] == [world.cases["jabar"]]
