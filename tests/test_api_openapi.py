"""The published OpenAPI document: NL GOV API Design Rules (Spectral) and the API keeping to it.

Spectral is the Logius linter with the Logius ruleset; schemathesis sends generated requests to
the real WSGI application and checks every answer against the document.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from consent.choices import DataField, LegalBasis
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    API,
    OPENAPI,
    UNKNOWN_BSN,
    ApiCaller,
    bsn,
    complete_profile,
    identificatie,
)

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[1]
SPECTRAL_DIR = REPO / "dev" / "spectral"
SPECTRAL = SPECTRAL_DIR / "node_modules" / ".bin" / "spectral"
# CI checks the shared standards out beside the repository.
RULESET = REPO.parent / "shared" / "standards" / "adr-ruleset.yaml"
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
)
ERROR = 0  # Spectral's severities in its JSON output: 0 error, 1 warning, 2 info, 3 hint


def missing(what: str):
    """Locally a missing tool is skipped; in CI it is a failure, never a silent pass."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing in CI")
    pytest.skip(f"{what} is missing")


def document(client) -> dict:
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.json()


def test_the_document_is_openapi_3_with_a_contact_and_a_semver_version(client):
    doc = document(client)

    assert doc["openapi"].startswith("3.")
    assert {"name", "email", "url"} <= doc["info"]["contact"].keys()
    assert all(doc["info"]["contact"].values())
    assert SEMVER.match(doc["info"]["version"])
    assert doc["servers"][0]["url"].endswith(API)


def test_every_path_in_the_document_is_where_the_api_answers(client):
    """Server URL plus path is the address a client calls: it must not be a 404."""
    doc = document(client)
    base = urlsplit(doc["servers"][0]["url"]).path

    for path, operations in doc["paths"].items():
        for method in operations:
            response = client.generic(method.upper(), f"{base}{path}")
            assert response.status_code == 401, (method, path, response.status_code)


def spectral_findings(doc: dict, tmp_path: Path) -> list[dict]:
    if not RULESET.is_file():
        missing(f"the API Design Rules ruleset ({RULESET})")
    if not SPECTRAL.exists():
        npm = shutil.which("npm")
        if npm is None:
            missing("npm, to install Spectral")
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SPECTRAL_DIR,
            check=True,
            timeout=600,
        )
    node = shutil.which("node")
    if node is None:
        missing("node, to run Spectral")
    target = tmp_path / "openapi.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    result = subprocess.run(
        [node, str(SPECTRAL), "lint", "-r", str(RULESET), str(target), "-f", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().startswith("["), result.stdout + result.stderr
    return json.loads(result.stdout)


def test_the_document_keeps_the_api_design_rules(client, tmp_path):
    findings = spectral_findings(document(client), tmp_path)

    for finding in findings:
        where = ".".join(str(p) for p in finding["path"])
        print(f"spectral {finding['severity']} {finding['code']} {where}: {finding['message']}")
    errors = [f for f in findings if f["severity"] == ERROR]
    assert errors == [], errors


# --- schemathesis: generated requests against the real application ------------------------


def wsgi_app():
    """Django as a WSGI server runs it, but kept on the test's database connection.

    A server closes the connection around each request; in a test that would end the test's
    transaction, so those receivers sit out each request, as in Django's own test client.
    """
    handler = WSGIHandler()

    def app(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()  # sends request_finished
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return app


@pytest.fixture
def caller_with_data(client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 100_000
    settings.API_DAILY_VOLUME_PER_PURPOSE = 1_000_000
    cache.clear()
    organisation = make_organisation("Gemeente Aadorp")
    doelbinding = make_doelbinding(
        organisation,
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.PHONE, DataField.POSTAL_ADDRESS},
    )
    make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT, name="Nieuwsbrief")
    person = complete_profile(make_profile())
    return ApiCaller.for_organisation(client, organisation), doelbinding, person


@pytest.fixture
def api_schema(client, caller_with_data):
    schema = schemathesis.openapi.from_dict(document(client))
    schema.app = wsgi_app()
    return schema


# JSON Schema cannot say "passes the elfproef" or "resolves to a public address": a well-shaped
# number that fails it (400 invalid_identifier) and a callback address that cannot be reached
# from the internet (400 address_refused) are the schema-valid requests the API may refuse.
# Any other refusal of valid data is a mismatch between document and code.
REFUSED_THOUGH_VALID = {"invalid_identifier", "address_refused"}
POSITIVE, NEGATIVE = schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE


@pytest.mark.parametrize("mode", [POSITIVE, NEGATIVE], ids=["valid input", "invalid input"])
def test_the_api_keeps_to_its_document(api_schema, caller_with_data, mode):
    """No 5xx, and every answer (status, headers, body) as the document promises."""
    caller, doelbinding, _person = caller_with_data
    operations = [result.ok() for result in api_schema.get_all_operations()]
    methods = ("get", "post", "put", "patch", "delete")
    paths = api_schema.raw_schema["paths"].values()
    documented = [method for item in paths for method in item if method in methods]
    assert len(operations) == len(documented) >= 5

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        # Exploring anew on every developer run; the same examples every CI run, so a landing
        # is decided by the code, not by the draw.
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
            derandomize=os.environ.get("CI", "").lower() == "true",
        )
        def keeps_to_the_document(case):
            if isinstance(case.body, dict) and isinstance(case.body.get("doelbinding"), int):
                case.body["doelbinding"] = doelbinding.pk  # a purpose that exists: reads happen
            response = case.call_and_validate(
                headers=caller.headers(), excluded_checks=[positive_data_acceptance]
            )
            if mode == POSITIVE and response.status_code == 400:
                assert response.json()["code"] in REFUSED_THOUGH_VALID, response.text

        keeps_to_the_document()


def test_real_reads_keep_to_the_document(client, api_schema, caller_with_data):
    """Generated numbers hardly ever name someone: these reads do, so data is checked too."""
    caller, doelbinding, person = caller_with_data
    one = api_schema["/contactgegevens/_zoek"]["POST"].Case(
        body={"identificatie": identificatie(person), "doelbinding": doelbinding.pk}
    )
    many = api_schema["/contactgegevens/_bulk"]["POST"].Case(
        body={
            "identificaties": [identificatie(person), bsn(UNKNOWN_BSN)],
            "doelbinding": doelbinding.pk,
        }
    )

    found = one.call_and_validate(headers=caller.headers())
    both = many.call_and_validate(headers=caller.headers())

    assert found.status_code == 200
    assert found.json()["postadres"]["regels"] == ["Dorpsstraat 12", "1234 AB Testdorp"]
    assert [r["status"] for r in both.json()["resultaten"]] == [200, 404]


def test_the_document_names_the_four_eyes_answers(client):
    """An unconfirmed client (403) and the daily volume (429) are documented on every read."""
    doc = document(client)

    for path in ("/contactgegevens/_zoek", "/contactgegevens/_bulk", "/doelbindingen"):
        for operation in doc["paths"][path].values():
            responses = operation["responses"]
            assert "403" in responses and "429" in responses, path
            assert "application/problem+json" in responses["429"]["content"]
    bulk = doc["paths"]["/contactgegevens/_bulk"]["post"]["responses"]
    assert "daily_volume_exceeded" in bulk["429"]["description"]
