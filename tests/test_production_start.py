"""The README's "Run it in production", done: a fresh PostgreSQL database, only the documented
steps, a real gunicorn with DEBUG off behind what a proxy would send, and the pages answering.

Runs on PostgreSQL (DATABASE_URL=postgres://...); skipped on SQLite on a developer's machine,
required in CI.
"""

import os
import re
import secrets
import subprocess
import time
from pathlib import Path

import environ
import psycopg
import pytest
import requests
from django.db import connection

from core.crypto import new_key
from tests.support.broker import free_port
from tests.support.portal_process import BIN, REPO, bare_env, manage

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))

HOST = "localhost"  # the public name the proxy passes on in Host
PROXY = {"Host": HOST, "X-Forwarded-Proto": "https"}


@pytest.fixture
def fresh_database(db):
    """An empty database of its own, named after the test database, dropped afterwards."""
    if not ON_POSTGRES:
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the production start on PostgreSQL: set DATABASE_URL")
        pytest.skip("the production start needs DATABASE_URL to PostgreSQL")
    name = f"{connection.settings_dict['NAME']}_start"
    conninfo = psycopg_conninfo(os.environ["DATABASE_URL"], dbname="postgres")
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    server_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    yield f"{server_url}/{name}"
    with psycopg.connect(conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, static_root: Path, broker, port: int) -> dict:
    """The environment an operator fills in from .env.example; no DEBUG, no test settings."""
    unused = "http://127.0.0.1:9"  # registers and SMS are not asked on these pages
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "PSEUDONYM_KEY": secrets.token_urlsafe(50),
        "LDV_SUBJECT_KEY": secrets.token_urlsafe(50),
        "PERSONAL_DATA_KEYS": f"k1:{new_key()}",
        "BLIND_INDEX_KEY": new_key(),
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(static_root),
        # The public name, and the address the probes ask (README: "The reverse proxy").
        "DJANGO_ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        "SITE_URL": f"https://{HOST}",
        "OIDC_OP_DISCOVERY_URL": f"{broker.issuer}/.well-known/openid-configuration",
        "OIDC_RP_CLIENT_ID": broker.client_id,
        "OIDC_RP_CLIENT_SECRET": broker.client_secret,
        "EMAIL_URL": "smtp://127.0.0.1:9",
        "DEFAULT_FROM_EMAIL": "Mijn Omgeving Zakelijk <noreply@gemeente.example.nl>",
        "SMS_GATEWAY_URL": unused,
        "SMS_GATEWAY_API_KEY": "not-used-here",
        **{
            f"REGISTER_{name}_{part}": value
            for name in ("KVK", "BRP", "BAG")
            for part, value in (("URL", unused), ("API_KEY", "not-used-here"))
        },
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "WARNING",
    }


def psycopg_conninfo(database_url: str, *, dbname: str = "") -> str:
    database = environ.Env.db_url_config(database_url)
    return psycopg.conninfo.make_conninfo(
        host=database["HOST"] or "127.0.0.1",
        port=database["PORT"] or 5432,
        user=database["USER"],
        password=database["PASSWORD"] or None,
        dbname=dbname or database["NAME"],
    )


def readme_worker_query() -> str:
    """The query "What to watch" gives for the worker's queue."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.search(r"`(SELECT min\(enqueued_at\)[^`]+)`", readme).group(1)


def step(*args: str, env: dict) -> None:
    # Minutes, not seconds: migrate and collectstatic on a busy machine take their time.
    result = manage(*args, env=env, timeout=600)
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"


def translations_compiled() -> bool:
    catalogues = list((REPO / "locale").glob("*/LC_MESSAGES/django.po"))
    return all(
        po.with_suffix(".mo").exists()
        and po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime
        for po in catalogues
    )


def wait_until_up(base: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, server.communicate()[1][-3000:]
        try:
            if requests.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or a worker still booting
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer /healthz within {seconds} s")


def test_the_documented_steps_start_a_working_portal(fresh_database, dev_broker, tmp_path):
    port = free_port()
    env = production_env(fresh_database, tmp_path / "static", dev_broker, port)

    refused = manage("check_settings", env=env)
    assert refused.returncode == 1 and "collectstatic" in refused.stderr  # nothing built yet
    step("migrate", "--no-input", "-v0", env=env)
    step("collectstatic", "--no-input", "-v0", env=env)
    if not translations_compiled():
        step("compilemessages", "--ignore=.venv", "--ignore=dev", "-v0", env=env)
    step("check_settings", env=env)
    step("notifications_recover", env=env)
    step("run_worker", "--batch", "--no-startup-delay", env=env)
    with psycopg.connect(psycopg_conninfo(fresh_database)) as database:
        oldest_waiting = database.execute(readme_worker_query()).fetchone()[0]
    assert oldest_waiting is None  # the README's worker check runs, and the queue is empty

    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=REPO,
        env=bare_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, server)

        home = requests.get(f"{base}/", headers=PROXY, timeout=10)
        assert home.status_code == 200
        assert '<html lang="nl"' in home.text
        stylesheet = next(
            part.split('"')[0] for part in home.text.split('href="')[1:] if ".css" in part[:120]
        )
        assert stylesheet.startswith("/static/") and stylesheet.count(".") >= 2  # hashed name
        css = requests.get(f"{base}{stylesheet}", headers=PROXY, timeout=10)
        assert css.status_code == 200 and "immutable" in css.headers["Cache-Control"]

        ready = requests.get(f"{base}/readyz", timeout=10)
        assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"})

        start = requests.get(
            f"{base}/inloggen/digid", headers=PROXY, allow_redirects=False, timeout=10
        )
        assert start.status_code == 302
        location = start.headers["Location"]
        assert location.startswith(dev_broker.discovery["authorization_endpoint"] + "?")
        assert f"redirect_uri=https%3A%2F%2F{HOST}%2Foidc%2Fcallback" in location
        at_broker = requests.get(location, timeout=10)
        assert at_broker.status_code == 200
        assert "/interaction/" in at_broker.url

        # Without the proxy's word that the request came over HTTPS: sent to HTTPS.
        plain = requests.get(f"{base}/", headers={"Host": HOST}, allow_redirects=False, timeout=10)
        assert plain.status_code == 301
        assert plain.headers["Location"] == f"https://{HOST}/"
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors, errors[-3000:]
