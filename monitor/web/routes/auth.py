"""Login and logout (e-mail and password, throttled), and the anonymous language choice."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from monitor.auth.throttle import ThrottlePolicy
from monitor.auth.users import authenticate, session_fingerprint
from monitor.web.deps import DbSession, client_address, optional_user
from monitor.web.i18n import LANGUAGES
from monitor.web.security import rotate_csrf
from monitor.web.settings import WebSettings
from monitor.web.templating import render

router = APIRouter(include_in_schema=False)


def safe_next(target: str | None, default: str = "/queue") -> str:
    """``target`` if it is a local path (no scheme, host or ``//``), else ``default``."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return default
    return target


def _policy(settings: WebSettings) -> ThrottlePolicy:
    return ThrottlePolicy(
        window=timedelta(minutes=settings.login_window_minutes),
        max_per_email=settings.login_max_failures_per_email,
        max_per_address=settings.login_max_failures_per_address,
    )


@router.get("/login")
def login_page(request: Request, session: DbSession, next: str = "/queue") -> Response:
    """The login form; a logged-in user goes straight on."""
    if optional_user(request, session) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", {"next": safe_next(next), "error": None, "email": ""})


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/queue",
) -> Response:
    """Check the credentials; on success start a fresh session (new CSRF token)."""
    optional_user(request, session)
    result = authenticate(
        session,
        email,
        password,
        address=client_address(request),
        policy=_policy(request.app.state.web),
    )
    if result.user is None:
        status = 429 if result.reason == "throttled" else 401
        return render(
            request,
            "login.html",
            {"next": safe_next(next), "error": f"login.{result.reason}", "email": email[:320]},
            status_code=status,
        )
    user = result.user
    language = request.session.get("lang")
    # A new session on login: nothing from before (a planted CSRF token) carries over.
    request.session.clear()
    rotate_csrf(request.session)
    request.session.update({"uid": user.id, "fp": session_fingerprint(user)})
    if language in LANGUAGES and language != user.language:
        request.session["lang"] = language
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


@router.post("/language")
def choose_language(
    request: Request,
    session: DbSession,
    lang: Annotated[str, Form(max_length=5)] = "id",
    next: Annotated[str, Form(max_length=2000)] = "/login",
) -> Response:
    """Set the interface language: the user's setting when logged in, else the session's."""
    user = optional_user(request, session)
    if lang in LANGUAGES:
        if user is not None:
            user.language = lang
        else:
            request.session["lang"] = lang
    return RedirectResponse(safe_next(next, "/login"), status_code=303)
