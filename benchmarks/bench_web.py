"""Response times of the review queue and case pages over a large store.

Generates (once, then reuses) 1,000,000 posts and 50,000 cases with
:mod:`benchmarks.web_data` into a SQLite file under ``var/bench/`` and into a dedicated
schema of the PostgreSQL ``test`` database, then requests pages through the real app
(in-process ASGI client, logged in through the login form) and prints p50/p95/max per
page kind and backend. Target: p95 under 200 ms for the queue and for case pages.
The indented rows are the tails inside those figures, shown on their own: text
searches, and the 10 largest cases (the viral ones), first and later pages of posts.

Examples::

    .venv/bin/python benchmarks/bench_web.py
    .venv/bin/python benchmarks/bench_web.py --posts 100000 --cases 5000 --backends sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PANTAU_CONFIG", os.devnull)

import httpx  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from benchmarks.web_data import PASSWORD, Sizes, existing_size, generate  # noqa: E402
from monitor.config import Settings  # noqa: E402
from monitor.review.case_view import POSTS_PER_PAGE  # noqa: E402
from monitor.store.cases import CaseRow  # noqa: E402
from monitor.store.db import Database  # noqa: E402
from monitor.web.app import create_app  # noqa: E402

POSTGRES_URL = os.environ.get(
    "PANTAU_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
QUEUE_VARIANTS = (
    "/queue?page=2",
    "/queue?page=20",
    "/queue?sort=newest",
    "/queue?sort=engagement",
    "/queue?band=high",
    "/queue?status=all",
    "/queue?status=published",
    "/queue?region=Jawa+Barat",
    "/queue?overdue=1",
    "/queue?assignee=me",
    "/queue?topic=bansos&score_min=0.8",
    "/queue?q=vaksin+palsu",
)
#: Searches typed into the queue's search box (every word must occur in the claim).
SEARCHES = ("/queue?q=vaksin", "/queue?q=vaksin+palsu", "/queue?q=bansos+cair", "/queue?q=xyz")
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Timing:
    """Response times of one kind of page on one backend."""

    backend: str
    page: str
    millis: list[float]

    def row(self) -> str:
        ordered = sorted(self.millis)
        p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
        verdict = "ok" if p95 < 200 else "SLOW"
        return (
            f"{self.backend:<11} {self.page:<26} {len(ordered):>5} "
            f"{statistics.median(ordered):>8.1f} {p95:>8.1f} {ordered[-1]:>8.1f}  {verdict}"
        )


def sqlite_url(sizes: Sizes) -> str:
    """The benchmark's SQLite file for these sizes."""
    folder = REPO / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / f'web-{sizes.posts}-{sizes.cases}.db'}"


def postgres_url(sizes: Sizes) -> str:
    """A dedicated schema of the PostgreSQL test database for these sizes (created here)."""
    schema = f"bench_web_{sizes.posts}_{sizes.cases}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    admin.dispose()
    url = make_url(POSTGRES_URL)
    query = dict(url.query) | {"options": f"-csearch_path={schema}"}
    return url.set(query=query).render_as_string(hide_password=False)


def prepare(url: str, sizes: Sizes, regenerate: bool) -> Database:
    """The store at ``url`` holding exactly the benchmark data (generated when needed)."""
    db = Database(url)
    if regenerate or existing_size(db) != (sizes.posts, sizes.cases):
        if db.dialect == "sqlite":
            db.dispose()
            path = Path(make_url(url).database or "")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            db = Database(url)
        else:
            with db.engine.begin() as connection:
                schema = connection.execute(text("SELECT current_schema()")).scalar()
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        print(f"generating {sizes.posts:,} posts and {sizes.cases:,} cases ({db.dialect}) ...")
        db.upgrade()
        generate(db, sizes, log=print)
    else:
        db.upgrade()
    return db


async def _login(client: httpx.AsyncClient, email: str) -> None:
    page = await client.get("/login")
    token = _CSRF.search(page.text)
    assert token, "no CSRF token on the login page"
    response = await client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text[:300]


async def _time(client: httpx.AsyncClient, paths: Sequence[str]) -> list[float]:
    millis = []
    for path in paths:
        started = time.perf_counter()
        response = await client.get(path)
        millis.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return millis


def _later_pages(rng: random.Random, cases: Sequence[tuple[int, int]], count: int) -> list[str]:
    """``count`` case pages of ``cases`` (id, posts) showing a random page of posts after the
    first (a reviewer paging through a viral case), the last page among them."""
    paths = []
    for i in range(count):
        case_id, posts = cases[i % len(cases)]
        last = max(1, -(-posts // POSTS_PER_PAGE))
        page = last if i < len(cases) else rng.randint(min(2, last), last)
        paths.append(f"/cases/{case_id}?posts_page={page}")
    return paths


async def measure(db: Database, backend: str, requests: int, seed: int) -> list[Timing]:
    """Time the queue and case pages through the app over ``db``."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(database_url=db.url, data_dir=Path(folder), seed_demo=False)
        app = create_app(settings, db)
        transport = httpx.ASGITransport(app=app)
        base = "https://bench.local"
        async with (
            httpx.AsyncClient(transport=transport, base_url=base) as central,
            httpx.AsyncClient(transport=transport, base_url=base) as regional,
        ):
            await _login(central, "reviewer@bench.test")
            await _login(regional, "humas17@bench.test")  # Jawa Barat
            with db.session() as session:
                largest = session.execute(
                    select(CaseRow.id, CaseRow.post_count)
                    .order_by(CaseRow.post_count.desc())
                    .limit(10)
                ).all()
                top = [case_id for case_id, _posts in largest]
                last = int(session.scalar(select(func.max(CaseRow.id))) or 1)
            cases = [f"/cases/{rng.randint(1, last)}" for _ in range(requests)]
            cases[: len(top)] = [f"/cases/{case_id}" for case_id in top]
            await _time(central, ["/queue", "/queue?page=3", cases[-1], cases[-2]])  # warm up
            timings = [
                Timing(backend, "queue (default)", await _time(central, ["/queue"] * requests)),
                Timing(
                    backend,
                    "queue (filters, pages)",
                    await _time(central, [rng.choice(QUEUE_VARIANTS) for _ in range(requests)]),
                ),
                Timing(
                    backend,
                    "queue (regional officer)",
                    await _time(regional, ["/queue"] * requests),
                ),
                Timing(backend, "case page", await _time(central, cases)),
                # Not extra targets: the slowest parts of the rows above, shown on their own.
                Timing(
                    backend,
                    "  of which: text search",
                    await _time(central, [rng.choice(SEARCHES) for _ in range(requests // 4)]),
                ),
                Timing(
                    backend,
                    "  of which: 10 largest",
                    await _time(central, [f"/cases/{case_id}" for case_id in top] * 2),
                ),
                Timing(
                    backend,
                    "  10 largest, later pages",
                    await _time(central, _later_pages(rng, largest, 20)),
                ),
            ]
    return timings


def main(argv: Sequence[str] | None = None) -> None:
    """Generate (when needed) and measure; print one row per page kind and backend."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=200, help="Requests per page kind.")
    parser.add_argument("--regenerate", action="store_true", help="Rebuild the data set.")
    args = parser.parse_args(argv)
    sizes = Sizes(posts=args.posts, cases=args.cases)
    results: list[Timing] = []
    for backend in args.backends.split(","):
        url = sqlite_url(sizes) if backend == "sqlite" else postgres_url(sizes)
        db = prepare(url, sizes, args.regenerate)
        try:
            results += asyncio.run(measure(db, backend, args.requests, seed=7))
        finally:
            db.dispose()
    print()
    print(f"{sizes.posts:,} posts, {sizes.cases:,} cases; times in ms")
    print(f"{'backend':<11} {'page':<26} {'n':>5} {'p50':>8} {'p95':>8} {'max':>8}")
    for timing in results:
        print(timing.row())


if __name__ == "__main__":
    main()
