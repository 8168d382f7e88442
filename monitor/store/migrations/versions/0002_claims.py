"""Claims: the claim index (fingerprints, LSH bands), known hoaxes, matches, overrides,
and the per-case activity and reach that keep case numbers incremental.

Revision ID: 0002_claims
Revises: 0001
Create Date: 2026-11-26 13:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import monitor.store.base

revision: str = "0002_claims"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = ("claims",)
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _time(name: str, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, monitor.store.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "known_hoaxes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("claim_hash", sa.String(length=64), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("hoax_category", sa.String(length=30), nullable=True),
        sa.Column("clarification", sa.Text(), nullable=False),
        sa.Column("clarification_url", sa.Text(), nullable=True),
        _time("clarified_at"),
        sa.Column("issuing_office", sa.String(length=300), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("case_id", _ID, nullable=True),
        _time("created_at"),
        _time("updated_at"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_known_hoaxes_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_hoaxes")),
        sa.UniqueConstraint("claim_hash", name=op.f("uq_known_hoaxes_claim_hash")),
    )
    with op.batch_alter_table("known_hoaxes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_known_hoaxes_case_id"), ["case_id"], unique=False)

    op.create_table(
        "claim_fingerprints",
        sa.Column("id", _ID, nullable=False),
        sa.Column("case_id", _ID, nullable=True),
        sa.Column("known_hoax_id", _ID, nullable=True),
        sa.Column("post_id", _ID, nullable=True),
        sa.Column("words", sa.Text(), nullable=False),
        _time("created_at"),
        sa.CheckConstraint(
            "(case_id IS NULL) <> (known_hoax_id IS NULL)",
            name=op.f("ck_claim_fingerprints_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_claim_fingerprints_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["known_hoax_id"],
            ["known_hoaxes.id"],
            name=op.f("fk_claim_fingerprints_known_hoax_id_known_hoaxes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_claim_fingerprints_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_fingerprints")),
    )
    with op.batch_alter_table("claim_fingerprints", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_claim_fingerprints_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_fingerprints_known_hoax_id"), ["known_hoax_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_claim_fingerprints_post_id"), ["post_id"], unique=False
        )

    op.create_table(
        "claim_bands",
        sa.Column("band_key", sa.BigInteger(), nullable=False),
        sa.Column("fingerprint_id", _ID, nullable=False),
        sa.ForeignKeyConstraint(
            ["fingerprint_id"],
            ["claim_fingerprints.id"],
            name=op.f("fk_claim_bands_fingerprint_id_claim_fingerprints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band_key", "fingerprint_id", name=op.f("pk_claim_bands")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("claim_bands", schema=None) as batch_op:
        batch_op.create_index("ix_claim_bands_fingerprint_id", ["fingerprint_id"], unique=False)

    op.create_table(
        "known_hoax_matches",
        sa.Column("id", _ID, nullable=False),
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("known_hoax_id", _ID, nullable=False),
        sa.Column("post_id", _ID, nullable=True),
        sa.Column("similarity", sa.Float(), nullable=False),
        _time("seen_at"),
        _time("detected_at"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_known_hoax_matches_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["known_hoax_id"],
            ["known_hoaxes.id"],
            name=op.f("fk_known_hoax_matches_known_hoax_id_known_hoaxes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["posts.id"],
            name=op.f("fk_known_hoax_matches_post_id_posts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_hoax_matches")),
        sa.UniqueConstraint(
            "case_id", "known_hoax_id", name=op.f("uq_known_hoax_matches_case_id_known_hoax_id")
        ),
    )
    with op.batch_alter_table("known_hoax_matches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_known_hoax_matches_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_known_hoax_matches_known_hoax_id"), ["known_hoax_id"], unique=False
        )

    op.create_table(
        "claim_activity",
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("hour", sa.BigInteger(), nullable=False),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_claim_activity_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "hour", name=op.f("pk_claim_activity")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "claim_reach",
        sa.Column("case_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_claim_reach_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "kind", "value", name=op.f("pk_claim_reach")),
        sqlite_with_rowid=False,
    )

    op.create_table(
        "claim_overrides",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("case_id", sa.BigInteger(), nullable=False),
        sa.Column("other_case_id", sa.BigInteger(), nullable=False),
        sa.Column("post_ids", _JSON, nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        _time("at"),
        sa.Column("details", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_overrides")),
    )
    with op.batch_alter_table("claim_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_overrides_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_overrides_other_case_id"), ["other_case_id"], unique=False
        )


def downgrade() -> None:
    for table in (
        "claim_overrides",
        "claim_reach",
        "claim_activity",
        "known_hoax_matches",
        "claim_bands",
        "claim_fingerprints",
        "known_hoaxes",
    ):
        op.drop_table(table)
