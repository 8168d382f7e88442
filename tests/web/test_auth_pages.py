"""Login, logout, session cookies, throttling and the language choice, through the app."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi import FastAPI

from monitor.web.settings import WebSettings
from tests.web.client import TestClient, csrf_of
from tests.web.world import PASSWORD, World

Clients = Callable[[str], TestClient]


def _login(client: TestClient, email: str, password: str, next_: str = "/queue") -> httpx.Response:
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token, "next": next_},
        follow_redirects=False,
    )


def test_a_good_login_starts_a_secure_session(anonymous: TestClient, world: World) -> None:
    anonymous.get("/login")
    before = anonymous.cookies.get("pantau_session")
    response = _login(anonymous, world.emails["reviewer"], PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert anonymous.cookies.get("pantau_session") != before
    assert anonymous.get("/queue").status_code == 200


def test_cookies_are_not_marked_secure_over_plain_http(app: FastAPI, world: World) -> None:
    with TestClient(app, base_url="http://testserver") as client:
        response = client.get("/login")
        assert "Secure" not in response.headers["set-cookie"]
        assert "HttpOnly" in response.headers["set-cookie"]


def test_a_wrong_password_is_refused_without_saying_which_part(
    anonymous: TestClient, world: World
) -> None:
    wrong = _login(anonymous, world.emails["reviewer"], "salah-sekali-123")
    unknown = _login(anonymous, "nobody@kominfo.test", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert "Email atau kata sandi salah" in wrong.text
    assert anonymous.get("/queue", follow_redirects=False).status_code == 303


def test_repeated_failures_pause_logins_for_that_email(
    app: FastAPI, anonymous: TestClient, world: World
) -> None:
    app.state.web = WebSettings(login_max_failures_per_email=2)
    for _ in range(2):
        _login(anonymous, world.emails["reviewer"], "salah-sekali-123")
    paused = _login(anonymous, world.emails["reviewer"], PASSWORD)
    assert paused.status_code == 429
    assert "Terlalu banyak percobaan" in paused.text
    other = _login(anonymous, world.emails["approver"], PASSWORD)
    assert other.status_code == 303


def test_login_only_redirects_to_local_paths(anonymous: TestClient, world: World) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = _login(anonymous, world.emails["reviewer"], PASSWORD, target)
        assert response.headers["location"] == "/queue", target
    response = _login(anonymous, world.emails["reviewer"], PASSWORD, "/cases/1?posts_page=2")
    assert response.headers["location"] == "/cases/1?posts_page=2"


def test_logout_ends_the_session(client_for: Clients) -> None:
    client = client_for("reviewer")
    token = csrf_of(client.get("/queue").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/login"
    assert client.get("/queue", follow_redirects=False).status_code == 303


def test_a_password_change_ends_other_sessions_but_not_this_one(client_for: Clients) -> None:
    here, elsewhere = client_for("reviewer"), client_for("reviewer")
    token = csrf_of(here.get("/account").text)
    changed = here.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "new": "kata-sandi-baru-456",
            "repeat": "kata-sandi-baru-456",
        },
    )
    assert changed.status_code == 200
    assert here.get("/queue").status_code == 200
    assert elsewhere.get("/queue", follow_redirects=False).status_code == 303


def test_the_interface_is_indonesian_by_default_and_english_per_user(
    client_for: Clients, anonymous: TestClient
) -> None:
    assert "Masuk ke Pantau" in anonymous.get("/login").text
    client = client_for("analyst")
    assert "Antrean kasus" in client.get("/queue").text
    token = csrf_of(client.get("/account").text)
    client.post("/account/language", data={"csrf_token": token, "lang": "en"})
    page = client.get("/queue").text
    assert "Case queue" in page and '<html lang="en">' in page
    assert "Antrean kasus" in client_for("reviewer").get("/queue").text


def test_an_anonymous_visitor_can_switch_the_login_page_to_english(anonymous: TestClient) -> None:
    token = csrf_of(anonymous.get("/login").text)
    anonymous.post("/language", data={"csrf_token": token, "lang": "en", "next": "/login"})
    assert "Sign in to Pantau" in anonymous.get("/login").text
