"""Who may call the organisation API and how it says no: tokens, own purposes, rate, problems."""

import time

import pytest
from django.core.cache import cache

from consent.choices import DataField, LegalBasis
from consent.ldv import pseudonym_for
from consent.models import ProcessingRecord
from consent.services import api_client_create, api_client_revoke
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    UNKNOWN_BSN,
    ZOEK,
    ApiCaller,
    assert_problem,
    bsn,
    complete_profile,
    identificatie,
    log_refuses_writes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_minute():
    """The limit counts per clock minute: start far enough from its end to stay inside it."""
    if time.time() % 60 > 55:
        time.sleep(60 - time.time() % 60 + 0.1)


@pytest.fixture
def organisation():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def doelbinding(organisation):
    return make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL}
    )


@pytest.fixture
def caller(client, organisation):
    return ApiCaller.for_organisation(client, organisation)


@pytest.fixture
def person():
    return complete_profile(make_profile())


def body(person, doelbinding) -> dict:
    return {"identificatie": identificatie(person), "doelbinding": doelbinding.pk}


def _revoked(organisation) -> str:
    api_client, token = api_client_create(organisation=organisation, name="Oud systeem")
    api_client_revoke(client=api_client)
    return f"Bearer {token}"


def _inactive_organisation(organisation) -> str:
    closed = make_organisation("Opgeheven Schap", active=False)
    _client, token = api_client_create(organisation=closed, name="Zaaksysteem")
    return f"Bearer {token}"


def _tampered(organisation) -> str:
    # The right prefix with a wrong secret: the row exists, the hash does not match.
    _client, token = api_client_create(organisation=organisation, name="Zaaksysteem")
    return f"Bearer {token[:-4]}XXXX"


AUTHORIZATION = {
    "missing": lambda organisation: None,
    "empty": lambda organisation: "",
    "basic scheme": lambda organisation: "Basic dXNlcjpwYXNz",
    "bearer without token": lambda organisation: "Bearer",
    "malformed token": lambda organisation: "Bearer geen-sleutel",
    "unknown token": lambda organisation: "Bearer moz_0123456789ab_onbekend",
    "tampered token": _tampered,
    "revoked token": _revoked,
    "inactive organisation": _inactive_organisation,
}


@pytest.mark.parametrize("case", AUTHORIZATION)
def test_a_call_without_a_valid_token_is_refused_and_reads_nothing(
    client, case, organisation, doelbinding, person
):
    authorization = AUTHORIZATION[case](organisation)
    headers = {} if authorization is None else {"Authorization": authorization}

    response = client.post(
        ZOEK, body(person, doelbinding), content_type="application/json", headers=headers
    )

    problem = assert_problem(response, 401, code="unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "ondernemer@voorbeeld.nl" not in response.content.decode()
    assert problem["instance"] == ZOEK
    assert not ProcessingRecord.objects.exists()


def test_a_token_works_until_it_is_revoked(client, organisation, doelbinding, person):
    caller = ApiCaller.for_organisation(client, organisation)
    assert caller.zoek(identificatie(person), doelbinding).status_code == 200

    api_client_revoke(client=caller.api_client)

    assert_problem(caller.zoek(identificatie(person), doelbinding), 401)
    assert ProcessingRecord.objects.count() == 1


def test_a_purpose_of_another_organisation_cannot_be_used(client, doelbinding, person):
    other = make_organisation("Gemeente Beedorp")
    caller = ApiCaller.for_organisation(client, other)

    response = caller.zoek(identificatie(person), doelbinding)

    assert_problem(response, 403, code="wrong_organisation")
    assert "ondernemer@voorbeeld.nl" not in response.content.decode()
    # The number was received, so the attempt is in the log: refused, under no purpose.
    record = ProcessingRecord.objects.get()
    assert (record.organisation, record.outcome, record.reason) == (
        other,
        "refused",
        "wrong_organisation",
    )
    assert record.subject_pseudonym == pseudonym_for(person.identity)
    assert (record.doelbinding_version, record.fields) == (None, "")
    assert record.activity_id.endswith("/verwerkingsactiviteiten/verzoek-zonder-eigen-doelbinding")


def test_a_purpose_that_does_not_exist_gets_the_same_answer_as_another_organisations(
    client, organisation, doelbinding, person
):
    theirs = make_doelbinding(make_organisation("Gemeente Beedorp"))
    caller = ApiCaller.for_organisation(client, organisation)

    foreign = caller.zoek(identificatie(person), theirs).json()
    missing = caller.zoek(identificatie(person), theirs.pk + 1000).json()

    assert foreign == missing


def test_the_list_of_purposes_shows_only_the_organisations_own(client, organisation, doelbinding):
    make_doelbinding(make_organisation("Gemeente Beedorp"), name="Van een ander")
    caller = ApiCaller.for_organisation(client, organisation)

    response = caller.get("/api/profielen/v1/doelbindingen")

    assert response.status_code == 200
    assert [d["id"] for d in response.json()] == [doelbinding.pk]
    assert response.json()[0]["grondslag"] == "wettelijke_taak"


def test_past_the_rate_limit_the_caller_is_told_when_to_come_back(
    client, settings, organisation, doelbinding, person, one_minute
):
    settings.API_RATE_LIMIT_PER_MINUTE = 3
    caller = ApiCaller.for_organisation(client, organisation)

    answers = [caller.zoek(identificatie(person), doelbinding) for _ in range(4)]

    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert_problem(answers[3], 429, code="rate_limited")
    assert 1 <= int(answers[3]["Retry-After"]) <= 60
    # The refused fourth call never reached the person's data.
    assert ProcessingRecord.objects.count() == 3


def test_the_rate_limit_counts_per_client(
    client, settings, organisation, doelbinding, person, one_minute
):
    settings.API_RATE_LIMIT_PER_MINUTE = 1
    first = ApiCaller.for_organisation(client, organisation, name="Eerste")
    second = ApiCaller.for_organisation(client, organisation, name="Tweede")

    assert first.zoek(identificatie(person), doelbinding).status_code == 200
    assert first.zoek(identificatie(person), doelbinding).status_code == 429
    assert second.zoek(identificatie(person), doelbinding).status_code == 200


# --- every answer speaks problem+json and names the version -------------------------------


BAD_BODIES = {
    "not json": ("{nee", "body"),
    "no identifier": ({"doelbinding": 1}, "identificatie"),
    "unknown type": (
        {"identificatie": {"type": "pin", "nummer": "1"}, "doelbinding": 1},
        "identificatie.type",
    ),
    "purpose not a number": (
        {"identificatie": {"type": "bsn", "nummer": UNKNOWN_BSN}, "doelbinding": "een"},
        "doelbinding",
    ),
}


@pytest.mark.parametrize("case", BAD_BODIES)
def test_bad_input_says_which_field_and_why(caller, case):
    data, field = BAD_BODIES[case]

    response = caller.post(ZOEK, data)

    problem = assert_problem(response, 400)
    names = [p["name"] for p in problem["invalidParams"]]
    assert all(p["reason"] for p in problem["invalidParams"])
    assert field in names


def test_every_answer_carries_the_api_version(client, settings, caller, organisation, person):
    legal = make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)
    consent = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)
    answers = {
        200: caller.zoek(identificatie(person), legal),
        400: caller.zoek(bsn("123"), legal),
        401: client.post(ZOEK, {}),
        403: caller.zoek(identificatie(person), consent),
        404: caller.zoek(bsn(UNKNOWN_BSN), legal),
    }
    with log_refuses_writes():
        answers[503] = caller.zoek(identificatie(person), legal)
    settings.API_RATE_LIMIT_PER_MINUTE = 0
    answers[429] = caller.zoek(identificatie(person), legal)

    for status, response in answers.items():
        assert response.status_code == status
        assert response["API-Version"] == "1.0.0"
        if status >= 400:
            assert_problem(response, status)
    assert answers[200]["Content-Type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/api/profielen/v1/bestaat-niet", 404),
        ("get", "/api/profielen/v1/doelbindingen/", 404),
        ("get", ZOEK, 405),
        ("delete", "/api/profielen/v1/doelbindingen", 405),
    ],
)
def test_an_unknown_address_or_method_is_a_problem_not_a_web_page(caller, method, path, status):
    response = getattr(caller.client, method)(path, headers=caller.headers())

    problem = assert_problem(response, status)
    assert problem["instance"] == path
    assert "<html" not in response.content.decode()
    if status == 405:
        assert response["Allow"]
