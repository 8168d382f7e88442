"""Signed session cookies (itsdangerous), without any server-side session store.

The cookie holds a small JSON dict signed with the secret key: the CSRF token, the user's
id and a fingerprint of their password hash (so a password reset ends every session),
flash messages and the anonymous visitor's language. It is HttpOnly, SameSite=Lax, Secure
over https, and expires after ``session_hours`` without use.
"""

from __future__ import annotations

import json
import time
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "pantau_session"
_SALT = "pantau.session.v1"
# Re-sign an unchanged session after this long so an active user's login does not expire.
_REFRESH_SECONDS = 300


class SessionMiddleware:
    """Load ``scope["session"]`` from the cookie and write it back when it changed."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        secret_key: str,
        max_age_seconds: int,
        secure: str = "auto",
    ) -> None:
        self.app = app
        self.serializer = URLSafeTimedSerializer(secret_key, salt=_SALT)
        self.max_age = max_age_seconds
        self.secure = secure

    def _load(self, connection: HTTPConnection) -> tuple[dict[str, Any], float]:
        raw = connection.cookies.get(COOKIE_NAME)
        if not raw:
            return {}, 0.0
        try:
            data, signed_at = self.serializer.loads(
                raw, max_age=self.max_age, return_timestamp=True
            )
        except (BadSignature, ValueError, TypeError):
            return {}, 0.0
        if not isinstance(data, dict):
            return {}, 0.0
        return data, signed_at.timestamp()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        data, signed_at = self._load(connection)
        had_cookie = COOKIE_NAME in connection.cookies
        before = json.dumps(data, sort_keys=True)
        scope["session"] = data
        is_https = connection.url.scheme in ("https", "wss")

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                session = scope["session"]
                headers = MutableHeaders(scope=message)
                changed = json.dumps(session, sort_keys=True) != before
                stale = time.time() - signed_at > _REFRESH_SECONDS
                if session and (changed or stale):
                    headers.append(
                        "Set-Cookie", self._cookie(self.serializer.dumps(session), is_https)
                    )
                elif not session and had_cookie:
                    headers.append("Set-Cookie", self._cookie("", is_https, expire=True))
            await send(message)

        await self.app(scope, receive, send_wrapper)

    def _cookie(self, value: str, is_https: bool, *, expire: bool = False) -> str:
        secure = self.secure == "always" or (self.secure == "auto" and is_https)
        parts = [
            f"{COOKIE_NAME}={value}",
            "Path=/",
            f"Max-Age={0 if expire else self.max_age}",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if secure:
            parts.append("Secure")
        return "; ".join(parts)
