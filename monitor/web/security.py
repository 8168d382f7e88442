"""CSRF tokens and security headers.

Every state-changing request made with the session cookie must carry the session's CSRF
token, in the form field ``csrf_token`` or the ``X-CSRF-Token`` header. API calls that
authenticate with a bearer token send no cookie and need none.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class CsrfError(Exception):
    """A state-changing request came without a valid CSRF token."""


def csrf_token(session: dict[str, Any]) -> str:
    """The session's CSRF token, created on first use."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def rotate_csrf(session: dict[str, Any]) -> None:
    """Forget the CSRF token (on login and logout) so a new one is made."""
    session.pop("csrf", None)


def uses_bearer(request: Request) -> bool:
    """True for an API request authenticated with ``Authorization: Bearer``."""
    header = request.headers.get("authorization", "")
    return request.url.path.startswith("/api/") and header.lower().startswith("bearer ")


async def check_csrf(request: Request) -> None:
    """Raise CsrfError when a state-changing cookie request lacks the session's token.

    An API call that carries no login cookie cannot act through one; it is left to the
    authentication check (401) instead.
    """
    if request.method in SAFE_METHODS or uses_bearer(request):
        return
    if request.url.path.startswith("/api/") and "uid" not in request.session:
        return
    expected = request.session.get("csrf")
    presented = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if presented is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if (
        not isinstance(expected, str)
        or not presented
        or not hmac.compare_digest(expected.encode(), presented.encode())
    ):
        raise CsrfError("missing or invalid CSRF token")


class SecurityHeadersMiddleware:
    """Adds the security headers to every response; dynamic pages are not cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if not static:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_wrapper)
