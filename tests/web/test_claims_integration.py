"""The case page and workflow with the claims package: known hoaxes, merge and split."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from monitor.store.cases import CaseRow
from monitor.store.db import Database
from tests.web.client import TestClient, submit
from tests.web.world import World

known = pytest.importorskip("monitor.claims.known", reason="the claims package is not installed")
cluster = pytest.importorskip("monitor.claims.cluster")
claim_settings = pytest.importorskip("monitor.claims.settings")

Clients = Callable[[str], TestClient]


def test_a_case_resurfacing_a_known_hoax_shows_the_old_clarification(
    client_for: Clients, world: World, db: Database
) -> None:
    with db.transaction() as session:
        known.import_known_hoaxes(
            session,
            [
                known.KnownHoaxRecord(
                    claim="Bansos dihentikan untuk warga Jayapura",
                    verdict="hoax",
                    hoax_category="fabricated",
                    clarification="Bansos tetap disalurkan sesuai jadwal <b>resmi</b>.",
                    clarification_url="https://papua.test/klarifikasi/9",
                    clarified_at=datetime(2025, 3, 1, tzinfo=UTC),
                    issuing_office="Diskominfo Papua",
                )
            ],
            claim_settings.ClaimSettings(),
        )
        known_id = session.scalar(select(known.KnownHoaxRow.id))
        known.record_known_hits(
            session,
            [
                cluster.KnownHit(
                    world.cases["papua"], known_id, world.posts["papua"][0], 0.91, datetime.now(UTC)
                )
            ],
        )
    html = client_for("papua").get(f"/cases/{world.cases['papua']}").text
    assert "Cocok dengan hoaks yang sudah diklarifikasi" in html
    assert "Bansos tetap disalurkan sesuai jadwal &lt;b&gt;resmi&lt;/b&gt;." in html
    assert 'href="https://papua.test/klarifikasi/9"' in html
    assert "Diskominfo Papua" in html and "91%" in html


def test_publishing_adds_the_case_to_the_known_hoaxes(
    client_for: Clients, world: World, db: Database
) -> None:
    case_id = world.cases["central"]
    reviewer, approver = client_for("reviewer"), client_for("approver")
    for client, action, data in (
        (reviewer, "label", {"verdict": "hoax", "category": "fabricated"}),
        (
            reviewer,
            "draft",
            {
                "claim": "Banjir bandang Jakarta malam ini",
                "facts": "BMKG tidak pernah menyatakan itu.",
            },
        ),
        (approver, "approve", {}),
        (reviewer, "publish", {"channel": "website", "url": "https://bmkg.test/k/1"}),
    ):
        page = f"/cases/{case_id}"
        assert submit(client, page, f"{page}/{action}", data).status_code == 200
    with db.session() as session:
        row = session.scalar(
            select(known.KnownHoaxRow).where(known.KnownHoaxRow.case_id == case_id)
        )
        assert row is not None
        assert row.clarification_url == "https://bmkg.test/k/1"
        assert row.hoax_category == "fabricated"


def test_a_reviewer_merges_cases_and_an_officer_cannot_merge_other_regions(
    client_for: Clients, world: World, db: Database
) -> None:
    reviewer = client_for("reviewer")
    keep = world.cases["jabar"]
    merged = submit(
        reviewer, f"/cases/{keep}", f"/cases/{keep}/merge", {"other_ids": str(world.cases["xss"])}
    )
    assert merged.status_code == 200 and "Kasus digabungkan." in merged.text
    with db.session() as session:
        statuses = dict(session.execute(select(CaseRow.id, CaseRow.status)).all())
    assert statuses[world.cases["xss"]] == "merged"
    page = reviewer.get(f"/cases/{world.cases['xss']}").text
    assert f'href="/cases/{keep}"' in page
    refused = submit(
        client_for("jabar"),
        f"/cases/{keep}",
        f"/cases/{keep}/merge",
        {"other_ids": str(world.cases["papua"])},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    with db.session() as session:
        assert session.get(CaseRow, world.cases["papua"]).status == "new"  # type: ignore[union-attr]


def test_a_reviewer_splits_posts_into_a_new_case(
    client_for: Clients, world: World, db: Database
) -> None:
    reviewer = client_for("reviewer")
    case_id = world.cases["central"]
    moved = world.posts["central"][2]
    response = submit(
        reviewer, f"/cases/{case_id}", f"/cases/{case_id}/split", {"post_id": [str(moved)]}
    )
    assert response.status_code == 200
    with db.session() as session:
        count = session.get(CaseRow, case_id).post_count  # type: ignore[union-attr]
    assert count == 2
