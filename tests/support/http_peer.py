"""A real HTTP server on 127.0.0.1 that answers as a test tells it (a register, an SMS provider).

`answer(request) -> (status, body, delay_seconds)`; every request is recorded in `server.seen`
as a dict with method, path, query, headers (lower-case names) and the JSON body.
"""

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

Answer = Callable[[dict], tuple[int, object, float]]


class _Handler(BaseHTTPRequestHandler):
    def _handle(self):
        url = urlsplit(self.path)
        size = int(self.headers.get("Content-Length") or 0)
        request = {
            "method": self.command,
            "path": url.path,
            "query": parse_qs(url.query),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": json.loads(self.rfile.read(size)) if size else None,
        }
        self.server.seen.append(request)
        status, payload, delay = self.server.answer(request)
        if delay:
            time.sleep(delay)
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # a slow answer: the client gave up before it came

    do_GET = do_POST = _handle

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def http_peer(answer: Answer) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads, server.block_on_close = True, False
    server.seen, server.answer = [], answer
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
