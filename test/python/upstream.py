"""A local HTTP listener that answers as a misbehaving tracking server would, and
records every request it receives: for the server extension's fault tests, where a
real `mlflow server` cannot be made slow, redirecting or huge on demand."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK_BYTES = 1 << 20


@dataclass
class Received:
    method: str
    path: str  # with the query string, as sent
    headers: dict[str, str]


@dataclass
class Upstream:
    """What the listener does next (set by a test), and what it received."""

    url: str
    #: 'json' (a small answer), 'hold' (answers once `release` is set), 'drip'
    #: (one byte a second), 'redirect' (302 to `redirect_to`), 'big' (`big_bytes`
    #: of a JSON string, with Content-Length when `big_with_length`).
    mode: str = "json"
    redirect_to: str = ""
    big_bytes: int = 0
    big_with_length: bool = True
    release: threading.Event = field(default_factory=threading.Event)
    received: list[Received] = field(default_factory=list)

    def reset(self, mode: str, **settings) -> None:
        self.release.set()  # what the last test left waiting ends now
        self.mode = mode
        self.received.clear()
        self.release = threading.Event()
        for name, value in settings.items():
            setattr(self, name, value)


def _handler_for(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:
            pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self._answer()

        def _answer(self) -> None:
            upstream.received.append(Received(self.command, self.path, dict(self.headers)))
            mode = upstream.mode
            try:
                if mode == "hold":
                    upstream.release.wait(60)
                    self._send(200, b'{"held": true}')
                elif mode == "redirect":
                    self.send_response(302)
                    self.send_header("Location", upstream.redirect_to + self.path)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif mode == "drip":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "12")
                    self.end_headers()
                    for byte in b'{"drip": 12}':
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        if upstream.release.wait(1):
                            return
                elif mode == "big":
                    self._send_big()
                else:
                    self._send(200, b'{"answer": "from the upstream"}')
            except (BrokenPipeError, ConnectionResetError):
                pass  # the forwarder went away: what a cancelled forward does

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send_big(self) -> None:
            total = upstream.big_bytes
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if upstream.big_with_length:
                self.send_header("Content-Length", str(total))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            # '"xxxx…x"': a JSON string of exactly `total` bytes
            filler = b"x" * CHUNK_BYTES
            pieces = [b'"']
            left = total - 2
            while left > 0:
                pieces.append(filler[: min(left, CHUNK_BYTES)])
                left -= len(pieces[-1])
            pieces.append(b'"')
            for piece in pieces:
                if upstream.big_with_length:
                    self.wfile.write(piece)
                else:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            if not upstream.big_with_length:
                self.wfile.write(b"0\r\n\r\n")

    return Handler


@contextmanager
def upstream_listener() -> Iterator[Upstream]:
    """Yields a started listener on a free port of 127.0.0.1."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    upstream = Upstream(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler_for(upstream)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        upstream.release.set()
        server.shutdown()
        server.server_close()


def wait_for_requests(upstream: Upstream, count: int, timeout_s: float) -> int:
    """Waits until `upstream` has received `count` requests; returns how many it has."""
    deadline = time.monotonic() + timeout_s
    while len(upstream.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return len(upstream.received)
