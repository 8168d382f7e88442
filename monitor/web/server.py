"""Run the web app with uvicorn in a background thread (for `pantau run` and tests)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import uvicorn

from monitor.config import Settings
from monitor.store.db import Database
from monitor.web.app import create_app
from monitor.web.settings import web_settings

log = logging.getLogger(__name__)


def build_server(
    settings: Settings, host: str, port: int, db: Database | None = None
) -> uvicorn.Server:
    """A uvicorn server for the app, trusting proxy headers only from configured proxies."""
    web = web_settings(settings)
    config = uvicorn.Config(
        create_app(settings, db),
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        proxy_headers=bool(web.trusted_proxies),
        forwarded_allow_ips=",".join(web.trusted_proxies) or None,
        server_header=False,
        lifespan="on",
    )
    return uvicorn.Server(config)


def serve_in_thread(
    settings: Settings,
    host: str,
    port: int,
    db: Database | None = None,
    *,
    timeout: float = 20.0,
) -> tuple[threading.Thread, Callable[[], None]]:
    """Start the app in a daemon thread and wait until it listens.

    Returns ``(thread, stop)``; ``stop()`` shuts the server down and joins the thread. With
    ``port`` 0 the OS picks a free port: read it from ``bound_port(thread)``. Raises
    RuntimeError when the server does not start within ``timeout`` seconds.
    """
    server = build_server(settings, host, port, db)
    thread = threading.Thread(target=server.run, name="pantau-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the web server did not start on {host}:{port}")
        time.sleep(0.05)
    thread.pantau_server = server  # type: ignore[attr-defined]

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=timeout)

    return thread, stop


def bound_port(thread: threading.Thread) -> int:
    """The port the server started by :func:`serve_in_thread` listens on."""
    server: uvicorn.Server = thread.pantau_server  # type: ignore[attr-defined]
    for listener in server.servers:
        for sock in listener.sockets:
            return int(sock.getsockname()[1])
    raise RuntimeError("the server has no listening socket")
