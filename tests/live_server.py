"""A real HTTP server on 127.0.0.1 for the live-source tests: real sockets, no mocked client.

Routes map a path with its query (``/api/daily_papers?date=2024-10-22&limit=100&p=0``)
to a :class:`Reply`, a list of replies (one per request, the last repeated), or
a function of the request. Every request is recorded, so a test can say how
many requests were made and with which headers. Unrouted paths get a 404.

    with serving() as server:
        server.route("/rss/cs.CL", Reply(body=FEED))
        ... server.url ...
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

LIVE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "live"
UNROUTABLE = "http://127.0.0.1:9"
"""The discard port on the loopback: nothing listens, so a request that was not
pointed at a test server fails at once instead of reaching the internet."""


@dataclass(frozen=True)
class Reply:
    """One response."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"
    delay: float = 0.0
    """Seconds to wait before the status line (a slow server)."""
    cut_after: int | None = None
    """Send only this many bytes of the body, then close the connection, while
    Content-Length promises the whole body."""
    chunk_bytes: int | None = None
    chunk_delay: float = 0.0
    """Send the body in pieces of ``chunk_bytes``, this many seconds apart."""
    send_length: bool = True
    """False: no Content-Length; the body ends when the connection closes."""


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    """Lower-case names."""


Route = Reply | list[Reply] | Callable[[Request], Reply]


def fixture(name: str) -> bytes:
    return (LIVE_FIXTURES / name).read_bytes()


class LiveServer:
    """The server and its routes; start it with :func:`serving`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self.httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def reply_for(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            route = self.routes.get(request.path)
            count = self._served.get(request.path, 0)
            self._served[request.path] = count + 1
        if route is None:
            return Reply(404, b'{"error":"Not Found"}')
        if isinstance(route, Reply):
            return route
        if isinstance(route, list):
            return route[min(count, len(route) - 1)]
        return route(request)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up mid-request (the time-out tests) is expected


def _handler_for(server: LiveServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            request = Request(self.path, {name.lower(): value for name, value in self.headers.items()})
            reply = server.reply_for(request)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a time-out test): fine

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.send_length:
                self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            closes = reply.cut_after is not None or not reply.send_length
            if closes:
                self.send_header("Connection", "close")
            self.end_headers()
            body = reply.body if reply.cut_after is None else reply.body[: reply.cut_after]
            if reply.chunk_bytes:
                for start in range(0, len(body), reply.chunk_bytes):
                    self.wfile.write(body[start : start + reply.chunk_bytes])
                    self.wfile.flush()
                    time.sleep(reply.chunk_delay)
            else:
                self.wfile.write(body)
            if closes:
                self.wfile.flush()
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: pytest shows failures, not every request

    return Handler


@contextmanager
def serving() -> Iterator[LiveServer]:
    """A started :class:`LiveServer`, shut down afterwards."""
    server = LiveServer()
    thread = threading.Thread(target=server.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
        thread.join(timeout=5)


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def isolate(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    """Point both live sources at :data:`UNROUTABLE`, the cache at *cache_dir*, drop proxy
    variables, and make arXiv's request spacing short: no test reaches the internet,
    none waits 3 s, and none sees another's cache. Call it from an autouse fixture."""
    from tui.live import fetch, http

    monkeypatch.setenv("HF_ENDPOINT", UNROUTABLE)
    monkeypatch.setenv("DIGEST_READER_ARXIV_RSS", UNROUTABLE)
    monkeypatch.setenv("DIGEST_READER_CACHE_DIR", str(cache_dir))
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(http.ARXIV_LIMITER, "interval", 0.05)
    http.ARXIV_LIMITER.reset()
    monkeypatch.setattr(fetch, "_pruned_at", None)
