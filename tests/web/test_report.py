"""The public report form: no login, stored as a post, rate-limited per address."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.review import ReportSubmissionRow
from monitor.store.sources import SourceRow
from monitor.web.settings import WebSettings
from tests.web.client import TestClient, csrf_of
from tests.web.world import World

REPORT = "Ada pesan WA bilang bantuan BLT Rp3 juta cair lewat link bit.ly, benar tidak?"


def _send(client: TestClient, **fields: str) -> httpx.Response:
    token = csrf_of(client.get("/report").text)
    return client.post("/report", data={"text": REPORT, **fields, "csrf_token": token})


def test_a_report_is_stored_as_a_new_post_for_processing(
    anonymous: TestClient, db: Database, world: World
) -> None:
    response = _send(anonymous, url="https://example.org/wa", region="Kota Bekasi")
    assert response.status_code == 200
    assert 'data-testid="report-thanks"' in response.text
    with db.session() as session:
        post, kind, enabled = session.execute(
            select(PostRow, SourceRow.kind, SourceRow.enabled)
            .join(SourceRow, SourceRow.id == PostRow.source_id)
            .where(SourceRow.name == "public-report")
        ).one()
        submission = session.scalar(select(ReportSubmissionRow))
    assert (post.text, post.url, post.stage) == (REPORT, "https://example.org/wa", "new")
    assert post.raw["region_hint"] == "Kota Bekasi"
    assert (kind, enabled) == ("report", False)
    assert submission is not None and submission.post_id == post.id
    assert "testclient" not in submission.address_hash and len(submission.address_hash) == 64


def test_bad_reports_are_refused_with_the_form_kept(anonymous: TestClient) -> None:
    short = _send(anonymous, text="hoaks")
    assert short.status_code == 422
    assert "terlalu pendek" in short.text
    link = _send(anonymous, url="javascript:alert(1)")
    assert link.status_code == 422
    assert REPORT in link.text


def test_reports_are_rate_limited_per_address(
    app: FastAPI, anonymous: TestClient, db: Database
) -> None:
    app.state.web = WebSettings(report_max_per_window=2)
    assert _send(anonymous).status_code == 200
    assert _send(anonymous, text=REPORT + " (2)").status_code == 200
    third = _send(anonymous, text=REPORT + " (3)")
    assert third.status_code == 429
    assert "Terlalu banyak laporan" in third.text
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ReportSubmissionRow)) == 2


def test_the_honeypot_field_swallows_bot_reports(anonymous: TestClient, db: Database) -> None:
    response = _send(anonymous, website="http://spam.example")
    assert response.status_code == 200
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ReportSubmissionRow)) == 0
