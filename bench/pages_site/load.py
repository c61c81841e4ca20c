"""Load for bench/pages.py: wrk when installed, else a small Python generator (slower).

Closed-loop like bench/api_site/load.py (same Result): a fixed number of connections, each
sending its next request when the answer is in. One fixed request per measurement: a GET with
the session cookie, or a form POST with its CSRF token. Only 127.0.0.1 is ever addressed.
"""

import json
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.api_site.load import WRK_DONE, Result, closed_loop, wrk_available, wrk_result

__all__ = ["Request", "Result", "run", "wrk_available"]

_WRK_SCRIPT = """
local method, path, body = %(method)s, %(path)s, %(body)s
local headers = %(headers)s

request = function()
  return wrk.format(method, path, headers, body)
end

"""
_WRK_SCRIPT += WRK_DONE


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""


def _lua(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


def run(*, loader: str, port: int, request: Request, seconds: float, connections: int) -> Result:
    if loader == "wrk":
        return _wrk(port, request, seconds, connections)
    return _python(port, request, seconds, connections)


def _wrk(port: int, request: Request, seconds: float, connections: int) -> Result:
    headers = "{" + ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in request.headers.items()) + "}"
    script = _WRK_SCRIPT % {
        "method": _lua(request.method),
        "path": _lua(request.path),
        "body": _lua(request.body) if request.body else "nil",
        "headers": headers,
    }
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        lua = Path(tmp) / "page.lua"
        lua.write_text(script)
        command = [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=10s",
            f"--script={lua}",
            f"http://127.0.0.1:{port}{request.path}",
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
    return wrk_result(done.stdout)


def _python(port: int, request: Request, seconds: float, connections: int) -> Result:
    """Threads in this process: the GIL and the shared cores make it slower than wrk."""
    fixed = (request.method, request.path, request.body.encode() or None, request.headers)
    return closed_loop(port, seconds, connections, lambda _slot: lambda: fixed)
