"""The case workflow: audited transitions, each checked against permissions and status.

States: ``new → in_review → draft → approved → published``, ``dismissed`` from any open
state, and ``reopen`` back to ``in_review`` from published or dismissed.

- assign: any open case; a ``new`` case moves to ``in_review``.
- label (hoax with category / not_hoax / unsure, plus a note): open cases; new → in_review.
- draft (claim, facts, sources, official contact): open cases; inserts the next
  clarification version; the case moves to ``draft`` (an approved case goes back to draft:
  the new text needs approval).
- approve: a ``draft`` case, by someone other than the author of the current version.
- publish (channel, URL, time): an ``approved`` case.
- dismiss, reopen, escalate (regional officers hand a case to the central office).

Every function takes the acting user, runs in the caller's transaction, records an audit
event, and raises :class:`CaseNotFound` (cannot see it), :class:`NotAllowed` (may not do
that), :class:`InvalidTransition` (wrong status, or a concurrent change won) or
:class:`InvalidInput`. Status changes are conditional updates (``WHERE status = old``), so
two reviewers acting at once cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from monitor.review import integrations
from monitor.review.deadlines import CLOSED_STATUSES, OPEN_STATUSES
from monitor.review.errors import CaseNotFound, InvalidInput, InvalidTransition, NotAllowed
from monitor.review.permissions import (
    APPROVE,
    ASSIGN,
    DISMISS,
    DRAFT,
    ESCALATE,
    LABEL,
    PUBLISH,
    REOPEN,
    can_act,
    can_be_assigned,
    can_view,
)
from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.cases import CaseRow
from monitor.store.review import HOAX_CATEGORIES, LABEL_VERDICTS, ClarificationRow, LabelRow
from monitor.store.users import UserRow

MAX_NOTE = 5_000
MAX_FIELD = 20_000
CHANNELS = ("website", "press_release", "social_media", "whatsapp", "broadcast", "other")


@dataclass(frozen=True, slots=True)
class DraftInput:
    """The clarification template: the claim, the facts, the sources, the official contact."""

    claim: str
    facts: str
    sources: str = ""
    contact: str = ""


def load_case(session: Session, user: UserRow, case_id: int, *, lock: bool = False) -> CaseRow:
    """The case if ``user`` may see it. Raises CaseNotFound otherwise (also when it exists)."""
    case = session.get(CaseRow, case_id, with_for_update=lock or None)
    if case is None or not can_view(user, case):
        raise CaseNotFound(f"no case {case_id}", case_id=case_id)
    return case


def _require(user: UserRow, case: CaseRow, action: str) -> None:
    if not can_act(user, case, action):
        raise NotAllowed(f"{user.email} may not {action} case {case.id}", action=action)


def _require_status(case: CaseRow, action: str, allowed: tuple[str, ...]) -> None:
    if case.status not in allowed:
        raise InvalidTransition(
            f"cannot {action} a case that is {case.status}", action=action, status=case.status
        )


def _audit(
    session: Session, user: UserRow, action: str, case: CaseRow, details: dict[str, Any]
) -> None:
    record(
        session,
        actor=user.email,
        actor_id=user.id,
        action=f"case.{action}",
        entity_type="case",
        entity_id=case.id,
        details=details,
    )


def _move(session: Session, case: CaseRow, action: str, to_status: str, **values: Any) -> str:
    """Set the case's status (and ``values``) only if nobody changed it meanwhile.

    Returns the previous status. Raises InvalidTransition when a concurrent change won.
    """
    old = case.status
    result = session.execute(
        update(CaseRow)
        .where(CaseRow.id == case.id, CaseRow.status == old)
        .values(status=to_status, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        raise InvalidTransition(
            f"case {case.id} changed meanwhile; reload it", action=action, status=old
        )
    session.refresh(case)
    return old


def _text(value: str | None, field: str, *, required: bool, limit: int = MAX_FIELD) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{field} is required", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", field=field)
    return value


def assign(session: Session, user: UserRow, case_id: int, assignee_id: int | None) -> CaseRow:
    """Give the case to ``assignee_id`` (None: unassign). A new case moves to in_review."""
    case = load_case(session, user, case_id)
    _require(user, case, ASSIGN)
    _require_status(case, ASSIGN, OPEN_STATUSES)
    assignee = None
    if assignee_id is not None:
        assignee = session.get(UserRow, assignee_id)
        if assignee is None or not assignee.active or not can_be_assigned(assignee, case):
            raise InvalidInput("this person cannot be assigned the case", field="assignee")
        if user.role == "regional_officer" and assignee.role != "regional_officer":
            raise InvalidInput("a regional officer assigns within the region", field="assignee")
    previous = case.assignee_id
    old = _move(
        session,
        case,
        ASSIGN,
        "in_review" if case.status == "new" else case.status,
        assignee_id=assignee_id,
    )
    _audit(
        session,
        user,
        ASSIGN,
        case,
        {
            "from_status": old,
            "to_status": case.status,
            "from_assignee_id": previous,
            "assignee_id": assignee_id,
            "assignee": assignee.email if assignee else None,
        },
    )
    return case


def label(
    session: Session,
    user: UserRow,
    case_id: int,
    *,
    verdict: str,
    category: str | None = None,
    note: str = "",
) -> LabelRow:
    """Record a verdict on the case. ``hoax`` needs a category; the others take none."""
    case = load_case(session, user, case_id)
    _require(user, case, LABEL)
    _require_status(case, LABEL, OPEN_STATUSES)
    if verdict not in LABEL_VERDICTS:
        raise InvalidInput(f"unknown verdict {verdict!r}", field="verdict")
    category = (category or "").strip() or None
    if verdict == "hoax" and category not in HOAX_CATEGORIES:
        raise InvalidInput("a hoax label needs a hoax category", field="category")
    if verdict != "hoax":
        category = None
    note = _text(note, "note", required=False, limit=MAX_NOTE)
    row = LabelRow(case_id=case.id, user_id=user.id, verdict=verdict, category=category, note=note)
    session.add(row)
    session.flush()
    old = _move(session, case, LABEL, "in_review" if case.status == "new" else case.status)
    _audit(
        session,
        user,
        LABEL,
        case,
        {
            "label_id": row.id,
            "verdict": verdict,
            "category": category,
            "note": note,
            "from_status": old,
            "to_status": case.status,
        },
    )
    return row


def current_clarification(session: Session, case_id: int) -> ClarificationRow | None:
    """The newest clarification version of a case, or None."""
    return session.scalar(
        select(ClarificationRow)
        .where(ClarificationRow.case_id == case_id)
        .order_by(ClarificationRow.version.desc())
        .limit(1)
    )


def draft(session: Session, user: UserRow, case_id: int, text: DraftInput) -> ClarificationRow:
    """Save the next version of the case's clarification; the case moves to ``draft``."""
    case = load_case(session, user, case_id)
    _require(user, case, DRAFT)
    _require_status(case, DRAFT, OPEN_STATUSES)
    claim = _text(text.claim, "claim", required=True)
    facts = _text(text.facts, "facts", required=True)
    sources = _text(text.sources, "sources", required=False)
    contact = _text(text.contact, "contact", required=False)
    version = (
        session.scalar(
            select(func.max(ClarificationRow.version)).where(ClarificationRow.case_id == case.id)
        )
        or 0
    ) + 1
    row = ClarificationRow(
        case_id=case.id,
        version=version,
        author_id=user.id,
        claim=claim,
        facts=facts,
        sources=sources,
        contact=contact,
    )
    session.add(row)
    session.flush()
    old = _move(session, case, DRAFT, "draft")
    _audit(
        session,
        user,
        DRAFT,
        case,
        {"clarification_id": row.id, "version": version, "from_status": old, "to_status": "draft"},
    )
    return row


def approve(session: Session, user: UserRow, case_id: int) -> ClarificationRow:
    """Approve the current draft. Its author cannot: approval needs a second person."""
    case = load_case(session, user, case_id)
    _require(user, case, APPROVE)
    _require_status(case, APPROVE, ("draft",))
    current = current_clarification(session, case.id)
    if current is None:
        raise InvalidTransition("there is no draft to approve", action=APPROVE, status=case.status)
    if current.author_id == user.id:
        raise NotAllowed("nobody approves their own draft", key="error.own_draft", action=APPROVE)
    now = utcnow()
    current.approved_by_id = user.id
    current.approved_at = now
    old = _move(session, case, APPROVE, "approved")
    _audit(
        session,
        user,
        APPROVE,
        case,
        {
            "clarification_id": current.id,
            "version": current.version,
            "author_id": current.author_id,
            "from_status": old,
            "to_status": "approved",
        },
    )
    return current


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2_000:
        raise InvalidInput("the publication URL must be an http(s) address", field="url")
    return url


def publish(
    session: Session,
    user: UserRow,
    case_id: int,
    *,
    channel: str,
    url: str,
    published_at: datetime | None = None,
    office: str | None = None,
) -> ClarificationRow:
    """Record that the approved clarification was published (where, at which URL, when).

    The case then counts as a known hoax for the claims package, when it is installed.
    """
    case = load_case(session, user, case_id)
    _require(user, case, PUBLISH)
    _require_status(case, PUBLISH, ("approved",))
    if channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", field="channel")
    url = _check_url(url)
    when = published_at or utcnow()
    if when.tzinfo is None:
        raise InvalidInput("the publication time needs a time zone", field="published_at")
    current = current_clarification(session, case.id)
    if current is None or current.approved_by_id is None:
        raise InvalidTransition(
            "only an approved clarification can be published", action=PUBLISH, status=case.status
        )
    current.published_by_id = user.id
    current.published_at = when
    current.channel = channel
    current.url = url
    old = _move(session, case, PUBLISH, "published")
    known_id = integrations.remember_published_clarification(
        session,
        case.id,
        clarification=f"{current.claim}\n\n{current.facts}",
        url=url,
        published_at=when,
        office=office,
    )
    _audit(
        session,
        user,
        PUBLISH,
        case,
        {
            "clarification_id": current.id,
            "version": current.version,
            "channel": channel,
            "url": url,
            "published_at": when.isoformat(),
            "known_hoax_id": known_id,
            "from_status": old,
            "to_status": "published",
        },
    )
    return current


def _noted_start(
    session: Session, user: UserRow, case_id: int, action: str, allowed: tuple[str, ...], note: str
) -> tuple[CaseRow, str]:
    """The case, once ``user`` may ``action`` it in its status, and the cleaned note."""
    case = load_case(session, user, case_id)
    _require(user, case, action)
    _require_status(case, action, allowed)
    return case, _text(note, "note", required=False, limit=MAX_NOTE)


def _noted_move(
    session: Session,
    user: UserRow,
    case_id: int,
    action: str,
    allowed: tuple[str, ...],
    to_status: str,
    note: str,
) -> CaseRow:
    """Move the case from one of ``allowed`` to ``to_status`` and audit it with the note."""
    case, note = _noted_start(session, user, case_id, action, allowed, note)
    old = _move(session, case, action, to_status)
    _audit(session, user, action, case, {"note": note, "from_status": old, "to_status": to_status})
    return case


def dismiss(session: Session, user: UserRow, case_id: int, *, note: str = "") -> CaseRow:
    """Close an open case without a clarification (e.g. not a hoax, out of scope)."""
    return _noted_move(session, user, case_id, DISMISS, OPEN_STATUSES, "dismissed", note)


def reopen(session: Session, user: UserRow, case_id: int, *, note: str = "") -> CaseRow:
    """Bring a published or dismissed case back to ``in_review``."""
    return _noted_move(session, user, case_id, REOPEN, CLOSED_STATUSES, "in_review", note)


def escalate(session: Session, user: UserRow, case_id: int, *, note: str = "") -> CaseRow:
    """A regional officer hands an open case to the central office (once)."""
    case, note = _noted_start(session, user, case_id, ESCALATE, OPEN_STATUSES, note)
    now = utcnow()
    result = session.execute(
        update(CaseRow)
        .where(CaseRow.id == case.id, CaseRow.escalated_at.is_(None))
        .values(escalated_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 1) != 1:
        raise InvalidTransition(
            "the case is already escalated", action=ESCALATE, status=case.status
        )
    session.refresh(case)
    _audit(session, user, ESCALATE, case, {"note": note, "region": case.region})
    return case


def allowed_actions(session: Session, user: UserRow, case: CaseRow) -> set[str]:
    """The actions ``user`` can take on ``case`` right now (permission and status)."""
    status_ok = {
        ASSIGN: case.status in OPEN_STATUSES,
        LABEL: case.status in OPEN_STATUSES,
        DRAFT: case.status in OPEN_STATUSES,
        APPROVE: case.status == "draft",
        PUBLISH: case.status == "approved",
        DISMISS: case.status in OPEN_STATUSES,
        REOPEN: case.status in CLOSED_STATUSES,
        ESCALATE: case.status in OPEN_STATUSES and case.escalated_at is None,
    }
    actions = {a for a, ok in status_ok.items() if ok and can_act(user, case, a)}
    if APPROVE in actions:
        current = current_clarification(session, case.id)
        if current is None or current.author_id == user.id:
            actions.discard(APPROVE)
    return actions
