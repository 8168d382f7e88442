"""The sources aggregate: one row per configured connector, with its fetch state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from monitor.store.base import Base, BigId, JsonData, UTCDateTime, utcnow


class SourceRow(Base):
    """A configured source and everything the scheduler knows about its health."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(50))
    settings: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
    interval_seconds: Mapped[int | None] = mapped_column(Integer, default=300)
    cron: Mapped[str | None] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    region: Mapped[str | None] = mapped_column(String(200))
    #: Opaque connector cursor, committed in the same transaction as the posts it covers.
    cursor: Mapped[str | None] = mapped_column(Text)
    last_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    #: Earliest time of the next fetch (interval or back-off); NULL means due now.
    next_fetch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Lease held by the worker currently fetching; expires so a dead worker loses nothing.
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
