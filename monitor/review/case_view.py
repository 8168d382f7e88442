"""Everything the case page and the case API show about one case."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.review import integrations
from monitor.review.deadlines import band_of, due_at, is_overdue
from monitor.review.highlight import Contribution, highlight, parse_explanation, term_classes
from monitor.review.permissions import ASSIGNABLE_ROLES, can_be_assigned, visible_cases
from monitor.review.workflow import allowed_actions, load_case
from monitor.store.audit import AuditEventRow
from monitor.store.base import utcnow
from monitor.store.cases import CasePostRow, CaseRow
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow, WatchlistMatchRow
from monitor.store.review import ClarificationRow, LabelRow
from monitor.store.sources import SourceRow
from monitor.store.users import UserRow
from monitor.store.watchlists import WatchlistRow
from monitor.web.settings import WebSettings

POSTS_PER_PAGE = 50
HISTORY_LIMIT = 200
RELATED_LIMIT = 10


@dataclass(slots=True)
class PostView:
    """A post as the case page shows it (text is escaped in the highlighted Markup)."""

    post: PostRow
    source_name: str
    normalized: str | None
    score: ScoreRow | None
    contributions: list[Contribution]
    text_html: Markup
    normalized_html: Markup
    watchlists: list[str]

    @property
    def safe_url(self) -> str | None:
        """The post's link if it is http(s), else None (a ``javascript:`` URL is never linked)."""
        url = (self.post.url or "").strip()
        return url if url.lower().startswith(("http://", "https://")) else None


@dataclass(slots=True)
class CaseView:
    """The case page's data."""

    case: CaseRow
    assignee: UserRow | None
    band: str
    due_at: datetime
    overdue: bool
    posts: list[PostView]
    posts_total: int
    posts_page: int
    top: PostView | None
    labels: list[tuple[LabelRow, str]]
    clarifications: list[ClarificationRow]
    people: dict[int, str]
    history: list[AuditEventRow]
    related_posts: list[tuple[PostRow, int | None]]
    related_cases: list[CaseRow]
    known_matches: list[Any]
    actions: set[str]
    assignees: list[UserRow] = field(default_factory=list)
    merged_into: int | None = None

    @property
    def current_label(self) -> LabelRow | None:
        """The newest label, or None."""
        return self.labels[0][0] if self.labels else None

    @property
    def current_clarification(self) -> ClarificationRow | None:
        """The newest clarification version, or None."""
        return self.clarifications[0] if self.clarifications else None

    @property
    def posts_pages(self) -> int:
        """Pages of posts (at least 1)."""
        return max(1, -(-self.posts_total // POSTS_PER_PAGE))


def _latest_scores(session: Session, post_ids: list[int]) -> dict[int, ScoreRow]:
    latest: dict[int, ScoreRow] = {}
    if not post_ids:
        return latest
    for score in session.scalars(
        select(ScoreRow).where(ScoreRow.post_id.in_(post_ids)).order_by(ScoreRow.scored_at)
    ):
        latest[score.post_id] = score
    return latest


def post_views(session: Session, posts: list[PostRow]) -> list[PostView]:
    """Posts with their source, normalized text, latest score, highlights and watchlists."""
    ids = [post.id for post in posts]
    sources = dict(
        session.execute(
            select(SourceRow.id, SourceRow.name).where(
                SourceRow.id.in_({post.source_id for post in posts})
            )
        ).all()
    )
    normalized = dict(
        session.execute(
            select(NormalizedPostRow.post_id, NormalizedPostRow.text).where(
                NormalizedPostRow.post_id.in_(ids)
            )
        ).all()
    )
    scores = _latest_scores(session, ids)
    watchlists: dict[int, list[str]] = {}
    for post_id, name in session.execute(
        select(WatchlistMatchRow.post_id, WatchlistRow.name)
        .join(WatchlistRow, WatchlistRow.id == WatchlistMatchRow.watchlist_id)
        .where(WatchlistMatchRow.post_id.in_(ids))
    ):
        watchlists.setdefault(post_id, []).append(name)
    views = []
    for post in posts:
        score = scores.get(post.id)
        contributions = parse_explanation(score.explanation if score else None)
        norm = normalized.get(post.id)
        views.append(
            PostView(
                post=post,
                source_name=sources.get(post.source_id, "?"),
                normalized=norm,
                score=score,
                contributions=contributions,
                text_html=highlight(post.text, term_classes(contributions, ("raw", "term"))),
                normalized_html=highlight(norm or "", term_classes(contributions, ("term",))),
                watchlists=sorted(watchlists.get(post.id, [])),
            )
        )
    return views


def case_posts(session: Session, case_id: int, page: int) -> list[PostRow]:
    """Page ``page`` (from 1, POSTS_PER_PAGE a page) of the case's posts.

    Most engagement (likes + shares + comments) first, ties by post id. The page's ids
    come from the ``(case_id, engagement DESC, post_id)`` index of ``case_posts`` alone,
    so a viral case with tens of thousands of posts costs one short index walk, not a
    join and sort of all its posts; only the page's posts are read.
    """
    window = (
        select(CasePostRow.post_id, CasePostRow.engagement)
        .where(CasePostRow.case_id == case_id)
        .order_by(CasePostRow.engagement.desc(), CasePostRow.post_id)
        .offset((max(1, page) - 1) * POSTS_PER_PAGE)
        .limit(POSTS_PER_PAGE)
        .subquery()
    )
    return list(
        session.scalars(
            select(PostRow)
            .join(window, window.c.post_id == PostRow.id)
            .order_by(window.c.engagement.desc(), window.c.post_id)
        )
    )


def build_case_view(
    session: Session,
    user: UserRow,
    case_id: int,
    settings: WebSettings,
    *,
    posts_page: int = 1,
    now: datetime | None = None,
) -> CaseView:
    """The case page for ``user``. Raises CaseNotFound when they may not see the case."""
    now = now or utcnow()
    case = load_case(session, user, case_id)
    posts_total = int(
        session.scalar(
            select(func.count()).select_from(CasePostRow).where(CasePostRow.case_id == case.id)
        )
        or 0
    )
    pages = max(1, -(-posts_total // POSTS_PER_PAGE))
    posts_page = min(max(1, posts_page), pages)
    posts = case_posts(session, case.id, posts_page)
    views = post_views(session, posts)
    top = max(
        (v for v in views if v.score is not None),
        key=lambda v: v.score.probability if v.score else 0.0,
        default=None,
    )
    labels = [
        (row, name)
        for row, name in session.execute(
            select(LabelRow, UserRow.name)
            .join(UserRow, UserRow.id == LabelRow.user_id)
            .where(LabelRow.case_id == case.id)
            .order_by(LabelRow.id.desc())
        ).all()
    ]
    clarifications = list(
        session.scalars(
            select(ClarificationRow)
            .where(ClarificationRow.case_id == case.id)
            .order_by(ClarificationRow.version.desc())
        )
    )
    people_ids = {
        i
        for c in clarifications
        for i in (c.author_id, c.approved_by_id, c.published_by_id)
        if i is not None
    }
    people = (
        dict(
            session.execute(
                select(UserRow.id, UserRow.name).where(UserRow.id.in_(people_ids))
            ).all()
        )
        if people_ids
        else {}
    )
    history = list(
        session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.entity_type == "case", AuditEventRow.entity_id == str(case.id))
            .order_by(AuditEventRow.id.desc())
            .limit(HISTORY_LIMIT)
        )
    )
    actions = allowed_actions(session, user, case)
    assignees: list[UserRow] = []
    if "assign" in actions:
        candidates = session.scalars(
            select(UserRow)
            .where(UserRow.active.is_(True), UserRow.role.in_(ASSIGNABLE_ROLES))
            .order_by(UserRow.name)
        )
        assignees = [
            u
            for u in candidates
            if can_be_assigned(u, case)
            and (user.role != "regional_officer" or u.role == "regional_officer")
        ]
    return CaseView(
        case=case,
        assignee=session.get(UserRow, case.assignee_id) if case.assignee_id else None,
        band=band_of(case.priority, settings),
        due_at=due_at(case, settings),
        overdue=is_overdue(case, settings, now),
        posts=views,
        posts_total=posts_total,
        posts_page=posts_page,
        top=top,
        labels=labels,
        clarifications=clarifications,
        people=people,
        history=history,
        related_posts=related_posts(session, case, posts),
        related_cases=related_cases(session, user, case),
        known_matches=integrations.known_matches(session, case.id),
        actions=actions,
        assignees=assignees,
        merged_into=integrations.merged_into(session, case.id) if case.status == "merged" else None,
    )


def related_posts(
    session: Session, case: CaseRow, posts: list[PostRow]
) -> list[tuple[PostRow, int | None]]:
    """Posts with the same text as this case's posts but outside it (with their case id).

    These are copies from other sources or copies that scored below the flag threshold.
    """
    hashes = {post.content_hash for post in posts}
    if not hashes:
        return []
    rows = session.execute(
        select(PostRow, CasePostRow.case_id)
        .outerjoin(CasePostRow, CasePostRow.post_id == PostRow.id)
        .where(PostRow.content_hash.in_(hashes))
        .where((CasePostRow.case_id.is_(None)) | (CasePostRow.case_id != case.id))
        .order_by(PostRow.id.desc())
        .limit(RELATED_LIMIT)
    ).all()
    return [(post, case_id) for post, case_id in rows]


def related_cases(session: Session, user: UserRow, case: CaseRow) -> list[CaseRow]:
    """Other visible cases on the same topic, most urgent first."""
    if not case.topic:
        return []
    return list(
        session.scalars(
            select(CaseRow)
            .where(
                visible_cases(session, user),
                CaseRow.topic == case.topic,
                CaseRow.id != case.id,
            )
            .order_by(CaseRow.priority.desc(), CaseRow.id.desc())
            .limit(5)
        )
    )
