"""Posts that come in through the app: partner pushes (API tokens) and public reports.

Both paths store posts with :func:`monitor.pipeline.ingest.ingest`, so they are
deduplicated, bounded and scored by the next processing run like any fetched post.
Public reports are rate-limited per client address; the address is kept only as a keyed
hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.pipeline.ingest import IngestStats, ingest
from monitor.sources.base import FetchedPost
from monitor.store.audit import record
from monitor.store.base import utcnow
from monitor.store.posts import PostRow
from monitor.store.review import ReportSubmissionRow
from monitor.store.sources import SourceRow

REPORT_SOURCE_KIND = "report"
MIN_REPORT_CHARS = 10
MAX_REPORT_CHARS = 5_000


class RateLimited(Exception):  # noqa: N818  # a state, not a failure of the code
    """This address sent as many reports as the window allows."""


def address_hash(secret: str, address: str) -> str:
    """A keyed hash of a client address: countable, not reversible without the secret."""
    return hmac.new(secret.encode(), address.encode(), hashlib.sha256).hexdigest()


def report_source(session: Session, name: str) -> SourceRow:
    """The receive-only source public reports are stored under (created on first use)."""
    row = session.scalar(select(SourceRow).where(SourceRow.name == name))
    if row is None:
        row = SourceRow(
            name=name,
            kind=REPORT_SOURCE_KIND,
            settings={},
            # Nothing to fetch: the scheduler must never pick it up.
            enabled=False,
            interval_seconds=None,
            consecutive_failures=0,
        )
        session.add(row)
        session.flush()
    return row


@dataclass(frozen=True, slots=True)
class ReportLimit:
    """At most ``max_reports`` per address within ``window``."""

    window: timedelta
    max_reports: int


def submit_report(
    session: Session,
    *,
    text: str,
    url: str | None,
    region_hint: str | None,
    address_key: str,
    limit: ReportLimit,
    source_name: str,
    max_chars: int,
) -> int:
    """Store a public report as a post and return its id.

    Raises RateLimited when the address has used up its window, ValueError for a text
    shorter than MIN_REPORT_CHARS. The caller has validated the URL.
    """
    text = text.strip()
    if len(text) < MIN_REPORT_CHARS:
        raise ValueError("the report is too short")
    since = utcnow() - limit.window
    recent = session.scalar(
        select(func.count())
        .select_from(ReportSubmissionRow)
        .where(ReportSubmissionRow.address_hash == address_key, ReportSubmissionRow.at >= since)
    )
    if int(recent or 0) >= limit.max_reports:
        raise RateLimited("too many reports from this address")
    source = report_source(session, source_name)
    external_id = f"report-{secrets.token_hex(12)}"
    ingest(
        session,
        source.id,
        [
            FetchedPost(
                external_id=external_id,
                text=text[:MAX_REPORT_CHARS],
                url=url,
                author="public report",
                published_at=utcnow(),
                raw={"channel": "report_form", "region_hint": region_hint},
            )
        ],
        max_chars=max_chars,
    )
    post_id = session.scalar(
        select(PostRow.id).where(PostRow.source_id == source.id, PostRow.external_id == external_id)
    )
    session.add(ReportSubmissionRow(address_hash=address_key, post_id=post_id))
    record(
        session,
        actor="public",
        action="report.submit",
        entity_type="post",
        entity_id=post_id,
        details={"source": source.name},
    )
    return int(post_id or 0)


def push_posts(
    session: Session,
    *,
    source_id: int,
    posts: Sequence[FetchedPost],
    max_chars: int,
    actor: str,
    actor_id: int | None,
) -> IngestStats:
    """Store posts pushed by a partner under their token's source; audited as one event."""
    stats = ingest(session, source_id, posts, max_chars=max_chars)
    record(
        session,
        actor=actor,
        actor_id=actor_id,
        action="posts.push",
        entity_type="source",
        entity_id=source_id,
        details={"received": stats.received, "new": stats.new, "truncated": stats.truncated},
    )
    return stats
