"""`pantau run --once`: every source once, failures isolated, a summary printed."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import pytest

from tests.cli.helpers import pantau_env, run_pantau


class _Broken(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def broken_feed() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/rss"
    server.shutdown()
    server.server_close()


def test_a_failing_source_does_not_stop_the_others(
    db_url: str, tmp_path: Path, broken_feed: str
) -> None:
    stream = tmp_path / "good.jsonl"
    stream.write_text(
        "\n".join(
            json.dumps({"id": str(i), "text": f"Info banjir di Bekasi nomor {i}"}) for i in range(7)
        )
        + "\n",
        encoding="utf-8",
    )
    config = tmp_path / "pantau.toml"
    config.write_text(
        f'[[sources]]\nname = "broken"\nkind = "rss"\nsettings = {{ url = "{broken_feed}" }}\n'
        f'[[sources]]\nname = "good"\nkind = "file"\nsettings = {{ path = "{stream}" }}\n',
        encoding="utf-8",
    )
    env = pantau_env(db_url, tmp_path, PANTAU_CONFIG=str(config))
    run_pantau(env, "init")
    result = run_pantau(env, "run", "--once")
    rows = {}
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│┃|]", line) if cell.strip()]
        if cells:
            rows[cells[0]] = cells
    # columns: source, fetches, fetched, new, flagged, errors, last error
    assert rows["good"][1:4] == ["1", "7", "7"]
    assert rows["good"][5] == "0"
    assert rows["broken"][1:6] == ["1", "0", "0", "0", "1"]
    assert "processed 7 post(s)" in result.stdout

    sources = run_pantau(env, "sources", "list").stdout
    assert "500" in sources
