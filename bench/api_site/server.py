"""The benchmark's own database and the portal under gunicorn, and how to start and ask it."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from core.crypto import new_key

REPO = Path(__file__).resolve().parents[2]
READ_PATH = "/api/profielen/v1/contactgegevens/_zoek"
BARE_PATH = "/bench/bare"
LOG_PATH = "/bench/log"


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
        """Drop it, after closing this process's Django connections to it if Django is set up."""
        from django.apps import apps

        if apps.ready:
            from django.db import connections

            connections.close_all()
        with self._admin() as conn:
            # FORCE: a worker killed mid-request may leave its connection behind.
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Gunicorn:
    """The portal under gunicorn with its production configuration, in a session of its own."""

    def __init__(
        self,
        env: dict[str, str],
        port: int,
        options: list[str] | None = None,
        *,
        collect_static: bool = True,
    ):
        self.env = os.environ | env
        self.port = port
        self.options = options or []  # command-line options win over config/gunicorn.py
        self.collect_static = collect_static  # bench/pages.py's bare project has no static files
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the whole run
            prefix="bench-api-gunicorn-", suffix=".log", delete=False
        )
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        # Outside DEBUG the portal refuses to start without its collected static files, as in
        # production: collect them first, with the same settings.
        if self.collect_static:
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=REPO,
                env=self.env,
                check=True,
            )
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
        shutil.rmtree(self.env["DJANGO_STATIC_ROOT"], ignore_errors=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def shared_cache_url() -> str:
    """Redis on this machine when it runs (database 14, emptied by nobody else), else memory."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return "locmemcache://"
    return "redis://127.0.0.1:6379/14"


def portal_env(database_url: str, port: int, workers: int, threads: int) -> dict[str, str]:
    """Production settings (tests/test_settings.py PRODUCTION_ENV), pointed only at loopback."""
    closed = "http://127.0.0.1:9"  # nothing listens there; nothing on the measured path calls out
    return {
        "DJANGO_SETTINGS_MODULE": "bench.api_site.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_READ_DOT_ENV": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(32),
        "DATABASE_URL": database_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "SITE_URL": "http://127.0.0.1",
        "OIDC_RP_CLIENT_ID": "bench",
        "OIDC_RP_CLIENT_SECRET": "bench",
        "OIDC_OP_DISCOVERY_URL": f"{closed}/.well-known/openid-configuration",
        "PSEUDONYM_KEY": secrets.token_urlsafe(16),
        "LDV_SUBJECT_KEY": secrets.token_urlsafe(16),
        "PERSONAL_DATA_KEYS": f"bench:{new_key()}",
        "BLIND_INDEX_KEY": new_key(),
        "SMS_GATEWAY_URL": f"{closed}/sms",
        "SMS_GATEWAY_API_KEY": "bench",
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "DEFAULT_FROM_EMAIL": "Benchmark <bench@example.nl>",
        **{
            f"REGISTER_{name}_{part}": value
            for name in ("KVK", "BRP", "BAG")
            for part, value in (("URL", f"{closed}/{name.lower()}"), ("API_KEY", "bench"))
        },
        # The limiter stays in the path (it is part of every read), it just never says no.
        "API_RATE_LIMIT_PER_MINUTE": str(10**12),
        # The daily volume per purpose (four eyes, issue 13) likewise: counted, never reached.
        "API_DAILY_VOLUME_PER_PURPOSE": str(10**12),
        # Several workers count the limit in one shared cache, as in production (README).
        "CACHE_URL": shared_cache_url(),
        # A JSON line per request at INFO would measure the logging, not the portal.
        "LOG_LEVEL": "WARNING",
        # Collected for this run only: in the repository's staticfiles/ they would make the
        # tests that start without collected static files fail afterwards.
        "DJANGO_STATIC_ROOT": tempfile.mkdtemp(prefix="bench-api-static-"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }


def post_json(port: int, path: str, token: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check_answers(port: int, token: str, doelbinding: int, bsn: str) -> None:
    """One request of each kind by hand: a benchmark of error pages would measure nothing."""
    body = f'{{"identificatie":{{"type":"bsn","nummer":"{bsn}"}},"doelbinding":{doelbinding}}}'
    for path in (BARE_PATH, LOG_PATH):
        status, answer = post_json(port, path, token, body.encode())
        if status != 200:
            raise RuntimeError(f"{path} answered {status}: {answer[:300]!r}")
    status, answer = post_json(port, READ_PATH, token, body.encode())
    if status != 200 or b"emailadres" not in answer or b"telefoonnummer" not in answer:
        raise RuntimeError(f"the read answered {status}: {answer[:300]!r}")
