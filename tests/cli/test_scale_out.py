"""Crash safety and scale-out, with real `pantau` processes against a real store."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitor.store.db import Database
from monitor.store.posts import STAGE_PROCESSED, PostRow, ScoreRow
from tests.cli.helpers import REPO, pantau_command, pantau_env, run_pantau

pytestmark = pytest.mark.slow


def _write_stream(path: Path, count: int, prefix: str = "p") -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            text = f"Kabar {prefix} nomor {i}: bantuan sosial cair minggu ini di desa {i % 97}"
            handle.write(json.dumps({"id": f"{prefix}{i}", "text": text, "shares": i % 13}) + "\n")


def _add_file_source(
    env: dict[str, str], tmp_path: Path, name: str, path: Path, batch: int
) -> None:
    config = tmp_path / f"{name}.toml"
    config.write_text(
        f'[[sources]]\nname = "{name}"\nkind = "file"\ninterval_seconds = 1\n'
        f'settings = {{ path = "{path}", batch_size = {batch} }}\n',
        encoding="utf-8",
    )
    run_pantau({**env, "PANTAU_CONFIG": str(config)}, "init")


def _counts(db: Database) -> tuple[int, int, int, int]:
    """(posts, distinct external ids, processed posts, scores)."""
    with db.session() as session:
        posts = session.scalar(select(func.count()).select_from(PostRow)) or 0
        distinct = session.scalar(select(func.count(func.distinct(PostRow.external_id)))) or 0
        processed = (
            session.scalar(
                select(func.count()).select_from(PostRow).where(PostRow.stage == STAGE_PROCESSED)
            )
            or 0
        )
        scores = session.scalar(select(func.count()).select_from(ScoreRow)) or 0
    return posts, distinct, processed, scores


def _wait_for(predicate: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.2)
    return False


def test_a_killed_run_loses_and_duplicates_nothing(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    total = 3_000
    stream = tmp_path / "stream.jsonl"
    _write_stream(stream, total)
    env = pantau_env(db_url, tmp_path, PANTAU_BATCH_SIZE="100")
    run_pantau(env, "init")
    _add_file_source(env, tmp_path, "stream", stream, batch=400)

    first = subprocess.Popen(
        pantau_command("run", "--no-live", "--no-serve"),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Kill it mid-cycle: some posts stored, not all of them processed yet.
        assert _wait_for(lambda: _counts(db)[0] > 0 and _counts(db)[2] < total, 60)
        time.sleep(0.3)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    before = _counts(db)
    assert before[0] < total or before[2] < before[0], "the kill came after all the work"

    second = subprocess.Popen(
        pantau_command("run", "--no-live", "--no-serve"),
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        done = _wait_for(lambda: _counts(db)[2] == total, 120)
    finally:
        second.send_signal(signal.SIGTERM)
        _, stderr = second.communicate(timeout=60)
    assert done, f"not every post was processed after the restart: {_counts(db)}\n{stderr}"
    assert second.returncode == 0, stderr
    assert _counts(db) == (total, total, total, total)


def test_two_workers_share_the_work_without_overlap(
    db: Database, db_url: str, tmp_path: Path
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("scale-out workers share one PostgreSQL database")
    env = pantau_env(db_url, tmp_path, PANTAU_BATCH_SIZE="25")
    run_pantau(env, "init")
    per_source, sources = 400, 5
    for n in range(sources):
        stream = tmp_path / f"s{n}.jsonl"
        _write_stream(stream, per_source, prefix=f"s{n}-")
        _add_file_source(env, tmp_path, f"source-{n}", stream, batch=per_source)

    workers = [
        subprocess.Popen(
            pantau_command("worker", "--exit-when-idle"),
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, f"{out}\n{err}"

    total = per_source * sources
    assert _counts(db) == (total, total, total, total)
    with db.session() as session:
        scored_twice = session.scalar(
            select(func.count()).select_from(
                select(ScoreRow.post_id)
                .group_by(ScoreRow.post_id)
                .having(func.count() > 1)
                .subquery()
            )
        )
    assert scored_twice == 0
