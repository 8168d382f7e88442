"""The claims aggregate: the claim index, known hoaxes, their matches, reviewers' overrides.

* ``claim_fingerprints`` — word sets that stand for a claim (a case's wordings) or for a
  known hoax; ``claim_bands`` — their MinHash LSH band keys, the index every worker queries
  with ``band_key IN (...)``. Living in the store, the index is shared by all workers and
  survives restarts; see :mod:`monitor.claims.index`.
* ``known_hoaxes`` — hoaxes already clarified (imported, or added when a case's
  clarification is published); ``known_hoax_matches`` — one row per case found to
  resurface a known hoax (the resurfacing event, with the post that revealed it).
* ``claim_overrides`` — merges and splits done by reviewers, kept as history and so that
  re-indexing follows them.
* ``claim_activity`` and ``claim_reach`` — posts per hour and distinct authors/sources
  per case, so a case's numbers grow per batch without rescanning its posts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from monitor.store.base import Base, BigId, JsonData, UTCDateTime, utcnow

#: Where a known hoax came from.
KNOWN_ORIGINS = ("import", "case")
#: Reviewer overrides of the clustering.
OVERRIDE_KINDS = ("merge", "split")
#: Status of a case merged into another one; it takes no posts and leaves the queue.
MERGED_STATUS = "merged"


class KnownHoaxRow(Base):
    """A hoax that has already been clarified, with the clarification to reuse."""

    __tablename__ = "known_hoaxes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    claim: Mapped[str] = mapped_column(Text)
    #: sha256 of the whitespace-folded, lowercased claim: re-importing a file updates rows.
    claim_hash: Mapped[str] = mapped_column(String(64), unique=True)
    verdict: Mapped[str] = mapped_column(String(20))
    hoax_category: Mapped[str | None] = mapped_column(String(30))
    clarification: Mapped[str] = mapped_column(Text)
    clarification_url: Mapped[str | None] = mapped_column(Text)
    clarified_at: Mapped[datetime] = mapped_column(UTCDateTime)
    issuing_office: Mapped[str | None] = mapped_column(String(300))
    origin: Mapped[str] = mapped_column(String(20))
    #: The case whose published clarification this is (origin ``case``).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ClaimFingerprintRow(Base):
    """One wording of a claim (owned by a case) or of a known hoax, as its claim words."""

    __tablename__ = "claim_fingerprints"
    __table_args__ = (
        CheckConstraint("(case_id IS NULL) <> (known_hoax_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), index=True
    )
    known_hoax_id: Mapped[int | None] = mapped_column(
        ForeignKey("known_hoaxes.id", ondelete="CASCADE"), index=True
    )
    #: The post it was taken from (None for a known hoax's claim text).
    post_id: Mapped[int | None] = mapped_column(
        ForeignKey("posts.id", ondelete="SET NULL"), index=True
    )
    #: Sorted, space-separated claim words (``monitor.claims.words``).
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClaimBandRow(Base):
    """An LSH band key of a fingerprint: equal keys make two word sets candidates."""

    __tablename__ = "claim_bands"
    # Clustered by (band_key, fingerprint_id) on SQLite too: one B-tree fewer per insert.
    __table_args__ = (
        Index("ix_claim_bands_fingerprint_id", "fingerprint_id"),
        {"sqlite_with_rowid": False},
    )

    band_key: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    fingerprint_id: Mapped[int] = mapped_column(
        ForeignKey("claim_fingerprints.id", ondelete="CASCADE"), primary_key=True
    )


class ClaimActivityRow(Base):
    """How many posts a case got in one hour (hours since the Unix epoch, UTC).

    Velocity reads a few of these rows instead of every post of a viral case.
    """

    __tablename__ = "claim_activity"
    __table_args__ = ({"sqlite_with_rowid": False},)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    posts: Mapped[int] = mapped_column(Integer)


class ClaimReachRow(Base):
    """A distinct author (``kind`` "a") or source ("s") of a case: counts grow without a scan."""

    __tablename__ = "claim_reach"
    __table_args__ = ({"sqlite_with_rowid": False},)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(1), primary_key=True)
    value: Mapped[str] = mapped_column(String(500), primary_key=True)


class KnownHoaxMatchRow(Base):
    """A case that resurfaces a known hoax: the resurfacing event and the link to reuse."""

    __tablename__ = "known_hoax_matches"
    __table_args__ = (UniqueConstraint("case_id", "known_hoax_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    known_hoax_id: Mapped[int] = mapped_column(
        ForeignKey("known_hoaxes.id", ondelete="CASCADE"), index=True
    )
    #: The post whose words matched (None once that post is deleted).
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="SET NULL"))
    similarity: Mapped[float] = mapped_column(Float)
    #: When the matching post was published (the resurfacing time) and when we noticed.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClaimOverrideRow(Base):
    """A reviewer's merge or split. Plain ids, no foreign keys: history outlives the cases."""

    __tablename__ = "claim_overrides"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    #: merge: the case kept; split: the case posts were taken from.
    case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    #: merge: the case merged away; split: the new case.
    other_case_id: Mapped[int] = mapped_column(BigInteger, index=True)
    #: split: the posts moved. merge: empty.
    post_ids: Mapped[list[int]] = mapped_column(JsonData, default=list)
    actor: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
