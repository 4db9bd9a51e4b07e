"""A stand-in for Zotero's connector server on 127.0.0.1, speaking the protocol as Zotero's own
source and tests define it (server_connector.js, ``Zotero.Server.Connector.Import``):

- ``GET /connector/ping`` answers 200 "Zotero is running"; ``POST /connector/ping`` 200 with JSON.
- ``POST /connector/import`` without ``X-Zotero-Connector-API-Version`` or
  ``Zotero-Allowed-Request`` is refused with 403, as Zotero refuses what a web page could send.
- It reads the body as BibTeX (with bibtexparser 2, a real parser): nothing readable is a 400,
  the translator finding no import data; else 201 with the imported items as a JSON array.
- ``mode`` makes it the other Zoteros a user meets: ``"read-only"`` (500 with
  ``{"libraryEditable": false}``, a read-only library selected), ``"slow"`` (answers after
  ``delay`` seconds), ``"empty"`` (201 with ``[]``), ``"not-zotero"`` (404 for every path).

Every POST is recorded (path, lower-case headers, body) for the tests to read back.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import bibtexparser


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeZotero:
    mode: str = "save"
    delay: float = 0.0
    posts: list[Post] = field(default_factory=list)
    url: str = ""

    def imports(self) -> list[Post]:
        return [post for post in self.posts if post.path == "/connector/import"]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the time-out test) is expected


def _handler_for(zotero: FakeZotero) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if self.path == "/connector/ping" and zotero.mode != "not-zotero":
                self._send(200, b"<!DOCTYPE html><html><body>Zotero is running</body></html>", "text/html")
            else:
                self._send(404, b"No endpoint found", "text/plain")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            zotero.posts.append(Post(self.path, headers, body))
            if zotero.mode == "not-zotero":
                self._send(404, b"<html>Not Found</html>", "text/html")
            elif self.path == "/connector/ping":
                self._send(200, b'{"prefs":{}}', "application/json")
            elif self.path != "/connector/import":
                self._send(404, b"No endpoint found", "text/plain")
            elif "x-zotero-connector-api-version" not in headers and "zotero-allowed-request" not in headers:
                self._send(403, b"Request not allowed", "text/plain")
            else:
                self._import(body)

        def _import(self, body: bytes) -> None:
            if zotero.mode == "slow":
                time.sleep(zotero.delay)
            if zotero.mode == "read-only":
                self._send(500, b'{"libraryEditable":false}', "application/json")
                return
            library = bibtexparser.parse_string(body.decode("utf-8"))
            if not library.entries:
                self._send(400, b"", "text/plain")
                return
            items = [] if zotero.mode == "empty" else [_item(entry) for entry in library.entries]
            self._send(201, json.dumps(items).encode(), "application/json")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _item(entry: bibtexparser.model.Entry) -> dict[str, object]:
    """An imported item, shaped like Zotero's (itemType, title, creators, tags, url)."""
    fields = {f.key: f.value for f in entry.fields}
    creators = [{"name": name.strip(), "creatorType": "author"} for name in fields.get("author", "").split(" and ") if name]
    tags = [{"tag": tag.strip(), "type": 1} for tag in fields.get("keywords", "").split(",") if tag.strip()]
    return {"itemType": "preprint", "title": fields.get("title", "").strip("{}"), "creators": creators, "tags": tags,
            "url": fields.get("url", ""), "id": entry.key}


@contextmanager
def running_zotero(mode: str = "save", delay: float = 0.0) -> Iterator[FakeZotero]:
    """A started fake Zotero on a free loopback port; ``.url`` is its base address."""
    zotero = FakeZotero(mode=mode, delay=delay)
    httpd = _QuietServer(("127.0.0.1", 0), _handler_for(zotero))
    zotero.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield zotero
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    """The address of a loopback port nothing listens on (it was bound a moment ago, then closed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
