"""Request and response bodies of the API (they define its OpenAPI schema)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

MAX_ID = 2**63 - 1


def _not_bool(value: Any) -> Any:
    """JSON ``true`` is not a number (``2.0`` is, as JSON Schema says)."""
    if isinstance(value, bool):
        raise ValueError("a number is expected, not true/false")
    return value


#: A count of likes, shares, comments or views.
Count = Annotated[int, Field(ge=0, le=2**31 - 1), BeforeValidator(_not_bool)]


def _text_time(value: Any) -> Any:
    """A time in a body is ISO 8601 text with a zone, never a number of seconds."""
    if not isinstance(value, str | datetime):
        raise ValueError("a time is written as ISO 8601 text, e.g. 2026-11-26T09:00:00+07:00")
    return value


#: An http(s) URL in printable ASCII (percent-encode the rest). Written without ``\s`` so
#: every regex engine (Python, Rust, ECMAScript) reads it the same way.
URL_PATTERN = r"^https?://[!-.0-~]+[!-~]*$"
#: At least one character that is not an ASCII control or space (no ``\S``: engines differ).
SOMETHING = r"[^\x00-\x20\x7f]"
#: An ISO 8601 time with its UTC offset.
Time = Annotated[AwareDatetime, BeforeValidator(_text_time)]
#: Free text that must say something (not only spaces).
Said = Annotated[str, Field(min_length=1, max_length=20000, pattern=SOMETHING)]


class ErrorOut(BaseModel):
    """Why a request was refused: a human-readable ``detail`` and a stable ``code``."""

    detail: str
    code: str


class CaseOut(BaseModel):
    """A case in the queue."""

    id: int
    status: str
    title: str
    priority: float
    band: str
    max_probability: float
    post_count: int
    engagement: int
    author_count: int
    source_count: int
    topic: str | None
    region: str | None
    assignee_id: int | None
    opened_at: datetime
    first_seen_at: datetime
    last_seen_at: datetime
    due_at: datetime
    overdue: bool
    escalated_at: datetime | None
    priority_parts: dict[str, Any]


class CaseList(BaseModel):
    """One page of cases."""

    items: list[CaseOut]
    total: int
    page: int
    per_page: int


class ScoreOut(BaseModel):
    """A model's score of a post, with the model version and its explanation."""

    id: int
    post_id: int
    model_version: str
    probability: float
    label: str
    explanation: dict[str, Any]
    scored_at: datetime


class PostOut(BaseModel):
    """A stored post (the text as fetched: escape it when you display it)."""

    id: int
    source: str
    external_id: str
    url: str | None
    author: str | None
    text: str
    text_truncated: bool
    published_at: datetime | None
    fetched_at: datetime
    likes: int
    shares: int
    comments: int
    views: int
    case_id: int | None
    normalized: str | None = None


class PostList(BaseModel):
    """Posts in id order; pass ``next_after_id`` as ``after_id`` for the next page."""

    items: list[PostOut]
    next_after_id: int | None


class ScoreList(BaseModel):
    """Scores in id order; pass ``next_after_id`` as ``after_id`` for the next page."""

    items: list[ScoreOut]
    next_after_id: int | None


class LabelOut(BaseModel):
    """A reviewer's verdict on a case."""

    id: int
    case_id: int
    verdict: str
    category: str | None
    note: str
    user_id: int
    created_at: datetime


class LabelList(BaseModel):
    """Labels in id order; pass ``next_after_id`` as ``after_id`` for the next page."""

    items: list[LabelOut]
    next_after_id: int | None


class ClarificationOut(BaseModel):
    """One version of a case's clarification."""

    id: int
    version: int
    author_id: int
    claim: str
    facts: str
    sources: str
    contact: str
    created_at: datetime
    approved_by_id: int | None
    approved_at: datetime | None
    published_at: datetime | None
    channel: str | None
    url: str | None


class EventOut(BaseModel):
    """An audit event about the case."""

    id: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


class CaseDetail(BaseModel):
    """A case with its first page of posts, labels, clarification versions and history."""

    case: CaseOut
    posts: list[PostOut]
    posts_total: int
    scores: list[ScoreOut]
    labels: list[LabelOut]
    clarifications: list[ClarificationOut]
    history: list[EventOut]
    actions: list[str]


class _Transition(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignIn(_Transition):
    """Assign the case (``assignee_id`` null: unassign)."""

    action: Literal["assign"]
    assignee_id: Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_not_bool)] | None = None


class HoaxLabelIn(_Transition):
    """Label the case a hoax, of one category."""

    action: Literal["label"]
    verdict: Literal["hoax"]
    category: Literal[
        "fabricated",
        "manipulated",
        "imposter",
        "false_context",
        "misleading",
        "false_connection",
        "satire",
    ]
    note: Annotated[str, Field(max_length=5000)] = ""


class OtherLabelIn(_Transition):
    """Label the case not a hoax, or unsure (no category)."""

    action: Literal["label"]
    verdict: Literal["not_hoax", "unsure"]
    note: Annotated[str, Field(max_length=5000)] = ""


class DraftIn(_Transition):
    """Save the next version of the clarification."""

    action: Literal["draft"]
    claim: Said
    facts: Said
    sources: Annotated[str, Field(max_length=20000)] = ""
    contact: Annotated[str, Field(max_length=20000)] = ""


class ApproveIn(_Transition):
    """Approve the current draft (not your own)."""

    action: Literal["approve"]


class PublishIn(_Transition):
    """Record the publication of the approved clarification."""

    action: Literal["publish"]
    channel: Literal["website", "press_release", "social_media", "whatsapp", "broadcast", "other"]
    url: Annotated[str, Field(min_length=8, max_length=2000, pattern=URL_PATTERN)]
    published_at: Time | None = None


class NoteIn(_Transition):
    """Dismiss, reopen or escalate the case, with an optional note."""

    action: Literal["dismiss", "reopen", "escalate"]
    note: Annotated[str, Field(max_length=5000)] = ""


#: One workflow step. A plain union: ``action`` picks the model, and for ``label`` the
#: verdict picks between the two label models (a hoax label needs its category).
Transition = AssignIn | HoaxLabelIn | OtherLabelIn | DraftIn | ApproveIn | PublishIn | NoteIn


class PushPost(BaseModel):
    """A post pushed by a partner office. ``external_id`` is unique per token's source."""

    model_config = ConfigDict(extra="forbid")

    external_id: Annotated[str, Field(min_length=1, max_length=500, pattern=SOMETHING)]
    text: Annotated[str, Field(min_length=1, max_length=100_000)]
    url: Annotated[str, Field(max_length=2000, pattern=URL_PATTERN)] | None = None
    author: Annotated[str, Field(max_length=500)] | None = None
    published_at: Time | None = None
    likes: Count = 0
    shares: Count = 0
    comments: Count = 0
    views: Count = 0


class PushIn(BaseModel):
    """A batch of posts to store."""

    model_config = ConfigDict(extra="forbid")

    posts: Annotated[list[PushPost], Field(min_length=1, max_length=500)]


class PushOut(BaseModel):
    """What the push stored: new posts, posts already known, posts truncated."""

    received: int
    new: int
    duplicates: int
    truncated: int
