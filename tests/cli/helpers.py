"""Run the real `pantau` command in a subprocess against a test store."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def pantau_env(db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    """Environment for a `pantau` subprocess: this test's store, no pantau.toml, no demo."""
    env = dict(os.environ)
    env.update(
        {
            "PANTAU_DATABASE_URL": db_url,
            "PANTAU_CONFIG": os.devnull,
            "PANTAU_MODELS_DIR": str(REPO / "models"),
            "PANTAU_DATA_DIR": str(tmp_path / "var"),
            "PANTAU_SEED_DEMO": "false",
            "PANTAU_PROCESS_INTERVAL_SECONDS": "0.5",
            "PANTAU_WORKER_IDLE_SECONDS": "0.2",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def pantau_command(*args: str) -> list[str]:
    """The argv of `pantau ARGS` run with this interpreter."""
    return [sys.executable, "-m", "monitor", *args]


def run_pantau(
    env: dict[str, str], *args: str, timeout: float = 120, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `pantau ARGS` to completion and return its result."""
    result = subprocess.run(
        pantau_command(*args),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"pantau {' '.join(args)} exited {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result
