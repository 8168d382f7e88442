"""The user's own account: language and password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from monitor.auth.users import UserError, change_password, session_fingerprint, set_language
from monitor.web.deps import CurrentUser, DbSession
from monitor.web.templating import flash, render

router = APIRouter(include_in_schema=False)


@router.get("/account")
def account_page(request: Request, user: CurrentUser) -> Response:
    """Language and password settings."""
    return render(request, "account.html", {"error": None})


@router.post("/account/language")
def account_language(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    lang: Annotated[str, Form(max_length=5)],
) -> Response:
    """Change the interface language."""
    try:
        set_language(session, user, lang)
    except UserError:
        return render(request, "account.html", {"error": "account.bad_language"}, status_code=422)
    request.state.lang = user.language
    flash(request, "account.saved")
    return RedirectResponse("/account", status_code=303)


@router.post("/account/password")
def account_password(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    current: Annotated[str, Form(max_length=1024)],
    new: Annotated[str, Form(max_length=1024)],
    repeat: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Change the password; other sessions end, this one continues."""
    if new != repeat:
        return render(request, "account.html", {"error": "account.mismatch"}, status_code=422)
    try:
        change_password(session, user, current, new)
    except UserError as exc:
        key = "account.wrong_current" if "current" in str(exc) else "account.weak"
        return render(request, "account.html", {"error": key}, status_code=422)
    request.session["fp"] = session_fingerprint(user)
    flash(request, "account.password_changed")
    return RedirectResponse("/account", status_code=303)
