"""Administration: the audit log (browse, CSV), users and API tokens. Admins only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from sqlalchemy import ColumnElement, func, select
from starlette.datastructures import QueryParams

from monitor.auth.tokens import TokenError, create_token, list_tokens, revoke_token
from monitor.auth.users import UserError, create_user, reset_password, set_active
from monitor.review import exports
from monitor.review.permissions import ADMIN, AUDIT
from monitor.review.regions import all_regions
from monitor.store.audit import AuditEventRow
from monitor.store.base import utcnow
from monitor.store.review import TOKEN_SCOPES
from monitor.store.users import ROLES, UserRow
from monitor.web.deps import DbSession, database, require
from monitor.web.i18n import LANGUAGES
from monitor.web.templating import flash, render

router = APIRouter(include_in_schema=False)

Auditor = Annotated[UserRow, Depends(require(AUDIT))]
Admin = Annotated[UserRow, Depends(require(ADMIN))]
AUDIT_PAGE = 100
_MAX_ID = 2**63 - 1


def _audit_filters(params: QueryParams, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    action = (params.get("action") or "").strip()[:100]
    actor = (params.get("actor") or "").strip()[:320]
    entity = (params.get("entity_type") or "").strip()[:50]
    entity_id = (params.get("entity_id") or "").strip()[:100]
    if action:
        clauses.append(AuditEventRow.action.startswith(action, autoescape=True))
    if actor:
        clauses.append(AuditEventRow.actor == actor)
    if entity:
        clauses.append(AuditEventRow.entity_type == entity)
    if entity_id:
        clauses.append(AuditEventRow.entity_id == entity_id)
    for name, op in (("since", "ge"), ("until", "lt")):
        try:
            day = date.fromisoformat(params.get(name) or "")
        except ValueError:
            continue
        start = datetime.combine(day, time.min, tzinfo=zone)
        if op == "ge":
            clauses.append(AuditEventRow.at >= start)
        else:
            clauses.append(AuditEventRow.at < start + timedelta(days=1))
    return clauses


@router.get("/admin/audit")
def audit_page(request: Request, session: DbSession, user: Auditor) -> Response:
    """The audit log, newest first, filtered and paged."""
    params = request.query_params
    clauses = _audit_filters(params, request.app.state.web.zone)
    page_text = params.get("page") or "1"
    page = max(1, min(int(page_text), 10**6)) if page_text.isdigit() else 1
    total = int(
        session.scalar(select(func.count()).select_from(AuditEventRow).where(*clauses)) or 0
    )
    events = list(
        session.scalars(
            select(AuditEventRow)
            .where(*clauses)
            .order_by(AuditEventRow.id.desc())
            .offset((page - 1) * AUDIT_PAGE)
            .limit(AUDIT_PAGE)
        )
    )
    query = {k: v for k, v in params.items() if k != "page" and v}
    return render(
        request,
        "audit.html",
        {
            "events": events,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // AUDIT_PAGE)),
            "query": query,
        },
    )


@router.get("/admin/audit.csv")
def audit_csv(request: Request, user: Auditor) -> Response:
    """The (filtered) audit log as CSV."""
    zone = request.app.state.web.zone
    params = request.query_params

    def chunks() -> Iterator[str]:
        with database(request).session() as session:
            yield from exports.audit_csv(session, _audit_filters(params, zone))

    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return StreamingResponse(
        chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="pantau-audit-{stamp}.csv"'},
    )


def _users_context(session: DbSession) -> dict[str, object]:
    return {
        "users": list(session.scalars(select(UserRow).order_by(UserRow.email))),
        "roles": ROLES,
        "languages": LANGUAGES,
        "regions": all_regions(),
    }


@router.get("/admin/users")
def users_page(request: Request, session: DbSession, user: Admin) -> Response:
    """Every account, with forms to add, disable and reset."""
    return _admin_page(request, session, "users.html")


@router.post("/admin/users")
def users_add(
    request: Request,
    session: DbSession,
    user: Admin,
    email: Annotated[str, Form(max_length=320)],
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=30)] = "central_reviewer",
    region: Annotated[str, Form(max_length=200)] = "",
    language: Annotated[str, Form(max_length=5)] = "id",
) -> Response:
    """Create an account; its random password is shown once on the answer page."""
    try:
        created, password = create_user(
            session,
            email=email,
            name=name,
            role=role,
            region=region,
            language=language,
            actor=user.email,
            actor_id=user.id,
        )
    except UserError as exc:
        return _admin_page(request, session, "users.html", error=str(exc))
    return _admin_page(request, session, "users.html", created=(created.email, password))


@router.post("/admin/users/{user_id}/active")
def users_active(
    request: Request,
    session: DbSession,
    user: Admin,
    user_id: Annotated[int, Path(ge=1, le=_MAX_ID)],
    active: Annotated[bool, Form()] = False,
) -> Response:
    """Enable or disable an account (not one's own)."""
    target = session.get(UserRow, user_id)
    if target is None or target.id == user.id:
        flash(request, "users.refused", "error")
        return RedirectResponse("/admin/users", status_code=303)
    set_active(session, target.email, active, actor=user.email, actor_id=user.id)
    flash(request, "users.saved")
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/reset")
def users_reset(
    request: Request,
    session: DbSession,
    user: Admin,
    user_id: Annotated[int, Path(ge=1, le=_MAX_ID)],
) -> Response:
    """Give an account a new random password, shown once."""
    target = session.get(UserRow, user_id)
    if target is None:
        flash(request, "users.refused", "error")
        return RedirectResponse("/admin/users", status_code=303)
    password = reset_password(session, target.email, actor=user.email, actor_id=user.id)
    return _admin_page(request, session, "users.html", created=(target.email, password))


def _tokens_context(session: DbSession) -> dict[str, object]:
    return {
        "tokens": list_tokens(session),
        "users": list(
            session.scalars(select(UserRow).where(UserRow.active.is_(True)).order_by(UserRow.email))
        ),
        "scopes": TOKEN_SCOPES,
    }


_CONTEXTS = {"users.html": _users_context, "tokens.html": _tokens_context}


def _admin_page(
    request: Request, session: DbSession, page: str, *, created: object = None, error: str = ""
) -> Response:
    """The users or tokens page; ``created`` is a secret shown once, ``error`` a refusal (422).

    After a refusal the session is rolled back first, so the lists show what is stored.
    """
    if error:
        session.rollback()
    context = _CONTEXTS[page](session) | {"created": created, "error": error or None}
    return render(request, page, context, status_code=422 if error else 200)


@router.get("/admin/tokens")
def tokens_page(request: Request, session: DbSession, user: Admin) -> Response:
    """API tokens (names, owners, scopes; never the secrets)."""
    return _admin_page(request, session, "tokens.html")


@router.post("/admin/tokens")
def tokens_add(
    request: Request,
    session: DbSession,
    user: Admin,
    name: Annotated[str, Form(max_length=200)],
    owner_id: Annotated[int, Form(ge=1, le=_MAX_ID)],
    scope: Annotated[list[str], Form(max_length=3)] = [],  # noqa: B006  # FastAPI copies it
) -> Response:
    """Create a token; it is shown once on the answer page."""
    owner = session.get(UserRow, owner_id)
    try:
        if owner is None:
            raise TokenError("unknown owner")
        _, token = create_token(
            session, user=owner, name=name, scopes=scope, actor=user.email, actor_id=user.id
        )
    except TokenError as exc:
        return _admin_page(request, session, "tokens.html", error=str(exc))
    return _admin_page(request, session, "tokens.html", created=token)


@router.post("/admin/tokens/{token_id}/revoke")
def tokens_revoke(
    request: Request,
    session: DbSession,
    user: Admin,
    token_id: Annotated[int, Path(ge=1, le=_MAX_ID)],
) -> Response:
    """Revoke a token."""
    try:
        revoke_token(session, token_id, actor=user.email, actor_id=user.id)
    except TokenError:
        flash(request, "tokens.refused", "error")
    else:
        flash(request, "tokens.revoked")
    return RedirectResponse("/admin/tokens", status_code=303)
