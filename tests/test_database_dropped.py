"""When PostgreSQL drops the portal's connection: one clear 503, then it answers again.

The portal does not ask the database "are you there?" before every request (a round trip on
every API read); a connection the server closed is found by the first query that uses it.
That request gets a 503 (a problem for the API, a B1 page for people), never a 500.
"""

import json

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

from consent.choices import DataField, LegalBasis
from core import sql
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ZOEK, ApiCaller, complete_profile, identificatie

pytestmark = [
    # "__all__": also the connection the API's statements run on (core/sql.py), if there is one.
    pytest.mark.django_db(transaction=True, databases="__all__"),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs a database server that can drop us"
    ),
]


def _server_drops(db) -> None:
    ours = db.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [ours])


def _served(request) -> tuple[int, dict, bytes]:
    """One request the way gunicorn serves it: Django's WSGI handler, then close(), which is
    when Django lets go of a broken connection (the test client skips that step)."""
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(headers)

    result = WSGIHandler()(request.environ, start_response)
    try:
        content = b"".join(result)
    finally:
        result.close()
    return answer["status"], answer["headers"], content


def _api_read(caller: ApiCaller, body: dict) -> tuple[int, dict, dict]:
    request = RequestFactory().post(
        ZOEK, json.dumps(body), content_type="application/json", headers=caller.headers()
    )
    status, headers, content = _served(request)
    return status, headers, json.loads(content)


def test_a_dropped_connection_costs_one_request_a_503_and_the_next_is_answered(client):
    organisation = make_organisation("Gemeente Aadorp")
    caller = ApiCaller.for_organisation(client, organisation)
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL}
    )
    body = {
        "identificatie": identificatie(complete_profile(make_profile())),
        "doelbinding": doelbinding.pk,
    }
    assert _api_read(caller, body)[0] == 200

    _server_drops(sql.database())  # the connection the read's statements run on

    status, headers, problem = _api_read(caller, body)
    assert (status, problem["code"], headers["Retry-After"]) == (503, "database_unavailable", "60")
    assert headers["Content-Type"] == "application/problem+json"
    status, _headers, answer = _api_read(caller, body)
    assert status == 200
    assert answer["emailadres"]["waarde"]


def test_a_person_gets_a_page_that_says_to_try_again_in_a_minute(client):
    client.force_login(make_profile().user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page = RequestFactory().get("/mijn-gegevens", HTTP_COOKIE=f"{cookie.key}={cookie.value}")
    assert _served(page)[0] != 503

    _server_drops(connection)

    status, headers, content = _served(page)
    text = content.decode()
    assert (status, headers["Retry-After"]) == (503, "60")
    assert "<h1>Deze website is even niet beschikbaar</h1>" in text
    assert "Probeer het over een minuut opnieuw." in text
    assert _served(page)[0] in (200, 302)
