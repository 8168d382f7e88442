"""Which trained model is active: an append-only history of activations (newest wins)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from monitor.store.audit import record
from monitor.store.base import Base, BigId, UTCDateTime, utcnow


class ModelActivationRow(Base):
    """One promotion (or rollback) of a model version."""

    __tablename__ = "model_activations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    version: Mapped[str] = mapped_column(String(100))
    activated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_by: Mapped[str] = mapped_column(String(320))
    note: Mapped[str | None] = mapped_column(Text)


def active_model_version(session: Session) -> str | None:
    """The version of the newest activation, or None when no model was ever activated."""
    return session.scalar(
        select(ModelActivationRow.version).order_by(ModelActivationRow.id.desc()).limit(1)
    )


def previous_model_version(session: Session) -> str | None:
    """The version active before the current one (skipping re-activations of the same)."""
    versions = session.scalars(
        select(ModelActivationRow.version).order_by(ModelActivationRow.id.desc())
    )
    current: str | None = None
    for version in versions:
        if current is None:
            current = version
        elif version != current:
            return version
    return None


def activate_model(session: Session, version: str, actor: str, note: str | None = None) -> None:
    """Make ``version`` the active model and log it; the caller commits."""
    session.add(ModelActivationRow(version=version, activated_by=actor, note=note))
    record(
        session,
        actor=actor,
        action="model.activate",
        entity_type="model",
        entity_id=version,
        details={"note": note} if note else {},
    )
