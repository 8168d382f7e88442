"""CSRF on every state change, security headers, and post text that stays inert."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import update

from monitor.store.cases import CaseRow
from monitor.store.db import Database
from monitor.store.posts import PostRow
from tests.web.client import TestClient, csrf_of
from tests.web.world import World

Clients = Callable[[str], TestClient]


def test_forms_without_or_with_a_wrong_csrf_token_are_refused(
    client_for: Clients, world: World, db: Database
) -> None:
    client = client_for("reviewer")
    case_id = world.cases["jabar"]
    for data in ({"assignee": "me"}, {"assignee": "me", "csrf_token": "forged-token-value"}):
        response = client.post(f"/cases/{case_id}/assign", data=data)
        assert response.status_code == 403
        assert "Formulir kedaluwarsa" in response.text
    with db.session() as session:
        case = session.get(CaseRow, case_id)
        assert case is not None and case.assignee_id is None
    token = csrf_of(client.get(f"/cases/{case_id}").text)
    assert (
        client.post(
            f"/cases/{case_id}/assign", data={"assignee": "me", "csrf_token": token}
        ).status_code
        == 200
    )


def test_the_login_form_and_the_report_form_need_their_token_too(
    anonymous: TestClient, world: World
) -> None:
    login = anonymous.post("/login", data={"email": world.emails["reviewer"], "password": "x"})
    assert login.status_code == 403
    report = anonymous.post("/report", data={"text": "vaksin mengandung chip magnet 5G"})
    assert report.status_code == 403


def test_cookie_api_writes_need_the_csrf_header_but_bearer_calls_do_not(
    client_for: Clients, world: World
) -> None:
    client = client_for("reviewer")
    case_id = world.cases["central"]
    body = {"action": "label", "verdict": "unsure"}
    refused = client.post(f"/api/v1/cases/{case_id}/transitions", json=body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "error.csrf"
    token = csrf_of(client.get("/queue").text)
    accepted = client.post(
        f"/api/v1/cases/{case_id}/transitions", json=body, headers={"X-CSRF-Token": token}
    )
    assert accepted.status_code == 200


def test_every_response_carries_the_security_headers(
    client_for: Clients, anonymous: TestClient, world: World
) -> None:
    client = client_for("reviewer")
    for response in (
        anonymous.get("/login"),
        client.get("/queue"),
        client.get(f"/cases/{world.cases['jabar']}"),
        client.get("/api/v1/cases"),
        client.get("/dashboard/charts/status.svg"),
        anonymous.get("/static/app.css"),
    ):
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_pages_have_no_inline_script_or_handlers(client_for: Clients, world: World) -> None:
    client = client_for("admin")
    for path in ("/queue", f"/cases/{world.cases['jabar']}", "/dashboard", "/admin/users"):
        html = client.get(path).text
        assert "<script>" not in html and " onclick=" not in html and "style=" not in html


def test_a_hostile_post_renders_as_text(client_for: Clients, world: World, db: Database) -> None:
    with db.transaction() as session:
        session.execute(
            update(PostRow)
            .where(PostRow.id == world.posts["xss"][0])
            .values(url="javascript:alert(document.cookie)", author='"><svg onload=alert(1)>')
        )
        session.execute(
            update(CaseRow)
            .where(CaseRow.id == world.cases["xss"])
            .values(title="<b onmouseover=alert(1)>judul</b>")
        )
    client = client_for("jabar")
    html = client.get(f"/cases/{world.cases['xss']}").text
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in html
    assert "onerror=&#34;alert(1)&#34;" in html or "onerror=&quot;alert(1)&quot;" in html
    assert 'href="javascript:' not in html
    assert "<svg" not in html and "<b onmouseover" not in html
    queue = client.get("/queue").text
    assert "<b onmouseover" not in queue and "&lt;b onmouseover=alert(1)&gt;" in queue
