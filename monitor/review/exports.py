"""CSV exports: cases, labels and the audit log, streamed in chunks.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with an apostrophe, so an exported post cannot run
anything in the reviewer's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from monitor.review.permissions import visible_cases
from monitor.store.audit import AuditEventRow
from monitor.store.cases import CaseRow
from monitor.store.review import LabelRow
from monitor.store.users import UserRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CHUNK = 1000

CASE_COLUMNS = (
    "id",
    "status",
    "priority",
    "max_probability",
    "post_count",
    "engagement",
    "author_count",
    "source_count",
    "topic",
    "region",
    "assignee_id",
    "opened_at",
    "first_seen_at",
    "last_seen_at",
    "escalated_at",
    "title",
)
LABEL_COLUMNS = ("id", "case_id", "verdict", "category", "note", "user", "created_at", "claim")
AUDIT_COLUMNS = ("id", "at", "actor", "actor_id", "action", "entity_type", "entity_id", "details")


def safe_cell(value: Any) -> str:
    """A CSV cell for ``value``: ISO times, JSON for dicts, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(v) for v in row])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def cases_csv(
    session: Session, user: UserRow, clauses: Sequence[ColumnElement[bool]] = ()
) -> Iterator[str]:
    """The cases ``user`` may see (and that match ``clauses``), as CSV text chunks."""
    statement = (
        select(CaseRow)
        .where(visible_cases(session, user), *clauses)
        .order_by(CaseRow.id)
        .execution_options(yield_per=_CHUNK)
    )
    rows = (
        [getattr(case, column) for column in CASE_COLUMNS] for case in session.scalars(statement)
    )
    return _csv_lines(CASE_COLUMNS, rows)


def labels_csv(session: Session, user: UserRow) -> Iterator[str]:
    """Every label on a case ``user`` may see, oldest first, as CSV text chunks."""
    statement = (
        select(LabelRow, UserRow.email, CaseRow.title)
        .join(CaseRow, CaseRow.id == LabelRow.case_id)
        .join(UserRow, UserRow.id == LabelRow.user_id)
        .where(visible_cases(session, user))
        .order_by(LabelRow.id)
        .execution_options(yield_per=_CHUNK)
    )
    rows = (
        [
            label.id,
            label.case_id,
            label.verdict,
            label.category,
            label.note,
            email,
            label.created_at,
            title,
        ]
        for label, email, title in session.execute(statement)
    )
    return _csv_lines(LABEL_COLUMNS, rows)


def audit_csv(session: Session, clauses: Sequence[ColumnElement[bool]] = ()) -> Iterator[str]:
    """The audit log (admins only; the caller checks), oldest first, as CSV text chunks."""
    statement = (
        select(AuditEventRow)
        .where(*clauses)
        .order_by(AuditEventRow.id)
        .execution_options(yield_per=_CHUNK)
    )
    rows = (
        [getattr(event, column) for column in AUDIT_COLUMNS] for event in session.scalars(statement)
    )
    return _csv_lines(AUDIT_COLUMNS, rows)
