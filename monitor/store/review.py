"""The review aggregate: labels, clarifications, API tokens, login attempts, public reports.

Labels and clarification versions are only ever inserted (a correction is a new row), so
the tables themselves keep the history; the audit log records every transition as well.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from monitor.store.audit import AuditEventRow
from monitor.store.base import Base, BigId, JsonData, UTCDateTime, utcnow
from monitor.store.cases import CaseRow
from monitor.store.posts import PostRow

#: A reviewer's verdict on a case.
LABEL_VERDICTS = ("hoax", "not_hoax", "unsure")
#: Kinds of hoax (First Draft's taxonomy), required with a ``hoax`` verdict.
HOAX_CATEGORIES = (
    "fabricated",
    "manipulated",
    "imposter",
    "false_context",
    "misleading",
    "false_connection",
    "satire",
)
#: What an API token may do: read cases/posts/scores/labels, change cases, push posts.
TOKEN_SCOPES = ("read", "write", "push")


class LabelRow(Base):
    """One verdict given on a case; the newest row is the case's current label."""

    __tablename__ = "labels"
    __table_args__ = (Index("ix_labels_case_id_id", "case_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    verdict: Mapped[str] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ClarificationRow(Base):
    """One version of a case's clarification; editing a draft inserts the next version.

    Approval and publication are recorded on the version that was approved, so what was
    approved is exactly what was published.
    """

    __tablename__ = "clarifications"
    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    claim: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    sources: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str | None] = mapped_column(String(100))
    url: Mapped[str | None] = mapped_column(Text)


class ApiTokenRow(Base):
    """An API token. Only its sha256 is stored; the token acts with its owner's permissions."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The token's public lookup part (``pnt_<prefix>_…``); never enough to authenticate.
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[str]] = mapped_column(JsonData, default=list)
    #: Where posts pushed with this token are stored (a source of kind ``push``).
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginAttemptRow(Base):
    """One login attempt, kept for throttling and for the admins' eyes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_at", "email", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(100))
    success: Mapped[bool] = mapped_column(Boolean)


class ReportSubmissionRow(Base):
    """A public "report a hoax" submission, for the per-address rate limit.

    The client address is stored only as a keyed hash: enough to count, not to identify.
    """

    __tablename__ = "report_submissions"
    __table_args__ = (Index("ix_report_submissions_address_hash_at", "address_hash", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    address_hash: Mapped[str] = mapped_column(String(64))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))


# Indexes the review queue, case page and dashboard need on tables other aggregates own.
# Declared here (bound to those tables' columns) so the metadata matches migration 0003.
# One index per queue sort order (newest first, ties by id) so a page is a short index walk,
# and covering indexes for the counts of the common filters.
Index("ix_cases_priority_id", CaseRow.priority, CaseRow.id)
Index("ix_cases_opened_at", CaseRow.opened_at)
Index("ix_cases_last_seen_at_id", CaseRow.last_seen_at, CaseRow.id)
Index("ix_cases_post_count_id", CaseRow.post_count, CaseRow.id)
Index("ix_cases_engagement_id", CaseRow.engagement, CaseRow.id)
Index("ix_cases_max_probability_id", CaseRow.max_probability, CaseRow.id)
Index("ix_cases_topic", CaseRow.topic)
Index("ix_cases_region_status_priority", CaseRow.region, CaseRow.status, CaseRow.priority)
Index("ix_cases_assignee_status_priority", CaseRow.assignee_id, CaseRow.status, CaseRow.priority)
Index("ix_audit_log_entity", AuditEventRow.entity_type, AuditEventRow.entity_id, AuditEventRow.id)
Index("ix_posts_published_at", PostRow.published_at)
