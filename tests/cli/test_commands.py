"""The `pantau` command end to end, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import pantau_env, run_pantau

HOAX = "SEBARKAN!!! vaksin booster mengandung chip pelacak dari pemerintah, jgn mau divaksin"


def _stream(path: Path) -> None:
    rows = [
        {"id": "1", "text": HOAX, "shares": 120},
        {"id": "2", "text": "Fwd: " + HOAX + " 😡😡", "shares": 40},
        {
            "id": "3",
            "text": "vaksin booster MENGANDUNG chip pelacak dari pemerintah, jgn mau "
            "divaksin! sebarkan",
        },
        {"id": "4", "text": "Jadwal vaksin booster di Puskesmas Cibinong dibuka Senin pagi."},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(2, "{this is not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_user_imports_posts_and_sees_one_case_per_claim(db_url: str, tmp_path: Path) -> None:
    env = pantau_env(db_url, tmp_path, PANTAU_FLAG_THRESHOLD="0.0")
    run_pantau(env, "init")
    run_pantau(env, "watchlist", "add", "vaksin", "vaksin OR imunisasi", "--topic", "health")
    stream = tmp_path / "posts.jsonl"
    _stream(stream)

    imported = run_pantau(env, "import", str(stream))
    assert "4 post(s) read, 4 new" in imported.stdout
    assert "line 3" in imported.stdout

    again = run_pantau(env, "import", str(stream))
    assert "0 new" in again.stdout

    cases = [
        json.loads(line) for line in run_pantau(env, "cases", "list", "--json").stdout.splitlines()
    ]
    # The three copies of the hoax are one claim; the vaccination schedule is another.
    assert sorted(c["post_count"] for c in cases) == [1, 3]
    hoax_case = next(c for c in cases if c["post_count"] == 3)
    assert hoax_case["engagement"] == 160
    assert hoax_case["topic"] == "health"

    shown = json.loads(run_pantau(env, "posts", "show", "1").stdout)
    assert shown["text"] == HOAX
    assert shown["watchlists"] == ["vaksin"]
    assert shown["case_id"] == hoax_case["id"]
    assert len(shown["scores"]) == 1
    assert "vaksin" in shown["normalized"]


def test_score_prints_a_probability_a_version_and_reasons(db_url: str, tmp_path: Path) -> None:
    env = pantau_env(db_url, tmp_path)
    output = json.loads(run_pantau(env, "score", HOAX).stdout)
    assert 0.0 <= output["probability"] <= 1.0
    assert output["label"] in {"hoax", "valid"}
    assert output["model_version"]
    assert output["explanation"]["up"] or output["explanation"]["down"]


def test_a_malformed_watchlist_query_is_refused_with_its_position(
    db_url: str, tmp_path: Path
) -> None:
    env = pantau_env(db_url, tmp_path)
    run_pantau(env, "init")
    result = run_pantau(env, "watchlist", "add", "bad", "banjir AND (jakarta", check=False)
    assert result.returncode != 0
    assert "invalid query" in result.stderr
    assert "^" in result.stderr
    listed = run_pantau(env, "watchlist", "list")
    assert "bad" not in listed.stdout


def test_config_show_masks_the_database_password(tmp_path: Path) -> None:
    env = pantau_env("postgresql+psycopg://pantau:hunter2-secret@db.invalid/pantau", tmp_path)
    shown = json.loads(run_pantau(env, "config", "show").stdout)
    assert shown["database_url"] == "postgresql+psycopg://pantau:***@db.invalid/pantau"
    assert "hunter2-secret" not in json.dumps(shown)


def test_commands_on_an_uninitialised_store_say_what_to_do(tmp_path: Path) -> None:
    env = pantau_env(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)
    result = run_pantau(env, "cases", "list", check=False)
    assert result.returncode != 0
    assert "pantau init" in result.stderr
