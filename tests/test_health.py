import json

import pytest

from tests.support.portal_process import PRODUCTION_ENV, python


def test_healthz_says_the_process_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_says_ready_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readyz_answers_503_when_the_database_is_unreachable():
    # A real portal process pointed at a PostgreSQL port where nothing listens.
    code = (
        "import django; django.setup(); "
        "from django.test import Client; r = Client().get('/readyz'); "
        "print(r.status_code); print(r.content.decode())"
    )
    env = PRODUCTION_ENV | {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/portal?connect_timeout=2",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_HTTPS": "false",
        "LOG_LEVEL": "CRITICAL",
    }
    result = python(code, env)
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "503", result.stderr
    assert json.loads(body) == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_at_an_address_not_among_the_allowed_hosts(client, settings, path):
    """The image's HEALTHCHECK asks 127.0.0.1; an orchestrator asks the container's address."""
    settings.ALLOWED_HOSTS = ["portaal.example.nl"]
    settings.DEBUG = False

    response = client.get(path, HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_page_at_a_host_not_allowed_is_still_refused(client, settings):
    settings.ALLOWED_HOSTS = ["portaal.example.nl"]
    settings.DEBUG = False

    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400
