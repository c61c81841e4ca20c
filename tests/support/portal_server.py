"""The portal as production runs it (gunicorn with config/gunicorn.py, DEBUG off) on a database
of its own, for tests that need a real server process: concurrency, timeouts, stopped peers."""

import contextlib
import os
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import environ
import psycopg
import requests

from tests.support.broker import Broker, free_port
from tests.support.portal_process import BIN, PRODUCTION_ENV, REPO, bare_env, manage

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def _admin_conninfo() -> str:
    database = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    return psycopg.conninfo.make_conninfo(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname="postgres",
    )


@contextlib.contextmanager
def own_database(name: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database: on the PostgreSQL server of DATABASE_URL when the tests run
    there (dropped afterwards), else an SQLite file in `folder`."""
    if not ON_POSTGRES:
        yield f"sqlite:///{folder / 'portal.sqlite3'}"
        return
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{os.environ['DATABASE_URL'].rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def portal_env(database_url: str, folder: Path, broker: Broker, port: int, **extra) -> dict:
    """Production settings over plain HTTP on 127.0.0.1, pointed at `broker`."""
    return PRODUCTION_ENV | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "false",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "OIDC_OP_DISCOVERY_URL": f"{broker.issuer}/.well-known/openid-configuration",
        "OIDC_RP_CLIENT_ID": broker.client_id,
        "OIDC_RP_CLIENT_SECRET": broker.client_secret,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextlib.contextmanager
def serving(env: dict, *, ready_within: float = 120) -> Iterator[str]:
    """Migrate, collect the static files, start gunicorn; yields its base URL. On the way out
    gunicorn stops; a traceback in its log fails the test."""
    for args in (("migrate", "--no-input", "-v0"), ("collectstatic", "--no-input", "-v0")):
        done = manage(*args, env=env, timeout=600)
        assert done.returncode == 0, f"manage.py {args[0]}:\n{done.stderr[-3000:]}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=REPO,
        env=bare_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://{env['GUNICORN_BIND']}"
    try:
        deadline = time.monotonic() + ready_within
        while True:
            assert server.poll() is None, server.communicate()[1][-3000:]
            assert time.monotonic() < deadline, f"no /healthz within {ready_within} s"
            try:
                if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-3000:]


__all__ = ["ON_POSTGRES", "free_port", "own_database", "portal_env", "serving"]
