"""Roles hold on every page and API call: a regional officer sees and changes only their region.

Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from monitor.auth.users import set_active
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CaseRow
from monitor.store.db import Database
from monitor.store.review import LabelRow
from tests.web.client import TestClient, csrf_of, submit
from tests.web.world import World

Clients = Callable[[str], TestClient]

CASE_ACTIONS = {
    "assign": {"assignee": "me"},
    "label": {"verdict": "hoax", "category": "fabricated", "note": "x"},
    "draft": {"claim": "klaim", "facts": "fakta"},
    "approve": {},
    "publish": {"channel": "website", "url": "https://example.org/k"},
    "dismiss": {"note": "x"},
    "reopen": {"note": "x"},
    "escalate": {"note": "x"},
}


def _state(db: Database, case_id: int) -> tuple[str, int | None, int]:
    with db.session() as session:
        case = session.get(CaseRow, case_id)
        assert case is not None
        events = session.scalar(
            select(func.count())
            .select_from(AuditEventRow)
            .where(AuditEventRow.entity_type == "case", AuditEventRow.entity_id == str(case_id))
        )
        return case.status, case.assignee_id, int(events or 0)


def test_a_regional_officer_sees_their_region_in_the_queue_and_nothing_else(
    client_for: Clients, world: World
) -> None:
    page = client_for("jabar").get("/queue?status=all").text
    assert f'href="/cases/{world.cases["jabar"]}"' in page
    assert f'href="/cases/{world.cases["xss"]}"' in page
    for other in ("papua", "central", "low"):
        assert f'href="/cases/{world.cases[other]}"' not in page


def test_a_central_reviewer_sees_every_region(client_for: Clients, world: World) -> None:
    page = client_for("reviewer").get("/queue?status=all").text
    for case_id in world.cases.values():
        assert f'href="/cases/{case_id}"' in page


def test_guessing_another_regions_case_id_is_a_404_page(client_for: Clients, world: World) -> None:
    client = client_for("jabar")
    assert client.get(f"/cases/{world.cases['jabar']}").status_code == 200
    for other in ("papua", "central"):
        response = client.get(f"/cases/{world.cases[other]}")
        assert response.status_code == 404
        assert "Bansos" not in response.text and "Banjir" not in response.text
    nonexistent = client.get("/cases/999999")
    assert nonexistent.status_code == 404


def test_a_regional_officer_cannot_change_another_regions_case(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("jabar")
    token = csrf_of(client.get("/queue").text)
    case_id = world.cases["papua"]
    before = _state(db, case_id)
    for action, fields in CASE_ACTIONS.items():
        response = client.post(
            f"/cases/{case_id}/{action}",
            data={**fields, "csrf_token": token},
            follow_redirects=False,
        )
        assert response.status_code == 404, action
        assert _state(db, case_id) == before, action
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(LabelRow)) == 0


def test_the_api_hides_another_regions_case_post_and_scores(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("jabar")
    papua = world.cases["papua"]
    assert client.get(f"/api/v1/cases/{papua}").status_code == 404
    assert client.get(f"/api/v1/cases/{world.cases['jabar']}").status_code == 200
    listed = client.get("/api/v1/cases", params={"status": "all"}).json()
    assert {item["region"] for item in listed["items"]} == {"Jawa Barat"}
    post_id = world.posts["papua"][0]
    assert client.get(f"/api/v1/posts/{post_id}").status_code == 404
    posts = client.get("/api/v1/posts", params={"limit": 500}).json()["items"]
    assert post_id not in {p["id"] for p in posts}
    assert {p["case_id"] for p in posts} <= {world.cases["jabar"], world.cases["xss"]}
    scores = client.get("/api/v1/scores", params={"post_id": post_id}).json()["items"]
    assert scores == []
    token = csrf_of(client.get("/queue").text)
    before = _state(db, papua)
    changed = client.post(
        f"/api/v1/cases/{papua}/transitions",
        json={"action": "assign", "assignee_id": world.users["jabar"]},
        headers={"X-CSRF-Token": token},
    )
    assert changed.status_code == 404
    assert _state(db, papua) == before


def test_bulk_actions_skip_cases_outside_the_officers_region(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("jabar")
    response = submit(
        client,
        "/queue",
        "/queue/bulk",
        {"action": "dismiss", "case_id": [str(world.cases["jabar"]), str(world.cases["papua"])]},
    )
    assert response.status_code == 200
    assert _state(db, world.cases["jabar"])[0] == "dismissed"
    assert _state(db, world.cases["papua"])[0] == "new"


def test_an_escalated_case_stays_visible_but_read_only_for_the_officer(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("jabar")
    case_id = world.cases["jabar"]
    page = client.get(f"/cases/{case_id}")
    response = client.post(
        f"/cases/{case_id}/escalate",
        data={"csrf_token": csrf_of(page.text), "note": "butuh pusat"},
    )
    assert response.status_code == 200
    with db.session() as session:
        case = session.get(CaseRow, case_id)
        assert case is not None and case.escalated_at is not None
    after = client.get(f"/cases/{case_id}")
    assert after.status_code == 200
    assert f'action="/cases/{case_id}/label"' not in after.text
    refused = client.post(
        f"/cases/{case_id}/assign",
        data={"csrf_token": csrf_of(after.text), "assignee": "me"},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert _state(db, case_id)[1] is None
    central = client_for("reviewer").get("/queue?escalated=1").text
    assert f'href="/cases/{case_id}"' in central


ADMIN_PATHS = ("/admin/audit", "/admin/users", "/admin/tokens", "/admin/audit.csv")


@pytest.mark.parametrize("who", ["reviewer", "analyst", "jabar"])
def test_admin_pages_are_for_admins_only(client_for: Clients, who: str) -> None:
    client = client_for(who)
    for path in ADMIN_PATHS:
        assert client.get(path).status_code == 403, path
    refused = submit(client, "/queue", "/admin/users", {"email": "x@y.test"})
    assert refused.status_code == 403


def test_an_admin_opens_the_admin_pages(client_for: Clients) -> None:
    client = client_for("admin")
    for path in ADMIN_PATHS:
        assert client.get(path).status_code == 200, path


def test_an_analyst_may_label_but_not_run_the_workflow(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("analyst")
    case_id = world.cases["central"]
    token = csrf_of(client.get(f"/cases/{case_id}").text)
    labelled = client.post(
        f"/cases/{case_id}/label", data={"csrf_token": token, "verdict": "unsure"}
    )
    assert labelled.status_code == 200
    before = _state(db, case_id)
    refused = client.post(
        f"/cases/{case_id}/dismiss", data={"csrf_token": token}, follow_redirects=True
    )
    assert "tidak berwenang" in refused.text
    assert _state(db, case_id) == before
    api = client.post(
        f"/api/v1/cases/{case_id}/transitions",
        json={"action": "dismiss"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status_code == 403


PAGES = ("/queue", "/cases/1", "/dashboard", "/export/cases.csv", "/account", "/api/v1/docs")
API_PATHS = ("/api/v1/cases", "/api/v1/cases/1", "/api/v1/posts", "/api/v1/labels", "/openapi.json")


def test_pages_send_anonymous_visitors_to_the_login(anonymous: TestClient) -> None:
    for path in PAGES:
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


def test_the_api_answers_401_without_credentials(anonymous: TestClient) -> None:
    for path in API_PATHS:
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response.json()["code"] == "error.login_required"
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_disabled_users_session_stops_working(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("reviewer")
    assert client.get("/queue").status_code == 200
    with db.transaction() as session:
        set_active(session, world.emails["reviewer"], False)
    response = client.get("/queue", follow_redirects=False)
    assert response.status_code == 303
