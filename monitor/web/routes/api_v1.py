"""The JSON API, ``/api/v1``: cases (list, detail, transitions), posts, scores, labels.

Callers authenticate with an API token (``Authorization: Bearer pnt_…``) or, from the
browser, with the session cookie plus the ``X-CSRF-Token`` header on writes. Everything a
regional officer cannot see is a 404 here too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, BeforeValidator
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from monitor.review import exports, workflow
from monitor.review.case_view import build_case_view
from monitor.review.deadlines import BANDS, band_of, due_at, is_overdue
from monitor.review.errors import CaseNotFound, InvalidInput
from monitor.review.intake import push_posts
from monitor.review.permissions import is_regional, visible_cases
from monitor.review.queue import ALL_STATUSES, SORTS, STATUS_GROUPS, QueueFilters, query_queue
from monitor.sources.base import FetchedPost
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow
from monitor.store.review import ClarificationRow, LabelRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.web.api_models import (
    MAX_ID,
    AssignIn,
    CaseDetail,
    CaseList,
    CaseOut,
    ClarificationOut,
    DraftIn,
    ErrorOut,
    EventOut,
    HoaxLabelIn,
    LabelList,
    LabelOut,
    NoteIn,
    OtherLabelIn,
    PostList,
    PostOut,
    PublishIn,
    PushIn,
    PushOut,
    ScoreList,
    ScoreOut,
    Transition,
)
from monitor.web.deps import DbSession, Forbidden, Pusher, Reader, Writer, database
from monitor.web.settings import WebSettings

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body is not valid JSON."},
    401: {"model": ErrorOut, "description": "No valid token or session."},
    403: {"model": ErrorOut, "description": "The token's scope or the role does not allow it."},
    422: {"model": ErrorOut, "description": "A parameter or field is missing or invalid."},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such item, or not visible to the caller."}
}

router = APIRouter(prefix="/api/v1", tags=["api"], responses=_ERRORS)

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
AfterId = Annotated[int, Query(ge=0, le=MAX_ID, description="Return items with a larger id.")]
Limit = Annotated[int, Query(ge=1, le=500)]
StatusFilter = Annotated[
    str,
    Query(
        pattern="^(" + "|".join([*STATUS_GROUPS, *ALL_STATUSES]) + ")$",
        description="A status, or open / closed / all.",
    ),
]


def _iso_day(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text is a day here (not a number of seconds since 1970)."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_M = TypeVar("_M", bound=BaseModel)
DateParam = Annotated[
    date | None, BeforeValidator(_iso_day), Query(description="A day, YYYY-MM-DD (UTC).")
]


def _from_attributes(model: type[_M], row: object, /, **values: Any) -> _M:
    """``model`` with each field read from ``row``'s attribute of the same name.

    ``values`` supply (or override) fields ``row`` does not hold as they are shown.
    """
    read = {name: getattr(row, name) for name in model.model_fields if name not in values}
    return model(**read, **values)


def case_out(case: CaseRow, settings: WebSettings) -> CaseOut:
    """The API form of a case."""
    return _from_attributes(
        CaseOut,
        case,
        band=band_of(case.priority, settings),
        due_at=due_at(case, settings),
        overdue=is_overdue(case, settings, utcnow()),
        priority_parts=dict(case.priority_parts or {}),
    )


def post_out(
    post: PostRow, source: str, case_id: int | None, normalized: str | None = None
) -> PostOut:
    """The API form of a post."""
    return _from_attributes(PostOut, post, source=source, case_id=case_id, normalized=normalized)


def score_out(score: ScoreRow) -> ScoreOut:
    """The API form of a score."""
    return _from_attributes(ScoreOut, score, explanation=dict(score.explanation or {}))


def label_out(row: LabelRow) -> LabelOut:
    """The API form of a label."""
    return _from_attributes(LabelOut, row)


@router.get("/cases", response_model=CaseList, summary="List cases (the review queue)")
def list_cases(
    request: Request,
    session: DbSession,
    principal: Reader,
    status: StatusFilter = "open",
    band: Annotated[str | None, Query(pattern="^(" + "|".join(BANDS) + ")$")] = None,
    topic: Annotated[str | None, Query(max_length=100)] = None,
    watchlist_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    region: Annotated[str | None, Query(max_length=200)] = None,
    source_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    score_min: Annotated[float | None, Query(ge=0, le=1)] = None,
    score_max: Annotated[float | None, Query(ge=0, le=1)] = None,
    assignee: Annotated[str | None, Query(pattern=r"^(me|none|[1-9][0-9]{0,17})$")] = None,
    overdue: bool = False,
    escalated: bool = False,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Annotated[str, Query(pattern="^(" + "|".join(SORTS) + ")$")] = "priority",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 50,
) -> CaseList:
    """Cases the caller may see, filtered, sorted and paged like the queue page."""
    settings: WebSettings = request.app.state.web
    filters = QueueFilters(
        status=status,
        band=band,
        topic=topic,
        watchlist_id=watchlist_id,
        region=region,
        source_id=source_id,
        date_from=date_from,
        date_to=date_to,
        score_min=score_min,
        score_max=score_max,
        assignee=assignee,
        overdue=overdue,
        escalated=escalated,
        q=q,
    )
    result = query_queue(
        session, principal.user, filters, settings, sort=sort, page=page, per_page=per_page
    )
    return CaseList(
        items=[case_out(item.case, settings) for item in result.items],
        total=result.total,
        page=result.page,
        per_page=result.per_page,
    )


@router.get(
    "/cases/{case_id}",
    response_model=CaseDetail,
    responses=_NOT_FOUND,
    summary="One case with posts, scores, labels, clarifications and history",
)
def get_case(request: Request, session: DbSession, principal: Reader, case_id: Id) -> CaseDetail:
    """A case the caller may see (404 otherwise), with its first page of posts."""
    settings: WebSettings = request.app.state.web
    view = build_case_view(session, principal.user, case_id, settings)
    return CaseDetail(
        case=case_out(view.case, settings),
        posts=[post_out(v.post, v.source_name, view.case.id, v.normalized) for v in view.posts],
        posts_total=view.posts_total,
        scores=[score_out(v.score) for v in view.posts if v.score is not None],
        labels=[label_out(row) for row, _ in view.labels],
        clarifications=[_clarification_out(c) for c in view.clarifications],
        history=[_from_attributes(EventOut, e, details=dict(e.details)) for e in view.history],
        actions=sorted(view.actions),
    )


def _clarification_out(row: ClarificationRow) -> ClarificationOut:
    return _from_attributes(ClarificationOut, row)


@router.post(
    "/cases/{case_id}/transitions",
    response_model=CaseOut,
    responses=_NOT_FOUND
    | {409: {"model": ErrorOut, "description": "The case's status does not allow it."}},
    summary="Act on a case: assign, label, draft, approve, publish, dismiss, reopen, escalate",
)
def transition(
    request: Request,
    session: DbSession,
    principal: Writer,
    case_id: Id,
    body: Annotated[Transition, Body()],
) -> CaseOut:
    """Perform one workflow step; the same rules as the case page apply."""
    user = principal.user
    if isinstance(body, AssignIn):
        workflow.assign(session, user, case_id, body.assignee_id)
    elif isinstance(body, HoaxLabelIn | OtherLabelIn):
        category = body.category if isinstance(body, HoaxLabelIn) else None
        workflow.label(
            session, user, case_id, verdict=body.verdict, category=category, note=body.note
        )
    elif isinstance(body, DraftIn):
        workflow.draft(
            session,
            user,
            case_id,
            workflow.DraftInput(
                claim=body.claim, facts=body.facts, sources=body.sources, contact=body.contact
            ),
        )
    elif isinstance(body, PublishIn):
        workflow.publish(
            session,
            user,
            case_id,
            channel=body.channel,
            url=body.url,
            published_at=body.published_at,
            office=user.region,
        )
    elif isinstance(body, NoteIn):
        step = {
            "dismiss": workflow.dismiss,
            "reopen": workflow.reopen,
            "escalate": workflow.escalate,
        }[body.action]
        step(session, user, case_id, note=body.note)
    else:
        workflow.approve(session, user, case_id)
    case = workflow.load_case(session, user, case_id)
    return case_out(case, request.app.state.web)


def _visible_posts(session: Session, user: UserRow) -> Select[PostRow, str, int]:
    """Posts with their source name and case id, limited to what ``user`` may see."""
    statement = (
        select(PostRow, SourceRow.name, CasePostRow.case_id)
        .join(SourceRow, SourceRow.id == PostRow.source_id)
        .outerjoin(CasePostRow, CasePostRow.post_id == PostRow.id)
    )
    if is_regional(user):
        statement = statement.join(CaseRow, CaseRow.id == CasePostRow.case_id).where(
            visible_cases(session, user)
        )
    return statement


@router.get("/posts", response_model=PostList, summary="List posts")
def list_posts(
    session: DbSession,
    principal: Reader,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    after_id: AfterId = 0,
    limit: Limit = 100,
) -> PostList:
    """Posts in id order (keyset paging), optionally of one case."""
    statement = _visible_posts(session, principal.user).where(PostRow.id > after_id)
    if case_id is not None:
        statement = statement.where(CasePostRow.case_id == case_id)
    rows = session.execute(statement.order_by(PostRow.id).limit(limit)).all()
    items = [post_out(post, source, case) for post, source, case in rows]
    return PostList(items=items, next_after_id=items[-1].id if len(items) == limit else None)


@router.get("/posts/{post_id}", response_model=PostOut, responses=_NOT_FOUND, summary="One post")
def get_post(session: DbSession, principal: Reader, post_id: Id) -> PostOut:
    """A post with its normalized text (404 when the caller may not see it)."""
    row = session.execute(
        _visible_posts(session, principal.user).where(PostRow.id == post_id)
    ).first()
    if row is None:
        raise CaseNotFound(f"no post {post_id}", key="error.not_found")
    post, source, case_id = row
    normalized = session.scalar(
        select(NormalizedPostRow.text).where(NormalizedPostRow.post_id == post.id)
    )
    return post_out(post, source, case_id, normalized)


@router.post(
    "/posts",
    response_model=PushOut,
    status_code=201,
    summary="Push posts (partner offices; a token with the push scope)",
)
def push(request: Request, session: DbSession, principal: Pusher, body: PushIn) -> PushOut:
    """Store posts under the token's source; they are scored by the next processing run.

    Idempotent per ``external_id``: pushing a post again does not store it twice.
    """
    limit = request.app.state.web.api_max_posts_per_request
    if len(body.posts) > limit:
        raise InvalidInput(f"at most {limit} posts per request", field="posts")
    source_id = principal.token.source_id if principal.token else None
    if source_id is None:
        raise Forbidden("push")
    posts = [
        FetchedPost(
            external_id=p.external_id,
            text=p.text,
            url=p.url,
            author=p.author,
            published_at=p.published_at,
            likes=p.likes,
            shares=p.shares,
            comments=p.comments,
            views=p.views,
            raw={"channel": "api_push"},
        )
        for p in body.posts
    ]
    stats = push_posts(
        session,
        source_id=source_id,
        posts=posts,
        max_chars=request.app.state.settings.max_post_chars,
        actor=principal.user.email,
        actor_id=principal.user.id,
    )
    return _from_attributes(PushOut, stats)


@router.get("/scores", response_model=ScoreList, summary="List scores")
def list_scores(
    session: DbSession,
    principal: Reader,
    post_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    after_id: AfterId = 0,
    limit: Limit = 100,
) -> ScoreList:
    """Scores in id order (keyset paging), optionally of one post."""
    statement = select(ScoreRow).where(ScoreRow.id > after_id)
    if post_id is not None:
        statement = statement.where(ScoreRow.post_id == post_id)
    if is_regional(principal.user):
        statement = (
            statement.join(CasePostRow, CasePostRow.post_id == ScoreRow.post_id)
            .join(CaseRow, CaseRow.id == CasePostRow.case_id)
            .where(visible_cases(session, principal.user))
        )
    rows = list(session.scalars(statement.order_by(ScoreRow.id).limit(limit)))
    return ScoreList(
        items=[score_out(s) for s in rows],
        next_after_id=rows[-1].id if len(rows) == limit else None,
    )


@router.get("/labels", response_model=LabelList, summary="List labels")
def list_labels(
    session: DbSession, principal: Reader, after_id: AfterId = 0, limit: Limit = 100
) -> LabelList:
    """Labels on visible cases in id order (keyset paging)."""
    rows = list(
        session.scalars(
            select(LabelRow)
            .join(CaseRow, CaseRow.id == LabelRow.case_id)
            .where(visible_cases(session, principal.user), LabelRow.id > after_id)
            .order_by(LabelRow.id)
            .limit(limit)
        )
    )
    return LabelList(
        items=[label_out(r) for r in rows],
        next_after_id=rows[-1].id if len(rows) == limit else None,
    )


@router.get(
    "/labels.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Labels as CSV."}},
    summary="Export labels as CSV",
)
def export_labels(request: Request, principal: Reader) -> Response:
    """Every label on a visible case, as CSV (formulas defused)."""
    user_id = principal.user.id

    def chunks() -> Iterator[str]:
        with database(request).session() as session:
            user = session.get(UserRow, user_id)
            if user is not None:
                yield from exports.labels_csv(session, user)

    return StreamingResponse(chunks(), media_type="text/csv; charset=utf-8")
