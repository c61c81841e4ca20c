"""A real HTTP server on 127.0.0.1 that answers as a test tells it (a register, an SMS provider).

`answer(request) -> (status, body, delay_seconds)`, or with a fourth item, response headers
(e.g. another Content-Type than application/json); every request is recorded in `server.seen`
as a dict with method, path, query, headers (lower-case names), the body (decoded JSON, or the
text of any other body) and, over TLS, the client certificate the peer showed (or None).
`tls`: an ssl.SSLContext (server side) to answer over HTTPS instead.
"""

import contextlib
import json
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Answer = Callable[[dict], tuple]


class _Handler(BaseHTTPRequestHandler):
    def _handle(self):
        url = urlsplit(self.path)
        size = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(size) if size else b""
        is_json = "json" in (self.headers.get("Content-Type") or "application/json")
        request = {
            "method": self.command,
            "path": url.path,
            "query": parse_qs(url.query),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": (json.loads(raw) if is_json else raw.decode()) if raw else None,
        }
        if isinstance(self.connection, ssl.SSLSocket):
            request["client_cert"] = self.connection.getpeercert() or None
        self.server.seen.append(request)
        status, payload, delay, *more = self.server.answer(request)
        headers = {"Content-Type": "application/json", **(more[0] if more else {})}
        if delay:
            time.sleep(delay)
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a slow answer: the client gave up before it came

    do_GET = do_POST = do_HEAD = _handle

    def log_message(self, *args):
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A refused TLS handshake is what some tests are about; anything else is reported.
        if not isinstance(sys.exc_info()[1], ssl.SSLError | ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def http_peer(
    answer: Answer, *, tls: ssl.SSLContext | None = None
) -> Iterator[ThreadingHTTPServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    if tls:
        # The handshake happens in the handler's thread, at its first read.
        server.socket = tls.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    server.daemon_threads, server.block_on_close = True, False
    server.seen, server.answer = [], answer
    # A short poll, so that shutting down at the end of a test takes no noticeable time.
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def unused_port() -> int:
    """A port nobody listens on (a refused connection)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
