"""`pantau known import|list` against a real store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from monitor.cli import known
from monitor.config import get_settings
from monitor.store.claims import KnownHoaxRow
from monitor.store.db import Database

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "monitor" / "demo" / "known_hoaxes.csv"


@pytest.fixture
def cli(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    """A `pantau`-like app with only the known commands, pointed at the test store."""
    monkeypatch.setenv("PANTAU_DATABASE_URL", db_url)
    get_settings.cache_clear()
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Test root."""

    known.register(app)
    yield app
    get_settings.cache_clear()


def test_importing_the_demo_file_twice_adds_its_hoaxes_once(cli: typer.Typer, db: Database) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["known", "import", str(DEMO)])
    second = runner.invoke(cli, ["known", "import", str(DEMO)])
    assert first.exit_code == 0, first.output
    assert "40 added, 0 updated, 0 unchanged" in first.output
    assert "0 added, 0 updated, 40 unchanged" in second.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(KnownHoaxRow)) == 40
    listed = runner.invoke(cli, ["known", "list", "--limit", "3"])
    assert listed.exit_code == 0, listed.output
    assert "3 of 40 known hoax(es)" in listed.output


def test_a_bad_file_imports_nothing_and_says_which_lines(
    cli: typer.Typer, db: Database, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"claim": "x", "verdict": "hoax", "clarification": "y", "clarified_on": "2024-01-01"}\n'
        '{"claim": "z", "verdict": "hoax"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["known", "import", str(bad)])
    assert result.exit_code == 1
    assert "line 2: missing clarification, clarified_on" in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(KnownHoaxRow)) == 0
