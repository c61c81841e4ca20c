"""The benchmark's own database and the portal under gunicorn, both cleaned up by the caller."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg

REPO = Path(__file__).resolve().parents[2]


class Database:
    """A database of our own on the given server, dropped even when the run breaks."""

    def __init__(self, admin_url: str):
        self.admin_url = admin_url
        self.name = f"moz_bench_api_{os.getpid()}"
        base, _, _db = admin_url.rpartition("/")
        self.url = f"{base}/{self.name}"

    def _admin(self):
        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=10)

    def create(self) -> str:
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
            return conn.execute("SHOW server_version").fetchone()[0]

    def drop(self) -> None:
        with self._admin() as conn:
            # FORCE: a worker killed mid-request may leave its connection behind.
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Gunicorn:
    """The portal under gunicorn with its production configuration, in a session of its own."""

    def __init__(self, env: dict[str, str], port: int, options: list[str] | None = None):
        self.env = os.environ | env
        self.port = port
        self.options = options or []  # command-line options win over config/gunicorn.py
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the whole run
            prefix="bench-api-gunicorn-", suffix=".log", delete=False
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        # Its own session: Ctrl-C reaches this script, which then stops gunicorn in order.
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "config/gunicorn.py",
                *self.options,
                "config.wsgi",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up:\n{self.log_tail()}")
            try:
                url = f"http://127.0.0.1:{self.port}/readyz"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn was not ready within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # the group we started, by its id
                self.process.wait(timeout=5)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)
