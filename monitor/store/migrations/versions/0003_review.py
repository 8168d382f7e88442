"""Review web app: labels, clarifications, API tokens, login attempts, public reports.

Also the indexes the review queue, the case page's history and the dashboard need on
tables created by 0001 (cases, audit_log, posts).

Revision ID: 0003_review
Revises: 0001
Create Date: 2026-11-26 13:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import monitor.store.base

revision: str = "0003_review"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("review",)
depends_on: str | Sequence[str] | None = None

#: Indexes on tables of 0001 that the queue, the case page and the dashboard need.
INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_cases_priority_id", "cases", ("priority", "id")),
    ("ix_cases_opened_at", "cases", ("opened_at",)),
    ("ix_cases_last_seen_at_id", "cases", ("last_seen_at", "id")),
    ("ix_cases_post_count_id", "cases", ("post_count", "id")),
    ("ix_cases_engagement_id", "cases", ("engagement", "id")),
    ("ix_cases_max_probability_id", "cases", ("max_probability", "id")),
    ("ix_cases_topic", "cases", ("topic",)),
    ("ix_cases_region_status_priority", "cases", ("region", "status", "priority")),
    ("ix_cases_assignee_status_priority", "cases", ("assignee_id", "status", "priority")),
    ("ix_audit_log_entity", "audit_log", ("entity_type", "entity_id", "id")),
    ("ix_posts_published_at", "posts", ("published_at",)),
)
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _time(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, monitor.store.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", _ID, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        _time("created_at"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_labels_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_labels_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
    )
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.create_index("ix_labels_case_id_id", ["case_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_labels_created_at"), ["created_at"], unique=False)

    op.create_table(
        "clarifications",
        sa.Column("id", _ID, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("author_id", _ID, nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        _time("created_at"),
        sa.Column("approved_by_id", _ID, nullable=True),
        _time("approved_at", nullable=True),
        sa.Column("published_by_id", _ID, nullable=True),
        _time("published_at", nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_clarifications_approved_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_clarifications_author_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_clarifications_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["users.id"],
            name=op.f("fk_clarifications_published_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clarifications")),
        sa.UniqueConstraint("case_id", "version", name=op.f("uq_clarifications_case_id_version")),
    )

    op.create_table(
        "api_tokens",
        sa.Column("id", _ID, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", _ID, nullable=False),
        sa.Column("scopes", _JSON, nullable=False),
        sa.Column("source_id", _ID, nullable=True),
        _time("created_at"),
        _time("last_used_at", nullable=True),
        _time("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_api_tokens_source_id_sources"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_tokens_prefix")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "login_attempts",
        sa.Column("id", _ID, nullable=False),
        _time("at"),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_address_at", ["address", "at"], unique=False)
        batch_op.create_index("ix_login_attempts_email_at", ["email", "at"], unique=False)

    op.create_table(
        "report_submissions",
        sa.Column("id", _ID, nullable=False),
        _time("at"),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("post_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_report_submissions_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_submissions")),
    )
    with op.batch_alter_table("report_submissions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_submissions_address_hash_at", ["address_hash", "at"], unique=False
        )

    # Queue sorting and filters, the case history, the dashboard's posts per day.
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns), unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_table("report_submissions")
    op.drop_table("login_attempts")
    op.drop_table("api_tokens")
    op.drop_table("clarifications")
    op.drop_table("labels")
