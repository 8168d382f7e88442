"""Starlette's TestClient, and helpers to log in through the real login form."""

from __future__ import annotations

import re
import warnings
from typing import Any

import httpx
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    # Starlette asks for the `httpx2` fork; the installed httpx works the same for tests.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

from tests.web.world import PASSWORD

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

__all__ = ["TestClient", "csrf_of", "log_in", "submit"]


def csrf_of(html: str) -> str:
    """The CSRF token in a rendered page."""
    match = _CSRF.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    """Log ``client`` in through GET/POST /login; asserts it worked."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def submit(
    client: TestClient,
    page: str,
    action: str,
    data: dict[str, Any] | None = None,
    *,
    follow_redirects: bool = True,
) -> httpx.Response:
    """Open ``page``, then post ``data`` to ``action`` with that page's CSRF token."""
    token = csrf_of(client.get(page).text)
    return client.post(
        action, data={"csrf_token": token, **(data or {})}, follow_redirects=follow_redirects
    )
