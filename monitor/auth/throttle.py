"""Login throttling: too many failures for one e-mail or from one address pause logins.

Attempts are stored in ``login_attempts`` so the limit holds across processes and restarts.
A successful login does not erase earlier failures; the window simply moves on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from monitor.store.base import utcnow
from monitor.store.review import LoginAttemptRow


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """How many failures within ``window`` pause further attempts."""

    window: timedelta = timedelta(minutes=15)
    max_per_email: int = 5
    max_per_address: int = 20


def _failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(LoginAttemptRow)
            .where(column == value, LoginAttemptRow.at >= since, LoginAttemptRow.success.is_(False))
        )
        or 0
    )


def is_throttled(
    session: Session,
    policy: ThrottlePolicy,
    *,
    email: str,
    address: str,
    now: datetime | None = None,
) -> bool:
    """True when ``email`` or ``address`` has reached its failure limit within the window."""
    since = (now or utcnow()) - policy.window
    return (
        _failures(session, LoginAttemptRow.email, email, since) >= policy.max_per_email
        or _failures(session, LoginAttemptRow.address, address, since) >= policy.max_per_address
    )


def record_attempt(
    session: Session, *, email: str, address: str, success: bool, at: datetime | None = None
) -> None:
    """Store one attempt in the caller's transaction."""
    session.add(
        LoginAttemptRow(
            email=email[:320], address=address[:100], success=success, at=at or utcnow()
        )
    )
