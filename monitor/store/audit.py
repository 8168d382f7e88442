"""The append-only audit log.

Rows are only ever inserted (:func:`record`); there is no update or delete path in the
code, and on PostgreSQL a trigger created by the migration refuses UPDATE and DELETE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from monitor.store.base import Base, BigId, JsonData, UTCDateTime, utcnow


class AuditEventRow(Base):
    """Who did what, to which entity, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    #: "system", "cli" or a user's e-mail at the time: readable without a join.
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    details: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: object,
    details: dict[str, Any] | None = None,
    actor_id: int | None = None,
) -> AuditEventRow:
    """Append one event to the audit log in the caller's transaction and return it."""
    event = AuditEventRow(
        actor=actor,
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details or {},
    )
    session.add(event)
    return event
