"""Load generators for bench/api.py: wrk when it is installed, else a small Python one.

Both are closed-loop: a fixed number of connections, each sending its next request when the
previous answer is in. Each request carries one number drawn at random from a sample of
existing profiles. Only 127.0.0.1 is ever addressed.
"""

import http.client
import json
import random
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# What a wrk script ends with: its figures as one JSON line, read back by wrk_result. The
# scripts are %-formatted, hence the doubled %.
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%%d,"duration_us":%%d,"p50_us":%%d,"p99_us":%%d,"max_us":%%d,'
    .. '"socket_errors":%%d,"bad_status":%%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
"""

_WRK_SCRIPT = """
local bsns = {%(bsns)s}
local path, token, doelbinding = "%(path)s", "%(token)s", %(doelbinding)d
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end

init = function(args)
  math.randomseed(os.time() * 1000 + id)
end

request = function()
  local body = '{"identificatie":{"type":"bsn","nummer":"' .. bsns[math.random(#bsns)]
    .. '"},"doelbinding":' .. doelbinding .. '}'
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

"""
_WRK_SCRIPT += WRK_DONE


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    socket_errors: int
    bad_status: int  # answers that were not 2xx/3xx: a broken run, not a slow one

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run(
    *,
    loader: str,
    port: int,
    path: str,
    token: str,
    doelbinding: int,
    bsns: list[str],
    seconds: float,
    connections: int,
) -> Result:
    if loader == "wrk":
        return _wrk(port, path, token, doelbinding, bsns, seconds, connections)
    return _python(port, path, token, doelbinding, bsns, seconds, connections)


def _wrk(port, path, token, doelbinding, bsns, seconds, connections) -> Result:
    script = _WRK_SCRIPT % {
        "bsns": ",".join(f'"{b}"' for b in bsns),
        "path": path,
        "token": token,
        "doelbinding": doelbinding,
    }
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        lua = Path(tmp) / "read.lua"
        lua.write_text(script)
        command = [
            "wrk",
            f"--threads={min(2, connections)}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=10s",
            f"--script={lua}",
            f"http://127.0.0.1:{port}{path}",
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=seconds + 60, check=True
        )
    return wrk_result(done.stdout)


def wrk_result(stdout: str) -> Result:
    """The figures WRK_DONE printed."""
    line = next(x for x in stdout.splitlines() if x.startswith("BENCH "))
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


def _python(port, path, token, doelbinding, bsns, seconds, connections) -> Result:
    """Threads in this process: the GIL and the shared two cores make it slower than wrk."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}

    def requests_of(slot: int):
        chooser = random.Random(slot)

        def next_request():
            body = json.dumps(
                {
                    "identificatie": {"type": "bsn", "nummer": chooser.choice(bsns)},
                    "doelbinding": doelbinding,
                }
            )
            return "POST", path, body, headers

        return next_request

    return closed_loop(port, seconds, connections, requests_of)


def closed_loop(port: int, seconds: float, connections: int, requests_of) -> Result:
    """`connections` threads, each sending its next request when the answer to the last is in,
    for `seconds`. requests_of(slot) gives a thread's source of (method, path, body, headers)."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [[0, 0] for _ in range(connections)]  # socket errors, bad status
    started = time.perf_counter()
    deadline = started + seconds

    def worker(slot: int) -> None:
        next_request = requests_of(slot)
        while time.perf_counter() < deadline:
            method, path, body, headers = next_request()
            sent = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request(method, path, body=body, headers=headers)
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
