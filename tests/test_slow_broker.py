"""A slow broker must not stall the portal: a real gunicorn (config/gunicorn.py, its default
threads) and the development broker answering its token endpoint far slower than OIDC_TIMEOUT.
Several people come back from the broker at once; while the portal waits for the broker on
their behalf, /healthz and the home page still answer at once.

With one thread per worker (the old setting) the same test fails: the waiting logins hold every
worker and the probes wait behind them (GUNICORN_THREADS=1 shows it). So it does when a worker
accepts connections while all its threads are busy (gthread's default worker_connections).
"""

import threading
import time
import urllib.parse

import pytest
import requests

from tests.support.broker import run_broker
from tests.support.oidc_client import Browser, parse
from tests.support.portal_login import DIGID
from tests.support.portal_server import free_port, own_database, portal_env, serving

pytestmark = pytest.mark.django_db

WORKERS = 2
THREADS = 4  # config/gunicorn.py's default
# More people than one worker has threads, and two threads left over in all: every worker is
# busy, and a probe is answered only if a worker with a free thread takes it (config/gunicorn.py
# worker_connections). With a thread per worker, every worker is held.
LOGINS = WORKERS * THREADS - 2
OIDC_TIMEOUT = 8  # above the default (5): room for the probes on a busy machine
BROKER_DELAY_MS = 20_000  # the token endpoint answers long after the portal gives up
# A probe answers in milliseconds on a quiet machine; this leaves room for a busy one and still
# says "not held behind a login", which waits OIDC_TIMEOUT.
PROBE_LIMIT = 3.0
PROBING = 3.0  # seconds of probes, all of it while the logins wait


@pytest.fixture
def slow_portal(tmp_path, django_db_setup):
    from django.db import connection

    with (
        run_broker(env={"BROKER_TOKEN_DELAY_MS": str(BROKER_DELAY_MS)}) as broker,
        own_database(f"{connection.settings_dict['NAME']}_slow", tmp_path) as database_url,
    ):
        port = free_port()
        env = portal_env(
            database_url,
            tmp_path,
            broker,
            port,
            GUNICORN_WORKERS=str(WORKERS),
            OIDC_TIMEOUT=str(OIDC_TIMEOUT),
        )
        with serving(env) as base:
            yield base


def back_from_broker(base: str) -> tuple[Browser, str]:
    """Start a DigiD login and log in at the broker; the callback URL the broker sends back."""
    browser = Browser()
    page = browser.follow(f"{base}/inloggen/digid", stop_at=base)
    assert page.status == 200, page.text[:300]
    form = parse(page.text).forms["digid-form"]
    data = {
        **form["fields"],
        "identity": "digid-burger",
        "level": DIGID["substantieel"],
        "action": "login",
    }
    answer = browser.follow(urllib.parse.urljoin(page.url, form["action"]), data, stop_at=base)
    assert answer.status in (302, 303) and answer.location.startswith(f"{base}/oidc/callback")
    return browser, answer.location


def test_a_slow_broker_leaves_health_and_pages_answering(slow_portal):
    base = slow_portal
    people = [back_from_broker(base) for _ in range(LOGINS)]
    outcomes: list[tuple[int, str, float]] = []  # status, Retry-After, when it came
    go = threading.Barrier(LOGINS + 1)

    def come_back(browser: Browser, callback: str) -> None:
        go.wait()
        answer = browser.request(callback, timeout=OIDC_TIMEOUT * 3)
        outcomes.append((answer.status, answer.headers.get("Retry-After", ""), time.monotonic()))

    threads = [threading.Thread(target=come_back, args=person) for person in people]
    for thread in threads:
        thread.start()
    go.wait()
    time.sleep(0.5)  # every callback is inside the portal now, waiting on the token endpoint
    probes = []  # path, status, seconds it took, when it came
    probing_started = time.monotonic()
    while time.monotonic() - probing_started < PROBING:
        for path in ("/healthz", "/"):
            started = time.monotonic()
            try:
                status = requests.get(f"{base}{path}", timeout=PROBE_LIMIT * 2).status_code
            except requests.Timeout:
                status = 0  # held up: the assertions below say so
            probes.append((path, status, time.monotonic() - started, time.monotonic()))
        time.sleep(0.2)
    for thread in threads:
        thread.join(timeout=OIDC_TIMEOUT * 4)

    assert len(outcomes) == LOGINS
    # Every login got the portal's own page, not a hang or a 500, and only after the last
    # probe: the probes were answered while every login was waiting on the broker.
    assert all(status == 503 and retry for status, retry, _came in outcomes), outcomes
    last_probe = max(came for *_rest, came in probes)
    assert min(came for *_rest, came in outcomes) > last_probe, (outcomes, probes)
    assert {path for path, *_rest in probes} == {"/healthz", "/"}
    assert all(status == 200 for _path, status, *_rest in probes), probes
    assert max(took for _path, _status, took, _came in probes) < PROBE_LIMIT, probes
