"""The posts aggregate: raw posts, their normalized text, watchlist matches and scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
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

#: Processing stages of a post. A post is inserted as ``new``; the processing step moves it
#: to ``processed`` in the same transaction that stores its normalized text, matches and
#: score, so a crash leaves it ``new`` and it is processed again, never half-done.
STAGE_NEW = "new"
STAGE_PROCESSED = "processed"
#: A post that made its batch fail even when processed alone; kept, logged, never retried.
STAGE_FAILED = "failed"


class PostRow(Base):
    """One public post as fetched, unique per (source, external id)."""

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("source_id", "external_id"),
        Index("ix_posts_stage_id", "stage", "id"),
        Index("ix_posts_content_hash", "content_hash"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    #: True when the text was cut at ``max_post_chars``; the raw payload keeps the length.
    text_truncated: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str | None] = mapped_column(String(10))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    likes: Mapped[int] = mapped_column(Integer, default=0)
    shares: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)
    views: Mapped[int] = mapped_column(Integer, default=0)
    raw: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
    #: sha256 of the whitespace-folded, lowercased text: spots the same text across sources.
    content_hash: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(20), default=STAGE_NEW)

    @property
    def engagement(self) -> int:
        """Likes + shares + comments: the reach signal used by priorities."""
        return self.likes + self.shares + self.comments


class NormalizedPostRow(Base):
    """The normalizer's output for a post (one row per post)."""

    __tablename__ = "normalized_posts"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(10))
    language_confidence: Mapped[float] = mapped_column(Float)
    features: Mapped[dict[str, float]] = mapped_column(JsonData, default=dict)
    normalizer_version: Mapped[str] = mapped_column(String(50))
    #: Hash of the claim-defining tokens; equal keys mean the same text after normalization.
    claim_key: Mapped[str] = mapped_column(String(64), index=True)


class WatchlistMatchRow(Base):
    """A post matched by a watchlist."""

    __tablename__ = "watchlist_matches"

    post_id: Mapped[int] = mapped_column(
        ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
    )
    watchlist_id: Mapped[int] = mapped_column(
        ForeignKey("watchlists.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ScoreRow(Base):
    """A model's verdict on a post; the model version is kept with every score."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("post_id", "model_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(100))
    probability: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(20))
    explanation: Mapped[dict[str, Any]] = mapped_column(JsonData, default=dict)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
