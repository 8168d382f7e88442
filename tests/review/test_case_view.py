"""The case page's posts: most engagement first, ties by post id, paged, counted."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from monitor.review import case_view
from monitor.review.case_view import build_case_view, case_posts
from monitor.store.db import Database
from monitor.store.posts import PostRow
from monitor.store.users import UserRow
from monitor.web.settings import WebSettings
from tests.web.world import World


def test_a_cases_posts_come_most_engaging_first_ties_by_id(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = world.posts["central"]  # engagement 17, 27, 37
    with db.transaction() as session:
        # A post's counts change after it joined: the order follows, a tie goes to the lower id.
        session.execute(update(PostRow).where(PostRow.id == first).values(likes=30))
    monkeypatch.setattr(case_view, "POSTS_PER_PAGE", 2)
    case_id = world.cases["central"]
    with db.session() as session:
        pages = [[post.id for post in case_posts(session, case_id, page)] for page in (1, 2, 3)]
        user = session.get(UserRow, world.users["reviewer"])
        assert user is not None
        view = build_case_view(session, user, case_id, WebSettings(), posts_page=2)
    assert pages == [[first, third], [second], []]
    assert (view.posts_total, view.posts_pages, view.posts_page) == (3, 2, 2)
    assert [v.post.id for v in view.posts] == [second]
