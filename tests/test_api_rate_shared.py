"""The API's rate limit with a shared cache: every gunicorn worker counts against one limit.

With the cache in memory each worker process counted on its own (a deployment check warns about
that); with CACHE_URL pointing at Redis, a second process's requests count too.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import environ
import pytest

from config.api import _rate_limit
from config.checks import shared_cache_for_several_workers
from consent.choices import LegalBasis
from core.api_problems import ApiProblem
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller, complete_profile, identificatie

REPO = Path(__file__).resolve().parent.parent
REDIS = "redis://127.0.0.1:6379/15"


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


class Client:  # what the limiter needs of an API client: its id
    def __init__(self, pk: int):
        self.pk = pk


@pytest.fixture
def shared_cache(settings):
    if not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Redis at 127.0.0.1:6379 is needed in CI for the shared rate limit")
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {"default": environ.Env.cache_url_config(REDIS)}
    settings.API_RATE_LIMIT_PER_MINUTE = 5


def _another_worker_asks(client_pk: int, times: int, key_prefix: str = "") -> None:
    code = (
        "import django; django.setup()\n"
        "from config.api import _rate_limit\n"
        f"class Client: pk = {client_pk}\n"
        f"for _ in range({times}): _rate_limit(Client)\n"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "CACHE_URL": REDIS,
        "API_RATE_LIMIT_PER_MINUTE": "5",
        "CACHE_KEY_PREFIX": key_prefix,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _within_one_minute() -> None:
    if time.time() % 60 > 45:  # the count starts again each minute: not across that moment
        time.sleep(61 - time.time() % 60)


def test_two_worker_processes_count_against_one_limit(shared_cache):
    _within_one_minute()
    client = Client(10**9 + secrets.randbelow(10**9))  # a count of its own

    _another_worker_asks(client.pk, 3)
    _rate_limit(client)
    _rate_limit(client)

    with pytest.raises(ApiProblem) as refused:
        _rate_limit(client)
    assert refused.value.status == 429
    assert 0 < int(refused.value.headers["Retry-After"]) <= 60


def test_two_sites_on_one_redis_count_apart_by_their_key_prefix(shared_cache, settings):
    """Acceptance and production share a Redis: a client that used up its limit on one still
    has its whole limit on the other, because each counts under its own CACHE_KEY_PREFIX."""
    _within_one_minute()
    client = Client(10**9 + secrets.randbelow(10**9))  # the same id on both sites
    settings.CACHES = {"default": settings.CACHES["default"] | {"KEY_PREFIX": "acceptatie"}}
    for _ in range(5):
        _rate_limit(client)
    with pytest.raises(ApiProblem):
        _rate_limit(client)

    _another_worker_asks(client.pk, 5, key_prefix="productie")  # none of the five refused

    with pytest.raises(ApiProblem):
        _rate_limit(client)  # and acceptance still counts its own


def test_a_redis_that_does_not_answer_holds_the_api_up_for_a_second_at_most():
    """Accepts connections and never answers (a hung server, a dropped network): the settings
    give CACHE_URL's Redis timeouts, so the count gives up instead of waiting for ever."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the connection; nobody ever reads
        code = (
            "import django, time; django.setup()\n"
            "from core.rate_limit import requests_counted\n"
            "started = time.monotonic()\n"
            "count = requests_counted('api-rate:1:0', timeout=60)\n"
            "print(count, time.monotonic() - started)\n"
        )
        env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "CACHE_URL": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
        }
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert done.returncode == 0, done.stderr[-2000:]
    count, seconds = done.stdout.split()
    assert count == "0" and float(seconds) < 3
    assert "rate limit not counted: the cache cannot be reached" in done.stderr + done.stdout


@pytest.mark.django_db
def test_with_the_cache_down_the_api_answers_without_a_limit(client, settings, caplog):
    settings.CACHES = {"default": environ.Env.cache_url_config("redis://127.0.0.1:9/0")}
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    organisation = make_organisation("Gemeente Aadorp")
    caller = ApiCaller.for_organisation(client, organisation)
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)
    asked = identificatie(complete_profile(make_profile()))

    answers = [caller.zoek(asked, doelbinding).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert "rate limit not counted: the cache cannot be reached" in caplog.text


def test_the_deployment_check_warns_about_a_cache_per_process(settings, monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    settings.CACHES = {"default": environ.Env.cache_url_config("locmemcache://")}
    [warning] = shared_cache_for_several_workers(None)
    assert warning.id == "portal.W001"
    assert "3 times API_RATE_LIMIT_PER_MINUTE" in warning.msg

    settings.CACHES = {"default": environ.Env.cache_url_config(REDIS)}
    assert shared_cache_for_several_workers(None) == []
