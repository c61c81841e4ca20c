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
