"""The secret key: configured, else generated once into the data directory."""

from __future__ import annotations

import stat
from pathlib import Path

from monitor.auth.secret_key import resolve_secret_key
from monitor.config import Settings


def test_a_configured_key_wins(tmp_path: Path) -> None:
    settings = Settings(secret_key="configured-secret", data_dir=tmp_path)
    assert resolve_secret_key(settings) == "configured-secret"
    assert not (tmp_path / "secret_key").exists()


def test_an_empty_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    first = resolve_secret_key(settings)
    assert len(first) >= 48
    assert resolve_secret_key(settings) == first
    path = tmp_path / "var" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]
