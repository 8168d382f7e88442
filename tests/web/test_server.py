"""The app served by uvicorn in a thread, as `pantau run` does."""

from __future__ import annotations

import httpx

from monitor.config import Settings
from monitor.store.db import Database
from monitor.web.server import bound_port, serve_in_thread
from tests.web.world import World


def test_the_app_serves_in_a_thread_and_stops(
    settings: Settings, db: Database, world: World
) -> None:
    thread, stop = serve_in_thread(settings, "127.0.0.1", 0, db)
    try:
        base = f"http://127.0.0.1:{bound_port(thread)}"
        login = httpx.get(f"{base}/login", timeout=10)
        assert login.status_code == 200
        assert "Masuk ke Pantau" in login.text
        assert httpx.get(f"{base}/queue", timeout=10, follow_redirects=False).status_code == 303
    finally:
        stop()
    assert not thread.is_alive()
