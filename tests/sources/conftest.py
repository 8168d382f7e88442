"""A real HTTP server on 127.0.0.1 for the feed connector tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[BaseHTTPRequestHandler], Reply]


@dataclass
class FeedServer:
    """Serves ``routes`` (path -> reply or callable) and records every request it gets."""

    base_url: str
    routes: dict[str, Reply | Route]
    requests: list[tuple[str, dict[str, str]]]
    release: threading.Event

    def url(self, path: str) -> str:
        return self.base_url + path

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen.split("?")[0] == path)


@pytest.fixture(scope="session")
def _server() -> Iterator[FeedServer]:
    routes: dict[str, Reply | Route] = {}
    requests: list[tuple[str, dict[str, str]]] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            route = routes.get(self.path.split("?")[0])
            reply = Reply(404, b"not found") if route is None else route
            if callable(reply):
                reply = reply(self)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep the test output clean

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    # A client that gave up (timeout test) makes the handler's write fail: not a test failure.
    server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield FeedServer(f"http://{host!s}:{port}", routes, requests, release)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def feed_server(_server: FeedServer) -> Iterator[FeedServer]:
    """The shared local server with no routes and no recorded requests."""
    _server.routes.clear()
    _server.requests.clear()
    _server.release.clear()
    yield _server
    _server.release.set()  # let a handler still waiting in a slow route finish
