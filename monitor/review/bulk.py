"""Bulk actions on many cases at once: assign, dismiss, reopen.

Each case goes through the same workflow function as a single action, so permissions,
status rules and the audit log apply per case. A case that cannot take the action is
reported, not fatal: the others still change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from monitor.review import workflow
from monitor.review.errors import ReviewError
from monitor.store.users import UserRow

BULK_ACTIONS = ("assign", "dismiss", "reopen")
MAX_BULK = 500


@dataclass(slots=True)
class BulkResult:
    """Which cases changed and why the others did not (message key per case id)."""

    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def bulk_apply(
    session: Session,
    user: UserRow,
    case_ids: Sequence[int],
    action: str,
    *,
    assignee_id: int | None = None,
    note: str = "",
) -> BulkResult:
    """Apply ``action`` to every case in ``case_ids`` the user may change.

    Raises ValueError for an unknown action or more than MAX_BULK cases. Cases the user
    cannot see are refused with ``error.not_found`` like any other id.
    """
    if action not in BULK_ACTIONS:
        raise ValueError(f"unknown bulk action {action!r}")
    if len(case_ids) > MAX_BULK:
        raise ValueError(f"at most {MAX_BULK} cases at once")
    result = BulkResult()
    for case_id in dict.fromkeys(case_ids):
        try:
            if action == "assign":
                workflow.assign(session, user, case_id, assignee_id)
            elif action == "dismiss":
                workflow.dismiss(session, user, case_id, note=note)
            else:
                workflow.reopen(session, user, case_id, note=note)
        except ReviewError as exc:
            # Every check runs before the one conditional UPDATE, so a refused case has
            # written nothing and the transaction stays usable for the others.
            result.refused[case_id] = exc.key
        else:
            result.done.append(case_id)
    return result
