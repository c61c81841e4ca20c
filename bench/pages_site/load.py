"""Load for bench/pages.py: wrk when installed, else a small Python generator (slower).

Closed-loop like bench/api_site/load.py (same Result): a fixed number of connections, each
sending its next request when the answer is in. One fixed request per measurement: a GET with
the session cookie, or a form POST with its CSRF token. Only 127.0.0.1 is ever addressed.
"""

import http.client
import json
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.api_site.load import Result, wrk_available

__all__ = ["Request", "Result", "run", "wrk_available"]

_WRK_SCRIPT = """
local method, path, body = %(method)s, %(path)s, %(body)s
local headers = %(headers)s

request = function()
  return wrk.format(method, path, headers, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d,'
    .. '"socket_errors":%%d,"bad_status":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""


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
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    figures = json.loads(line.removeprefix("BENCH "))
    return Result(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        socket_errors=figures["socket_errors"],
        bad_status=figures["bad_status"],
    )


def _python(port: int, request: Request, seconds: float, connections: int) -> Result:
    """Threads in this process: the GIL and the shared cores make it slower than wrk."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [[0, 0] for _ in range(connections)]  # socket errors, bad status
    started = time.perf_counter()
    deadline = started + seconds
    body = request.body.encode() or None

    def worker(slot: int) -> None:
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request(request.method, request.path, body=body, headers=request.headers)
                answer = connection.getresponse()
                answer.read()
            except OSError:
                errors[slot][0] += 1
                continue
            finally:
                connection.close()
            latencies[slot].append(time.perf_counter() - sent)
            if answer.status >= 400:
                errors[slot][1] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    every = sorted(x for slot in latencies for x in slot)

    def percentile(p: float) -> float:
        return every[min(len(every) - 1, int(len(every) * p / 100))] * 1000 if every else 0.0

    return Result(
        requests=len(every),
        seconds=elapsed,
        p50_ms=percentile(50),
        p99_ms=percentile(99),
        max_ms=every[-1] * 1000 if every else 0.0,
        socket_errors=sum(e[0] for e in errors),
        bad_status=sum(e[1] for e in errors),
    )
