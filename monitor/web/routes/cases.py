"""The case page and its actions. Each action is a form POST that redirects back.

Refusals raised by the review services (not allowed, wrong status, bad input) are turned
into a flash message on the case page by the app's error handler; a case the user may not
see is a 404 whatever they try.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response

from monitor.review import integrations, workflow
from monitor.review.case_view import build_case_view
from monitor.review.errors import InvalidInput, NotAllowed
from monitor.review.permissions import MERGE, can_act
from monitor.store.review import HOAX_CATEGORIES, LABEL_VERDICTS
from monitor.store.users import UserRow
from monitor.web.deps import CurrentUser, DbSession
from monitor.web.i18n import Translator
from monitor.web.templating import Formatters, flash, render
from monitor.web.views import priority_rows

router = APIRouter(include_in_schema=False)

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Note = Annotated[str, Form(max_length=5000)]
Text = Annotated[str, Form(max_length=20000)]


def _back(request: Request, case_id: int) -> str:
    target = f"/cases/{case_id}"
    request.state.return_to = target
    return target


def _done(request: Request, case_id: int, key: str) -> Response:
    flash(request, key, "info", case=case_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/cases/{case_id}")
def case_page(
    request: Request, session: DbSession, user: CurrentUser, case_id: CaseId, posts_page: int = 1
) -> Response:
    """Everything about one case, with the actions the user can take now."""
    view = build_case_view(
        session, user, case_id, request.app.state.web, posts_page=max(1, min(posts_page, 10**6))
    )
    lang = request.state.lang
    parts = dict(view.case.priority_parts or {})
    rows = priority_rows(parts, Translator(lang), Formatters(request.app.state.web, lang))
    return render(
        request,
        "case.html",
        {
            "view": view,
            "priority_rows": rows,
            "case": view.case,
            "verdicts": LABEL_VERDICTS,
            "categories": HOAX_CATEGORIES,
            "channels": workflow.CHANNELS,
            "can_merge": integrations.merge_available() and can_act(user, view.case, MERGE),
        },
    )


def _assignee(user: UserRow, value: str) -> int | None:
    if value == "me":
        return user.id
    if value in ("", "none"):
        return None
    if value.isdigit() and 0 < int(value) <= 2**63 - 1:
        return int(value)
    raise InvalidInput("unknown assignee", field="assignee")


@router.post("/cases/{case_id}/assign")
def case_assign(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    assignee: Annotated[str, Form(max_length=30)] = "me",
) -> Response:
    """Assign the case (``me``, ``none`` or a user id)."""
    _back(request, case_id)
    workflow.assign(session, user, case_id, _assignee(user, assignee))
    return _done(request, case_id, "flash.assigned")


@router.post("/cases/{case_id}/label")
def case_label(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    verdict: Annotated[str, Form(max_length=20)],
    category: Annotated[str, Form(max_length=30)] = "",
    note: Note = "",
) -> Response:
    """Label the case."""
    _back(request, case_id)
    workflow.label(session, user, case_id, verdict=verdict, category=category, note=note)
    return _done(request, case_id, "flash.labelled")


@router.post("/cases/{case_id}/draft")
def case_draft(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    claim: Text = "",
    facts: Text = "",
    sources: Text = "",
    contact: Text = "",
) -> Response:
    """Save the next version of the clarification."""
    _back(request, case_id)
    workflow.draft(
        session,
        user,
        case_id,
        workflow.DraftInput(claim=claim, facts=facts, sources=sources, contact=contact),
    )
    return _done(request, case_id, "flash.drafted")


@router.post("/cases/{case_id}/approve")
def case_approve(
    request: Request, session: DbSession, user: CurrentUser, case_id: CaseId
) -> Response:
    """Approve the current draft (not one's own)."""
    _back(request, case_id)
    workflow.approve(session, user, case_id)
    return _done(request, case_id, "flash.approved")


def _local_time(request: Request, value: str) -> datetime | None:
    if not value.strip():
        return None
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise InvalidInput("bad publication time", field="published_at") from exc
    if naive.tzinfo is not None:
        return naive
    return naive.replace(tzinfo=request.app.state.web.zone)


@router.post("/cases/{case_id}/publish")
def case_publish(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    channel: Annotated[str, Form(max_length=30)],
    url: Annotated[str, Form(max_length=2000)],
    published_at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Record where and when the approved clarification was published."""
    _back(request, case_id)
    workflow.publish(
        session,
        user,
        case_id,
        channel=channel,
        url=url,
        published_at=_local_time(request, published_at),
        office=user.region or None,
    )
    return _done(request, case_id, "flash.published")


def _noted_step(step: Callable[..., object], flash_key: str, doc: str) -> Callable[..., Response]:
    """The form handler of a workflow step that takes only an optional note."""

    def handler(
        request: Request, session: DbSession, user: CurrentUser, case_id: CaseId, note: Note = ""
    ) -> Response:
        _back(request, case_id)
        step(session, user, case_id, note=note)
        return _done(request, case_id, flash_key)

    handler.__doc__ = doc
    return handler


for _name, _step, _flash, _doc in (
    ("dismiss", workflow.dismiss, "flash.dismissed", "Close the case without a clarification."),
    ("reopen", workflow.reopen, "flash.reopened", "Bring a closed case back into review."),
    (
        "escalate",
        workflow.escalate,
        "flash.escalated",
        "Hand the case to the central office (regional officers).",
    ),
):
    router.post(f"/cases/{{case_id}}/{_name}", name=f"case_{_name}")(
        _noted_step(_step, _flash, _doc)
    )


def _ids(text: str) -> list[int]:
    ids = []
    for part in text.replace(",", " ").split():
        if not part.isdigit() or not 0 < int(part) <= 2**63 - 1:
            raise InvalidInput("case ids are whole numbers", field="ids")
        ids.append(int(part))
    return ids


@router.post("/cases/{case_id}/merge")
def case_merge(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    other_ids: Annotated[str, Form(max_length=2000)],
) -> Response:
    """Merge other cases into this one (the user must be able to act on all of them)."""
    _back(request, case_id)
    keep = workflow.load_case(session, user, case_id)
    others = [i for i in _ids(other_ids) if i != case_id]
    if not others:
        raise InvalidInput("name the cases to merge", field="ids")
    for case in [keep, *(workflow.load_case(session, user, i) for i in others)]:
        if not can_act(user, case, MERGE):
            raise NotAllowed("may not merge", action=MERGE)
    integrations.merge_cases(session, keep.id, others, user.email)
    return _done(request, case_id, "flash.merged")


@router.post("/cases/{case_id}/split")
def case_split(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    case_id: CaseId,
    post_id: Annotated[list[int], Form(max_length=500)] = [],  # noqa: B006  # FastAPI copies it
) -> Response:
    """Move the selected posts into a new case."""
    _back(request, case_id)
    case = workflow.load_case(session, user, case_id)
    if not can_act(user, case, MERGE):
        raise NotAllowed("may not split", action=MERGE)
    if not post_id:
        raise InvalidInput("select the posts to split off", field="posts")
    new_id = integrations.split_posts(session, case.id, post_id, user.email)
    flash(request, "flash.split", "info", case=new_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
