"""Admins browse and export the audit log, manage users and API tokens in the web app."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from sqlalchemy import select

from monitor.auth.passwords import verify_password
from monitor.store.db import Database
from monitor.store.review import ApiTokenRow
from monitor.store.users import UserRow
from tests.web.client import TestClient, submit
from tests.web.world import World

Clients = Callable[[str], TestClient]


def test_the_audit_log_is_browsable_filterable_and_exportable(
    client_for: Clients, world: World
) -> None:
    case_id = world.cases["central"]
    submit(
        client_for("reviewer"),
        f"/cases/{case_id}",
        f"/cases/{case_id}/label",
        {"verdict": "unsure"},
    )
    admin = client_for("admin")
    page = admin.get("/admin/audit?action=case.label").text
    assert "reviewer@kominfo.test" in page and "case.open" not in page
    exported = admin.get(f"/admin/audit.csv?entity_type=case&entity_id={case_id}")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["action"] for r in rows] == ["case.open", "case.label"]
    assert '"verdict": "unsure"' in rows[1]["details"]


def test_an_admin_adds_a_user_and_sees_the_password_once(client_for: Clients, db: Database) -> None:
    admin = client_for("admin")
    page = submit(
        admin,
        "/admin/users",
        "/admin/users",
        {
            "email": "humas@sulsel.test",
            "name": "Humas Sulsel",
            "role": "regional_officer",
            "region": "Sulawesi Selatan",
        },
    ).text
    password = re.search(r'data-testid="new-password">([^<]+)<', page)
    assert password is not None
    with db.session() as session:
        user = session.scalar(select(UserRow).where(UserRow.email == "humas@sulsel.test"))
        assert user is not None and user.region == "Sulawesi Selatan"
        assert verify_password(user.password_hash, password.group(1))
    assert password.group(1) not in admin.get("/admin/users").text
    duplicate = submit(admin, "/admin/users", "/admin/users", {"email": "humas@sulsel.test"})
    assert duplicate.status_code == 422 and "already exists" in duplicate.text


def test_an_admin_disables_a_user_but_not_themself(
    client_for: Clients, world: World, db: Database
) -> None:
    admin = client_for("admin")
    for who in ("analyst", "admin"):
        submit(
            admin, "/admin/users", f"/admin/users/{world.users[who]}/active", {"active": "false"}
        )
    with db.session() as session:
        active = dict(session.execute(select(UserRow.email, UserRow.active)).all())
    assert active[world.emails["analyst"]] is False
    assert active[world.emails["admin"]] is True


def test_an_admin_creates_and_revokes_a_token(
    client_for: Clients, world: World, db: Database, anonymous: TestClient
) -> None:
    admin = client_for("admin")
    page = submit(
        admin,
        "/admin/tokens",
        "/admin/tokens",
        {
            "name": "Diskominfo Papua",
            "owner_id": str(world.users["papua"]),
            "scope": ["read", "push"],
        },
    ).text
    created = re.search(r'data-testid="new-token">([^<]+)<', page)
    assert created is not None
    secret = created.group(1)
    assert (
        anonymous.get("/api/v1/cases", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    with db.session() as session:
        token_id = session.scalar(select(ApiTokenRow.id))
    submit(admin, "/admin/tokens", f"/admin/tokens/{token_id}/revoke")
    assert (
        anonymous.get("/api/v1/cases", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    assert secret not in admin.get("/admin/tokens").text
