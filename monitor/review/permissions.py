"""Who may see and do what. Every page, API call and service function asks here.

Roles:

- ``admin``: everything, plus users, API tokens and the audit log.
- ``central_reviewer``: sees every case and works it (assign, label, draft, approve, publish,
  dismiss, reopen, merge/split).
- ``analyst``: sees every case, labels, reads the dashboard and exports; no workflow steps.
- ``regional_officer``: sees only cases routed to their province or regency (a province
  officer covers its regencies and cities) and works them until they escalate a case to the
  centre; an escalated case stays visible to them, read-only.

A case a user may not see does not exist for them: callers answer 404, never 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, bindparam, false, select, true
from sqlalchemy.orm import Session

from monitor.review.cache import cached
from monitor.review.regions import covered_regions, region_covers
from monitor.store.cases import CaseRow
from monitor.store.users import UserRow

ASSIGN = "assign"
LABEL = "label"
DRAFT = "draft"
APPROVE = "approve"
PUBLISH = "publish"
DISMISS = "dismiss"
REOPEN = "reopen"
ESCALATE = "escalate"
MERGE = "merge"
ACTIONS = (ASSIGN, LABEL, DRAFT, APPROVE, PUBLISH, DISMISS, REOPEN, ESCALATE, MERGE)

_WORK = frozenset({ASSIGN, LABEL, DRAFT, APPROVE, PUBLISH, DISMISS, REOPEN, MERGE})
_ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "admin": _WORK,
    "central_reviewer": _WORK,
    "analyst": frozenset({LABEL}),
    "regional_officer": _WORK | {ESCALATE},
}

#: Capabilities that are not about one case.
DASHBOARD = "dashboard"
EXPORT = "export"
AUDIT = "audit"
ADMIN = "admin"
_ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    "admin": frozenset({DASHBOARD, EXPORT, AUDIT, ADMIN}),
    "central_reviewer": frozenset({DASHBOARD, EXPORT}),
    "analyst": frozenset({DASHBOARD, EXPORT}),
    "regional_officer": frozenset({DASHBOARD, EXPORT}),
}
#: Roles whose holders can be assigned cases.
ASSIGNABLE_ROLES = ("admin", "central_reviewer", "regional_officer")


def is_regional(user: UserRow) -> bool:
    """True for a regional officer (whose view is limited to their region)."""
    return user.role == "regional_officer"


def can_view(user: UserRow, case: CaseRow) -> bool:
    """True when ``user`` may see ``case`` at all."""
    if not user.active or user.role not in _ROLE_ACTIONS:
        return False
    if is_regional(user):
        return region_covers(user.region, case.region)
    return True


def can_act(user: UserRow, case: CaseRow, action: str) -> bool:
    """True when ``user`` may perform ``action`` on ``case`` (whatever its status).

    Whether the action fits the case's current status is the workflow's question.
    """
    if not can_view(user, case) or action not in _ROLE_ACTIONS.get(user.role, frozenset()):
        return False
    if is_regional(user):
        # Escalated cases belong to the central office; the officer keeps reading them.
        return case.escalated_at is None
    return action != ESCALATE


def has_capability(user: UserRow, capability: str) -> bool:
    """True when ``user``'s role grants a capability that is not about one case."""
    return user.active and capability in _ROLE_CAPABILITIES.get(user.role, frozenset())


def can_be_assigned(user: UserRow, case: CaseRow) -> bool:
    """True when ``user`` may hold ``case`` as its assignee."""
    return user.role in ASSIGNABLE_ROLES and can_act(user, case, ASSIGN)


def visible_cases(session: Session, user: UserRow) -> ColumnElement[bool]:
    """A WHERE clause on :class:`CaseRow` that keeps exactly the cases ``user`` may see."""
    if not user.active or user.role not in _ROLE_ACTIONS:
        return false()
    if not is_regional(user):
        return true()
    if not user.region:
        return false()
    # The region names are written into the SQL itself: with bound values, PostgreSQL
    # caches a generic plan after a few runs that scans the whole table to count a queue.
    regions: BindParameter[Any] = bindparam(
        None, list(regions_of(session, user.region)), expanding=True
    )
    return CaseRow.region.in_(regions.render_literal_execute())


#: Seconds the list of regions in use is reused; a brand-new region name (one outside the
#: gazetteer) reaches its officers' queues within this delay.
REGIONS_IN_USE_SECONDS = 60.0


def regions_in_use(session: Session) -> tuple[str, ...]:
    """Every region some case is routed to (cached briefly: PostgreSQL scans to answer)."""

    def compute() -> tuple[str, ...]:
        found = session.scalars(
            select(CaseRow.region).where(CaseRow.region.is_not(None)).distinct()
        )
        return tuple(sorted(r for r in found if r))

    return cached(session, "regions_in_use", REGIONS_IN_USE_SECONDS, compute)


def regions_of(session: Session, officer_region: str) -> Sequence[str]:
    """The case region values an officer covers: gazetteer names plus any region in use."""
    return covered_regions(officer_region, regions_in_use(session))
