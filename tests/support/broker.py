"""Start the development OpenID provider (dev/broker) from tests.

Standard library only. Usage::

    from tests.support.broker import run_broker

    with run_broker() as broker:
        broker.issuer, broker.discovery["token_endpoint"], ...
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
BROKER_DIR = REPO_ROOT / "dev" / "broker"
SERVER_JS = BROKER_DIR / "server.js"

DEFAULT_CLIENT_ID = "mijn-omgeving-dev"
DEFAULT_CLIENT_SECRET = "dev-broker-secret"

_npm_lock = threading.Lock()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Broker:
    issuer: str
    port: int
    discovery: dict
    client_id: str
    client_secret: str
    process: subprocess.Popen = field(repr=False)
    log_path: Path = field(repr=False)

    def log(self) -> str:
        """Everything the broker printed so far (stdout and stderr)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def _ensure_node_modules() -> None:
    if (BROKER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is not installed, so the dev broker's dependencies cannot be "
            "installed (run `npm ci` in dev/broker)."
        )
    with _npm_lock:
        if (BROKER_DIR / "node_modules" / "oidc-provider").is_dir():
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=BROKER_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"`npm ci` in {BROKER_DIR} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )


def _get_json(url: str, timeout: float) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            if response.status != 200:
                return None
            return json.load(response)
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError, ValueError):
        return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextlib.contextmanager
def run_broker(
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 15,
) -> Iterator[Broker]:
    """Run `node dev/broker/server.js` until the with-block ends.

    ``env`` overrides the broker's environment variables (BROKER_*). Waits
    until the discovery document answers 200, then yields a :class:`Broker`.
    On exit the process gets SIGTERM, and is killed after 5 seconds.
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError(
            "Node.js (`node`) is not installed or not on PATH; the dev broker "
            "needs Node 20 or later."
        )
    _ensure_node_modules()

    port = port or free_port()
    host = "127.0.0.1"
    child_env = dict(os.environ)
    child_env.update({"BROKER_HOST": host, "BROKER_PORT": str(port)})
    child_env.update(env or {})
    host = child_env["BROKER_HOST"]
    issuer = child_env.get("BROKER_ISSUER") or f"http://{host}:{port}"
    discovery_url = f"http://{host}:{port}/.well-known/openid-configuration"

    log_fd, log_name = tempfile.mkstemp(prefix="dev-broker-", suffix=".log")
    log_path = Path(log_name)
    with os.fdopen(log_fd, "wb") as log_file:  # the child keeps its own copy
        process = subprocess.Popen(
            [node, str(SERVER_JS)],
            cwd=REPO_ROOT,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        discovery = None
        while discovery is None:
            if process.poll() is not None:
                raise RuntimeError(
                    f"dev broker exited with code {process.returncode} before it "
                    f"was ready:\n{log_path.read_text(errors='replace')}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"dev broker did not answer {discovery_url} within {timeout}s:\n"
                    f"{log_path.read_text(errors='replace')}"
                )
            discovery = _get_json(discovery_url, timeout=1)
            if discovery is None:
                time.sleep(0.1)

        yield Broker(
            issuer=discovery.get("issuer", issuer),
            port=port,
            discovery=discovery,
            client_id=child_env.get("BROKER_CLIENT_ID") or DEFAULT_CLIENT_ID,
            client_secret=child_env.get("BROKER_CLIENT_SECRET") or DEFAULT_CLIENT_SECRET,
            process=process,
            log_path=log_path,
        )
    finally:
        _stop(process)
        with contextlib.suppress(OSError):
            log_path.unlink()
