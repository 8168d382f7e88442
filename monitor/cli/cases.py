"""Commands to look at results until the web UI lands: score, cases, posts, sources."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from monitor.cli.common import console, fail, load_settings, open_database
from monitor.model.registry import ModelNotFound, model_path, newest_model
from monitor.pipeline.score import NoModelError, resolve_model_version
from monitor.store.cases import CASE_STATUSES, CasePostRow, CaseRow
from monitor.store.db import Database
from monitor.store.posts import NormalizedPostRow, PostRow, ScoreRow, WatchlistMatchRow
from monitor.store.sources import SourceRow
from monitor.store.watchlists import WatchlistRow
from monitor.text import normalize

if TYPE_CHECKING:
    from monitor.model.scorer import Scorer

cases_app = typer.Typer(help="The review queue.", no_args_is_help=True)
posts_app = typer.Typer(help="Stored posts.", no_args_is_help=True)
sources_app = typer.Typer(help="Configured sources and their health.", no_args_is_help=True)


def _active_scorer(model: str | None) -> Scorer:
    """The scorer for ``model``, else the store's active model, else the newest installed."""
    from monitor.model.scorer import Scorer  # heavy (scikit-learn, skops): only when scoring

    settings = load_settings()
    version = model
    if version is None:
        db = Database(settings.database_url_plain)
        try:
            if db.current_revision() is not None:
                with db.session() as session:
                    version = resolve_model_version(session, settings.models_dir)
        except (SQLAlchemyError, NoModelError):
            version = None
        finally:
            db.dispose()
    try:
        if version is None:
            newest = newest_model(settings.models_dir)
            if newest is None:
                fail(f"no model under {settings.models_dir}; run `pantau train` first")
            version = newest.version
        return Scorer.load(model_path(settings.models_dir, version))
    except ModelNotFound as exc:
        fail(str(exc))


def score(
    text: Annotated[str, typer.Argument(help="The post text to score.")],
    model: Annotated[str | None, typer.Option(help="Model version (default: active).")] = None,
) -> None:
    """Score one text and print JSON: probability, label, model version, explanation."""
    scorer = _active_scorer(model)
    normalized = normalize(text)
    result = scorer.score_many([text], [normalized])[0]
    output: dict[str, Any] = {
        "probability": round(result.probability, 4),
        "label": result.label,
        "threshold": scorer.threshold,
        "model_version": scorer.version,
        "language": normalized.language,
        "normalized": normalized.text,
        "explanation": result.explanation.to_json(),
    }
    typer.echo(json.dumps(output, ensure_ascii=False, indent=2))


@cases_app.command("list")
def list_cases(
    status: Annotated[str | None, typer.Option(help="Only cases in this status.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Cases by priority, highest first."""
    if status is not None and status not in CASE_STATUSES:
        fail(f"unknown status {status!r}; choose from {', '.join(CASE_STATUSES)}")
    settings = load_settings()
    db = open_database(settings)
    with db.session() as session:
        statement = select(CaseRow).order_by(CaseRow.priority.desc(), CaseRow.id).limit(limit)
        if status:
            statement = statement.where(CaseRow.status == status)
        rows = list(session.scalars(statement))
    if as_json:
        for row in rows:
            typer.echo(json.dumps(_case_json(row), ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} case(s)", title_justify="left")
    for column in ("id", "status", "priority", "posts", "reach", "p(hoax)", "region", "claim"):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.id),
            row.status,
            f"{row.priority:.2f}",
            str(row.post_count),
            str(row.engagement),
            f"{row.max_probability:.2f}",
            row.region or "",
            row.title[:90],
        )
    console.print(table)


def _case_json(row: CaseRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "status": row.status,
        "priority": row.priority,
        "post_count": row.post_count,
        "engagement": row.engagement,
        "max_probability": row.max_probability,
        "first_seen_at": row.first_seen_at.isoformat(),
        "last_seen_at": row.last_seen_at.isoformat(),
        "topic": row.topic,
        "region": row.region,
        "title": row.title,
    }


@posts_app.command("show")
def show_post(post_id: Annotated[int, typer.Argument(help="Post id.")]) -> None:
    """A post with its normalized text, scores, watchlists and case, as JSON."""
    settings = load_settings()
    db = open_database(settings)
    with db.session() as session:
        post = session.get(PostRow, post_id)
        if post is None:
            fail(f"no post with id {post_id}")
        source = session.get(SourceRow, post.source_id)
        norm = session.get(NormalizedPostRow, post_id)
        scores = session.scalars(select(ScoreRow).where(ScoreRow.post_id == post_id)).all()
        watchlists = session.scalars(
            select(WatchlistRow.name)
            .join(WatchlistMatchRow, WatchlistMatchRow.watchlist_id == WatchlistRow.id)
            .where(WatchlistMatchRow.post_id == post_id)
        ).all()
        case_id = session.scalar(select(CasePostRow.case_id).where(CasePostRow.post_id == post_id))
    output = {
        "id": post.id,
        "source": source.name if source else None,
        "external_id": post.external_id,
        "url": post.url,
        "author": post.author,
        "published_at": post.published_at.isoformat() if post.published_at else None,
        "fetched_at": post.fetched_at.isoformat(),
        "engagement": {
            "likes": post.likes,
            "shares": post.shares,
            "comments": post.comments,
            "views": post.views,
        },
        "text": post.text,
        "text_truncated": post.text_truncated,
        "stage": post.stage,
        "language": post.language,
        "normalized": norm.text if norm else None,
        "features": norm.features if norm else None,
        "watchlists": list(watchlists),
        "case_id": case_id,
        "scores": [
            {
                "model_version": s.model_version,
                "probability": s.probability,
                "label": s.label,
                "explanation": s.explanation,
                "scored_at": s.scored_at.isoformat(),
            }
            for s in scores
        ],
    }
    typer.echo(json.dumps(output, ensure_ascii=False, indent=2))


@sources_app.command("list")
def list_sources() -> None:
    """Sources with their schedule and health (last success, last error, failures)."""
    settings = load_settings()
    db = open_database(settings)
    with db.session() as session:
        rows = list(session.scalars(select(SourceRow).order_by(SourceRow.id)))
    table = Table(title=f"{len(rows)} source(s)", title_justify="left")
    for column in (
        "id",
        "name",
        "kind",
        "enabled",
        "schedule",
        "last success",
        "failures",
        "last error",
    ):
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(
            str(row.id),
            row.name,
            row.kind,
            "yes" if row.enabled else "no",
            row.cron or (f"every {row.interval_seconds}s" if row.interval_seconds else "manual"),
            row.last_success_at.isoformat(timespec="seconds") if row.last_success_at else "",
            str(row.consecutive_failures),
            (row.last_error or "")[:120],
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the inspection commands to ``app``."""
    app.command()(score)
    app.add_typer(cases_app, name="cases")
    app.add_typer(posts_app, name="posts")
    app.add_typer(sources_app, name="sources")
