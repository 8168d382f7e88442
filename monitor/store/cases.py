"""The cases aggregate: the review queue. A case is one claim with the posts that repeat it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from monitor.store.base import Base, BigId, JsonData, UTCDateTime, utcnow

#: Review workflow states. Transitions are enforced by the workflow module, not the table.
CASE_STATUSES = ("new", "in_review", "draft", "approved", "published", "dismissed")
#: Indexes migrations create on PostgreSQL only, outside the table metadata: the trigram
#: index of the queue's text search (an operator class SQLite has no equivalent of).
POSTGRES_ONLY_INDEXES = frozenset({"ix_cases_title_trgm"})


class CaseRow(Base):
    """One claim in the review queue."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_priority", "status", "priority"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: The claim key of the posts that opened it; unique so concurrent workers share one case.
    claim_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="new")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    engagement: Mapped[int] = mapped_column(Integer, default=0)
    author_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)
    max_probability: Mapped[float] = mapped_column(Float, default=0.0)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    #: The parts the priority was computed from, shown on the case page.
    priority_parts: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
    topic: Mapped[str | None] = mapped_column(String(100))
    #: Province or regency the case is routed to; NULL means the central office.
    region: Mapped[str | None] = mapped_column(String(200), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: When a reviewer must have acted, from the priority band; overdue cases stand out.
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when a regional officer hands the case to the central office.
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CasePostRow(Base):
    """Membership of a post in a case; a post belongs to at most one case."""

    __tablename__ = "case_posts"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The post's likes + shares + comments, copied here so a case's posts can be listed
    #: most-engaging first from one index, without reading every member post. Written by
    #: the database itself (triggers of migration 0004 on both backends, on insert into
    #: this table and on a change of the post's counts): writers never set it.
    engagement: Mapped[int] = mapped_column(Integer, server_default=text("0"))


# The case page's order: most engagement first, ties by post id (see case_view.case_posts).
Index(
    "ix_case_posts_case_id_engagement",
    CasePostRow.case_id,
    CasePostRow.engagement.desc(),
    CasePostRow.post_id,
)
