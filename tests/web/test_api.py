"""The JSON API with tokens: reading, transitions, pushing posts, labels export."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from monitor.auth.tokens import create_token, revoke_token
from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from tests.web.client import TestClient
from tests.web.world import World

Tokens = Callable[..., str]


@pytest.fixture
def token_for(db: Database, world: World) -> Tokens:
    """``token_for("jabar", "read", "push")``: a new API token of that person."""

    def make(name: str, *scopes: str) -> str:
        with db.transaction() as session:
            user = session.get(UserRow, world.users[name])
            assert user is not None
            _, token = create_token(
                session, user=user, name=f"t-{name}", scopes=scopes, actor="test"
            )
        return token

    return make


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_reads_cases_with_its_owners_visibility(
    anonymous: TestClient, token_for: Tokens, world: World
) -> None:
    central = anonymous.get("/api/v1/cases", headers=_auth(token_for("reviewer", "read")))
    assert central.status_code == 200
    assert central.json()["total"] == 5
    first = central.json()["items"][0]
    assert first["id"] == world.cases["jabar"] and first["band"] == "high"
    regional = anonymous.get(
        "/api/v1/cases", params={"status": "all"}, headers=_auth(token_for("papua", "read"))
    ).json()
    assert [item["id"] for item in regional["items"]] == [world.cases["papua"]]


def test_case_detail_has_posts_scores_and_history(
    anonymous: TestClient, token_for: Tokens, world: World
) -> None:
    detail = anonymous.get(
        f"/api/v1/cases/{world.cases['central']}", headers=_auth(token_for("analyst", "read"))
    ).json()
    assert detail["posts_total"] == 3
    assert {p["author"] for p in detail["posts"]} == {f"@warga_central_{i}" for i in range(3)}
    assert {s["model_version"] for s in detail["scores"]} == {"2026.11-test"}
    assert detail["history"][0]["action"] == "case.open"
    assert detail["actions"] == ["label"]


def test_transitions_need_the_write_scope_and_follow_the_workflow(
    anonymous: TestClient, token_for: Tokens, world: World
) -> None:
    case_id = world.cases["papua"]
    reader = _auth(token_for("papua", "read"))
    writer = _auth(token_for("papua", "read", "write"))
    url = f"/api/v1/cases/{case_id}/transitions"
    assert anonymous.post(url, json={"action": "approve"}, headers=reader).status_code == 403
    assigned = anonymous.post(
        url, json={"action": "assign", "assignee_id": world.users["papua"]}, headers=writer
    )
    assert assigned.status_code == 200
    assert assigned.json()["status"] == "in_review"
    conflict = anonymous.post(url, json={"action": "approve"}, headers=writer)
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "error.transition"
    invalid = anonymous.post(url, json={"action": "label", "verdict": "hoax"}, headers=writer)
    assert invalid.status_code == 422
    unknown = anonymous.post(url, json={"action": "delete"}, headers=writer)
    assert unknown.status_code == 422


def test_partners_push_posts_idempotently_under_their_own_source(
    anonymous: TestClient, token_for: Tokens, db: Database
) -> None:
    token = token_for("jabar", "push")
    body = {
        "posts": [
            {
                "external_id": "wa-001",
                "text": "Pesan berantai: air PDAM Bandung tercemar, jangan diminum!!",
                "url": "https://example.org/wa/1",
                "published_at": "2026-11-25T07:00:00+07:00",
                "shares": 40,
            },
            {"external_id": "wa-002", "text": "<script>alert(1)</script> hoaks baru"},
        ]
    }
    first = anonymous.post("/api/v1/posts", json=body, headers=_auth(token))
    assert first.status_code == 201
    assert first.json() == {"received": 2, "new": 2, "duplicates": 0, "truncated": 0}
    again = anonymous.post("/api/v1/posts", json=body, headers=_auth(token))
    assert again.json()["duplicates"] == 2
    with db.session() as session:
        rows = session.execute(
            select(PostRow.external_id, PostRow.stage, SourceRow.kind, SourceRow.region)
            .join(SourceRow, SourceRow.id == PostRow.source_id)
            .where(SourceRow.kind == "push")
            .order_by(PostRow.external_id)
        ).all()
    assert rows == [
        ("wa-001", "new", "push", "Jawa Barat"),
        ("wa-002", "new", "push", "Jawa Barat"),
    ]


def test_pushing_needs_the_push_scope_and_a_valid_body(
    anonymous: TestClient, token_for: Tokens, client_for: Callable[[str], TestClient]
) -> None:
    body = {"posts": [{"external_id": "x", "text": "teks"}]}
    reader = _auth(token_for("jabar", "read"))
    assert anonymous.post("/api/v1/posts", json=body, headers=reader).status_code == 403
    pusher = _auth(token_for("jabar", "push"))
    bad_bodies: tuple[dict[str, list[dict[str, object]]], ...] = (
        {"posts": []},
        {"posts": [{"external_id": "x"}]},
        {"posts": [{"external_id": "x", "text": "t", "url": "javascript:alert(1)"}]},
        {"posts": [{"external_id": "x", "text": "t", "likes": -1}]},
        {"posts": [{"external_id": "x", "text": "t", "published_at": "2026-11-25T07:00:00"}]},
    )
    for bad in bad_bodies:
        assert anonymous.post("/api/v1/posts", json=bad, headers=pusher).status_code == 422, bad
    session_user = client_for("admin")
    from tests.web.client import csrf_of

    token = csrf_of(session_user.get("/queue").text)
    refused = session_user.post("/api/v1/posts", json=body, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403


def test_a_revoked_token_is_a_401(anonymous: TestClient, db: Database, world: World) -> None:
    with db.transaction() as session:
        user = session.get(UserRow, world.users["analyst"])
        assert user is not None
        row, token = create_token(session, user=user, name="x", scopes=["read"], actor="test")
    assert anonymous.get("/api/v1/cases", headers=_auth(token)).status_code == 200
    with db.transaction() as session:
        revoke_token(session, row.id, actor="test")
    refused = anonymous.get("/api/v1/cases", headers=_auth(token))
    assert refused.status_code == 401
    assert anonymous.get("/api/v1/cases", headers=_auth("pnt_zz")).status_code == 401


def test_posts_scores_and_labels_page_by_id(
    anonymous: TestClient, token_for: Tokens, world: World
) -> None:
    headers = _auth(token_for("reviewer", "read", "write"))
    first = anonymous.get("/api/v1/posts", params={"limit": 3}, headers=headers).json()
    assert len(first["items"]) == 3 and first["next_after_id"] == first["items"][-1]["id"]
    rest = anonymous.get(
        "/api/v1/posts", params={"after_id": first["next_after_id"]}, headers=headers
    ).json()
    assert rest["next_after_id"] is None
    assert len(first["items"]) + len(rest["items"]) == sum(len(p) for p in world.posts.values())
    post_id = world.posts["central"][1]
    post = anonymous.get(f"/api/v1/posts/{post_id}", headers=headers).json()
    assert post["case_id"] == world.cases["central"] and post["normalized"]
    scores = anonymous.get("/api/v1/scores", params={"post_id": post_id}, headers=headers).json()
    assert [s["post_id"] for s in scores["items"]] == [post_id]
    anonymous.post(
        f"/api/v1/cases/{world.cases['low']}/transitions",
        json={"action": "label", "verdict": "not_hoax", "note": "=cmd|' /C calc'!A0"},
        headers=headers,
    )
    labels = anonymous.get("/api/v1/labels", headers=headers).json()["items"]
    assert [(x["case_id"], x["verdict"]) for x in labels] == [(world.cases["low"], "not_hoax")]
    csv_text = anonymous.get("/api/v1/labels.csv", headers=headers)
    assert csv_text.headers["content-type"].startswith("text/csv")
    assert "'=cmd|" in csv_text.text


def test_the_openapi_schema_is_served_to_token_holders(
    anonymous: TestClient, token_for: Tokens
) -> None:
    schema = anonymous.get("/openapi.json", headers=_auth(token_for("analyst", "read"))).json()
    assert "/api/v1/cases/{case_id}/transitions" in schema["paths"]
    assert "/queue" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
