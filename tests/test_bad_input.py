"""Bad input never gives a 5xx: every URL the configuration has, sent oversized, NUL-bearing,
invalid UTF-8, overfull and wrongly typed input, as a visitor, as a logged-in person, as staff
and as an API client. Every form the pages show, with its own fields: test_bad_input_forms.py."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from tests.factories import make_organisation
from tests.support.api import ApiCaller
from tests.support.urls import every_path

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
BAD_VALUES = [NUL, "x" * 5000, "-1", "999999999999999999999", "../%00"]


PATHS = every_path()


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


FIELDS = ("q", "pagina", "note", "email", "organisatie", "seen_version", "value", "code")


def _server_errors(client, path, **extra) -> list[tuple]:
    """What went wrong with 5xx, as (what was sent, path, status)."""
    errors = []

    def check(what, response):
        if response.status_code >= 500:
            errors.append((what, path, response.status_code))

    for value in BAD_VALUES:
        data = dict.fromkeys(FIELDS, value)
        check(("get", value[:12]), client.get(path, data, **extra))
        check(("post", value[:12]), client.post(path, data, **extra))
    form = "application/x-www-form-urlencoded"
    # A body over the upload limit, one that is no UTF-8 at all, and JSON with a NUL.
    check("big", client.post(path, b"x=" + b"y" * 3_000_000, content_type=form, **extra))
    check("not utf-8", client.post(path, b"note=\xff\xfe%00", content_type=form, **extra))
    many = b"&".join(b"f%d=1" % i for i in range(1001))  # DATA_UPLOAD_MAX_NUMBER_FIELDS
    check("too many fields", client.post(path, many, content_type=form, **extra))
    check(
        "json nul", client.post(path, b'{"a": "\\u0000"}', content_type="application/json", **extra)
    )
    return errors


def test_a_visitor_never_gets_a_server_error(client):
    errors = [e for path in PATHS for e in _server_errors(client, path)]
    assert not errors


def test_a_logged_in_person_never_gets_a_server_error(client, login):
    login()
    # Logging out last: the rest is tried while logged in.
    paths = sorted(PATHS, key=lambda path: path.startswith("/uitloggen"))
    errors = [e for path in paths for e in _server_errors(client, path)]
    assert not errors


def test_staff_never_get_a_server_error(client):
    client.force_login(User.objects.create_superuser("beheer", password=None))
    errors = [e for path in PATHS for e in _server_errors(client, path)]
    assert not errors


def test_an_api_client_never_gets_a_server_error(client):
    caller = ApiCaller.for_organisation(client, make_organisation("Gemeente Aadorp"))
    api = [path for path in PATHS if path.startswith("/api/")]
    errors = [e for path in api for e in _server_errors(client, path, headers=caller.headers())]
    assert not errors


# --- the organisation API says what is wrong with a body ------------------------------------


@pytest.fixture
def caller(client):
    return ApiCaller.for_organisation(client, make_organisation("Gemeente Aadorp"))


MELDINGEN = "/api/profielen/v1/meldingen"


def test_an_api_body_over_the_limit_is_413_problem(client, caller, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = b'{"onderwerp": "' + b"x" * 2000 + b'"}'

    response = client.post(
        MELDINGEN, body, content_type="application/json", headers=caller.headers()
    )

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/problem+json")
    assert "1000 bytes" in response.json()["detail"]


def test_an_api_body_that_is_not_json_is_415_problem(client, caller):
    response = client.post(
        MELDINGEN, b'{"a": 1}', content_type="text/plain", headers=caller.headers()
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_a_nul_character_in_an_api_text_is_400_with_the_fields_named(client, caller):
    body = {
        "doelbinding": 1,
        "soort": "statuswijziging",
        "onderwerp": "Uw aanvraag\u0000",
        "tekst": "Goed",
        "idempotentieSleutel": "k\u00001",
        "ontvanger": {"type": "bsn", "nummer": "111222333"},
        "onbekendVeld": "niet\u0000gebruikt",  # a field no schema knows is ignored
    }

    response = client.post(
        MELDINGEN, body, content_type="application/json", headers=caller.headers()
    )

    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"onderwerp", "idempotentieSleutel"}


def test_without_a_token_a_wrong_body_is_still_401(client):
    response = client.post(MELDINGEN, b"x", content_type="text/plain")

    assert response.status_code == 401
