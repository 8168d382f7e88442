"""Configuration: one place, TOML + environment, documented, secrets masked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.config import (
    SETTING_SECTIONS,
    Settings,
    mask_url,
    masked_settings,
    render_settings_docs,
    settings_reference,
)

REPO = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    docs = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    names = list(Settings.model_fields)
    for section, model in SETTING_SECTIONS.items():
        names += [f"{section}.{name}" for name in model.model_fields]
    missing = [n for n in names if f"`{n.rpartition('.')[2]}`" not in docs]
    assert not missing, f"settings missing from docs/configuration.md: {missing}"
    assert render_settings_docs(docs) == docs, (
        "docs/configuration.md is stale: run `pantau config docs --write docs/configuration.md`"
    )


def test_every_setting_has_help_text() -> None:
    assert all(field.description for field in Settings.model_fields.values())


def test_the_reference_table_names_each_environment_variable() -> None:
    table = settings_reference()
    for name in Settings.model_fields:
        assert f"PANTAU_{name.upper()}" in table


def test_it_reads_the_toml_file_and_lets_the_environment_win(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "pantau.toml"
    config.write_text(
        'batch_size = 50\nlog_level = "DEBUG"\n'
        '[[watchlists]]\nname = "banjir"\nquery = "banjir AND jakarta"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PANTAU_CONFIG", str(config))
    monkeypatch.setenv("PANTAU_BATCH_SIZE", "75")
    settings = Settings()
    assert settings.batch_size == 75
    assert settings.log_level == "DEBUG"
    assert [w.name for w in settings.watchlists] == ["banjir"]


def test_the_default_store_lives_in_the_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PANTAU_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("PANTAU_DATA_DIR", str(tmp_path / "state"))
    assert Settings().database_url_plain == f"sqlite:///{tmp_path / 'state' / 'pantau.db'}"

    monkeypatch.setenv("PANTAU_DATABASE_URL", "postgresql+psycopg://pantau@db/pantau")
    assert Settings().database_url_plain == "postgresql+psycopg://pantau@db/pantau"


def test_it_rejects_an_unknown_database_scheme() -> None:
    with pytest.raises(ValidationError, match="database_url"):
        Settings(database_url="mysql://root@localhost/x")


def test_show_masks_passwords_and_secrets() -> None:
    settings = Settings(
        database_url="postgresql+psycopg://pantau:s3cr3t-pw@db.example/pantau",
        secret_key="very-secret-key",
    )
    shown = repr(masked_settings(settings))
    assert "s3cr3t-pw" not in shown
    assert "very-secret-key" not in shown
    assert "postgresql+psycopg://pantau:***@db.example/pantau" in shown


def test_mask_url_leaves_a_url_without_password_alone() -> None:
    assert mask_url("sqlite:///var/pantau.db") == "sqlite:///var/pantau.db"
    assert re.search(r"\*\*\*", mask_url("postgresql://u:p@h/d"))
