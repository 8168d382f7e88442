"""Calls into the claims package (merge/split, known hoaxes) when it is installed.

The claims package is developed alongside; these wrappers keep the review workflow working
without it and say so (``available``) instead of failing.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy.orm import Session

from monitor.review.errors import InvalidInput

log = logging.getLogger(__name__)


def _function(module: str, name: str) -> Callable[..., Any] | None:
    try:
        function = getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None
    return cast(Callable[..., Any], function) if callable(function) else None


def merge_available() -> bool:
    """True when the claims package provides merge and split."""
    return _function("monitor.claims.merge", "merge_cases") is not None


def merge_cases(session: Session, keep_id: int, other_ids: Sequence[int], actor: str) -> None:
    """Merge ``other_ids`` into ``keep_id`` (claims package).

    Raises InvalidInput when the claims package refuses (unknown or already merged
    case) or is not installed.
    """
    function = _function("monitor.claims.merge", "merge_cases")
    if function is None:
        raise InvalidInput("merging cases needs the claims package", field="ids")
    try:
        function(session, keep_id, list(other_ids), actor)
    except (ValueError, LookupError) as exc:
        raise InvalidInput(str(exc), field="ids") from exc


def split_posts(session: Session, case_id: int, post_ids: Sequence[int], actor: str) -> int:
    """Move posts into a new case and return its id (claims package).

    Raises InvalidInput when the claims package refuses or is not installed.
    """
    function = _function("monitor.claims.merge", "split_posts")
    if function is None:
        raise InvalidInput("splitting cases needs the claims package", field="posts")
    try:
        return int(function(session, case_id, list(post_ids), actor))
    except (ValueError, LookupError) as exc:
        raise InvalidInput(str(exc), field="posts") from exc


def merged_into(session: Session, case_id: int) -> int | None:
    """The case a merged case now lives in (claims package), else None."""
    function = _function("monitor.claims.merge", "merged_into")
    if function is None:
        return None
    result = function(session, case_id)
    return int(result) if result is not None else None


def remember_published_clarification(
    session: Session,
    case_id: int,
    *,
    clarification: str,
    url: str | None,
    published_at: datetime,
    office: str | None,
) -> int | None:
    """Add the case to the known-hoax table when the claims package is there; its id or None."""
    function = _function("monitor.claims.known", "add_known_hoax_from_case")
    if function is None:
        log.info("claims package absent: case %s not added to the known hoaxes", case_id)
        return None
    result = function(
        session,
        case_id,
        clarification=clarification,
        url=url,
        published_at=published_at,
        office=office,
    )
    return int(result) if result is not None else None


def known_matches(session: Session, case_id: int) -> list[Any]:
    """Known hoaxes the case matches (claims package), else an empty list."""
    function = _function("monitor.claims.known", "matches_for_case")
    if function is None:
        return []
    return list(function(session, case_id))
