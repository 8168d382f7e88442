"""Case page and queue search at scale: case posts ordered by engagement, title trigrams.

* ``case_posts.engagement``: each member post's likes + shares + comments, with the index
  ``(case_id, engagement DESC, post_id)``, so the case page reads one page of a viral
  case's posts from the index instead of joining and sorting all of its posts. The
  database keeps the copy right (triggers on both backends): on insert into
  ``case_posts`` it is read from the post, and a change of a post's counts is copied to
  its membership. Existing rows are filled here.
* PostgreSQL only, when the ``pg_trgm`` extension can be installed: a trigram GIN index
  on ``lower(cases.title)``, which the queue's text search (``lower(title) LIKE '%word%'``)
  uses instead of reading every title. Without the extension the search still works, by
  a full scan, and a warning says so.

On SQLite the triggers belong to ``case_posts`` and ``posts``: a later batch migration
that recreates either table must create them again (tests/store checks they work).

Revision ID: 0004_case_page
Revises: 0003_review
Create Date: 2026-11-27 00:40:00
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_case_page"
down_revision: str | None = "0003_review"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

#: The trigram index of the queue search (PostgreSQL only, not in the table metadata).
TITLE_TRIGRAM_INDEX = "ix_cases_title_trgm"

_POSTGRES_TRIGGERS = (
    """
    CREATE FUNCTION pantau_case_posts_engagement() RETURNS trigger AS $$
    BEGIN
        SELECT p.likes + p.shares + p.comments INTO NEW.engagement
        FROM posts p WHERE p.id = NEW.post_id;
        NEW.engagement := coalesce(NEW.engagement, 0);
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER case_posts_engagement BEFORE INSERT OR UPDATE OF post_id ON case_posts "
    "FOR EACH ROW EXECUTE FUNCTION pantau_case_posts_engagement()",
    """
    CREATE FUNCTION pantau_posts_engagement() RETURNS trigger AS $$
    BEGIN
        UPDATE case_posts SET engagement = NEW.likes + NEW.shares + NEW.comments
        WHERE post_id = NEW.id;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER posts_engagement AFTER UPDATE OF likes, shares, comments ON posts "
    "FOR EACH ROW WHEN (OLD.likes + OLD.shares + OLD.comments "
    "IS DISTINCT FROM NEW.likes + NEW.shares + NEW.comments) "
    "EXECUTE FUNCTION pantau_posts_engagement()",
)
_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER case_posts_engagement AFTER INSERT ON case_posts FOR EACH ROW
    BEGIN
        UPDATE case_posts SET engagement = coalesce(
            (SELECT likes + shares + comments FROM posts WHERE id = NEW.post_id), 0)
        WHERE post_id = NEW.post_id;
    END
    """,
    """
    CREATE TRIGGER case_posts_engagement_moved AFTER UPDATE OF post_id ON case_posts
    FOR EACH ROW
    BEGIN
        UPDATE case_posts SET engagement = coalesce(
            (SELECT likes + shares + comments FROM posts WHERE id = NEW.post_id), 0)
        WHERE post_id = NEW.post_id;
    END
    """,
    """
    CREATE TRIGGER posts_engagement AFTER UPDATE OF likes, shares, comments ON posts
    FOR EACH ROW
    WHEN OLD.likes + OLD.shares + OLD.comments IS NOT NEW.likes + NEW.shares + NEW.comments
    BEGIN
        UPDATE case_posts SET engagement = NEW.likes + NEW.shares + NEW.comments
        WHERE post_id = NEW.id;
    END
    """,
)


def _backfill(dialect: str) -> None:
    """Copy every member post's engagement into ``case_posts``."""
    if dialect == "postgresql":
        # One hash join instead of a lookup per row: this runs once over every membership.
        op.execute(
            "UPDATE case_posts AS c SET engagement = p.likes + p.shares + p.comments "
            "FROM posts AS p WHERE p.id = c.post_id"
        )
    else:
        op.execute(
            "UPDATE case_posts SET engagement = coalesce("
            "(SELECT likes + shares + comments FROM posts WHERE posts.id = case_posts.post_id), 0)"
        )


def _trigram_schema(connection: sa.Connection) -> str | None:
    """The schema holding pg_trgm, installing it when allowed; None when it is unavailable.

    Installed into ``public`` when possible: an extension lives in one schema per database,
    and one created in a schema that is later dropped would take the index with it.
    """
    for statement in (
        "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    ):
        try:
            with connection.begin_nested():
                connection.execute(sa.text(statement))
            break
        except sa.exc.DBAPIError as exc:
            log.info("could not install pg_trgm (%s): %s", statement, exc.orig)
    return connection.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e "
            "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _title_trigram_index(connection: sa.Connection) -> None:
    """Create the queue search's trigram index on PostgreSQL, or warn that it cannot."""
    schema = _trigram_schema(connection)
    if schema is None:
        log.warning(
            "pg_trgm is not available: the queue's text search reads every case title "
            "(install the extension and run `pantau init` again to index it)"
        )
        return
    quoted = connection.dialect.identifier_preparer.quote_schema(schema)
    op.execute(
        f"CREATE INDEX IF NOT EXISTS {TITLE_TRIGRAM_INDEX} ON cases "
        f"USING gin (lower(title) {quoted}.gin_trgm_ops)"
    )


def upgrade() -> None:
    connection = op.get_bind()
    dialect = connection.dialect.name
    # A plain ALTER TABLE on both backends (no batch copy of the table on SQLite).
    op.add_column(
        "case_posts",
        sa.Column("engagement", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )
    for statement in _POSTGRES_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        op.execute(statement)
    _backfill(dialect)
    op.create_index(
        "ix_case_posts_case_id_engagement",
        "case_posts",
        ["case_id", sa.text("engagement DESC"), "post_id"],
        unique=False,
    )
    if dialect == "postgresql":
        _title_trigram_index(connection)
        # Statistics of the new column and of the indexed lower(title) expression now,
        # not whenever autovacuum next looks: without them the planner guesses how many
        # titles a word matches and may read them all through the priority index.
        op.execute("ANALYZE cases")
        op.execute("ANALYZE case_posts")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TITLE_TRIGRAM_INDEX}")
        op.execute("DROP TRIGGER IF EXISTS posts_engagement ON posts")
        op.execute("DROP TRIGGER IF EXISTS case_posts_engagement ON case_posts")
        op.execute("DROP FUNCTION IF EXISTS pantau_posts_engagement()")
        op.execute("DROP FUNCTION IF EXISTS pantau_case_posts_engagement()")
    else:
        for name in ("posts_engagement", "case_posts_engagement_moved", "case_posts_engagement"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_case_posts_case_id_engagement", table_name="case_posts")
    with op.batch_alter_table("case_posts", schema=None) as batch_op:
        batch_op.drop_column("engagement")
