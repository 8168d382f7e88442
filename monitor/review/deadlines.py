"""Deadlines: each priority band gives a case so many hours from opening to be dealt with.

A case's own ``due_at`` wins when it is set; otherwise the deadline is ``opened_at`` plus
the hours of its band. Only open cases (not published or dismissed) can be overdue.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, false, or_

from monitor.store.cases import CaseRow
from monitor.web.settings import WebSettings

OPEN_STATUSES = ("new", "in_review", "draft", "approved")
CLOSED_STATUSES = ("published", "dismissed")
BANDS = ("high", "medium", "low")


def band_of(priority: float, settings: WebSettings) -> str:
    """``high``, ``medium`` or ``low`` for a priority value."""
    if priority >= settings.priority_high:
        return "high"
    if priority >= settings.priority_medium:
        return "medium"
    return "low"


def band_hours(band: str, settings: WebSettings) -> float:
    """The deadline of a band, in hours."""
    return {
        "high": settings.deadline_hours_high,
        "medium": settings.deadline_hours_medium,
        "low": settings.deadline_hours_low,
    }[band]


def due_at(case: CaseRow, settings: WebSettings) -> datetime:
    """When ``case`` must have been dealt with."""
    if case.due_at is not None:
        return case.due_at
    return case.opened_at + timedelta(hours=band_hours(band_of(case.priority, settings), settings))


def is_overdue(case: CaseRow, settings: WebSettings, now: datetime) -> bool:
    """True for an open case past its deadline."""
    return case.status in OPEN_STATUSES and due_at(case, settings) < now


def band_clause(band: str, settings: WebSettings) -> ColumnElement[bool]:
    """A WHERE clause keeping the cases of one priority band."""
    if band == "high":
        return CaseRow.priority >= settings.priority_high
    if band == "medium":
        return and_(
            CaseRow.priority >= settings.priority_medium, CaseRow.priority < settings.priority_high
        )
    if band == "low":
        return CaseRow.priority < settings.priority_medium
    return false()


def overdue_clause(settings: WebSettings, now: datetime) -> ColumnElement[bool]:
    """A WHERE clause keeping open cases past their deadline.

    Portable SQL: each band's cut-off time is computed here, not with date arithmetic in
    the database.
    """
    by_band = [
        and_(band_clause(band, settings), CaseRow.opened_at < now - timedelta(hours=hours))
        for band, hours in ((b, band_hours(b, settings)) for b in BANDS)
    ]
    return and_(
        CaseRow.status.in_(OPEN_STATUSES),
        or_(
            and_(CaseRow.due_at.is_not(None), CaseRow.due_at < now),
            and_(CaseRow.due_at.is_(None), or_(*by_band)),
        ),
    )
