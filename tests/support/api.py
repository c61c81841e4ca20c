"""Calling the organisation API the way an organisation's system does: a real token, real HTTP.

Usage::

    caller = ApiCaller.for_organisation(client, organisation)
    response = caller.zoek(bsn(profile), doelbinding)
    assert_problem(response, 403, code="no_consent")
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.test import Client

from consent.clients.services import api_client_confirm, api_client_create
from consent.models import ApiClient, Organisation
from profiles.address.services import postal_address_update
from profiles.models import ContactDetail, Profile
from profiles.preference.services import contact_preference_update
from tests.factories import make_confirmer

API = "/api/profielen/v1"
ZOEK = f"{API}/contactgegevens/_zoek"
BULK = f"{API}/contactgegevens/_bulk"
DOELBINDINGEN = f"{API}/doelbindingen"
OPENAPI = f"{API}/openapi.json"
PROBLEM_JSON = "application/problem+json"
CONFIRMED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
UNKNOWN_BSN = "999999904"  # passes the elfproef; the factories never hand it out


@dataclass
class ApiCaller:
    client: Client
    api_client: ApiClient
    token: str

    @classmethod
    def for_organisation(
        cls,
        client: Client,
        organisation: Organisation,
        name="Zaaksysteem",
        *,
        purposes=None,
        confirmed: bool = True,
    ):
        """A client of the organisation, by default confirmed and tied to all its purposes so
        far (tests.factories.make_doelbinding ties later ones too)."""
        if purposes is None:
            purposes = organisation.doelbindingen.all()
        api_client, token = api_client_create(
            organisation=organisation, name=name, purposes=purposes
        )
        if confirmed:
            api_client_confirm(client=api_client, actor=make_confirmer())
            api_client.refresh_from_db()
        return cls(client, api_client, token)

    def headers(self, **extra) -> dict:
        return {"Authorization": f"Bearer {self.token}", **extra}

    def zoek(self, identificatie: dict, doelbinding, **headers):
        body = {"identificatie": identificatie, "doelbinding": _id(doelbinding)}
        return self.post(ZOEK, body, **headers)

    def bulk(self, identificaties: list[dict], doelbinding, **headers):
        body = {"identificaties": identificaties, "doelbinding": _id(doelbinding)}
        return self.post(BULK, body, **headers)

    def post(self, path: str, body, **headers):
        return self.client.post(
            path, body, content_type="application/json", headers=self.headers(**headers)
        )

    def get(self, path: str, **headers):
        return self.client.get(path, headers=self.headers(**headers))


def _id(doelbinding) -> int:
    return doelbinding if isinstance(doelbinding, int) else doelbinding.pk


def identificatie(profile: Profile) -> dict:
    """The identifier an organisation sends for this profile."""
    identity = profile.identity
    out = {"type": identity.type, "nummer": identity.value}
    if identity.branch:
        out["vestigingsnummer"] = identity.branch
    return out


def bsn(number: str) -> dict:
    return {"type": "bsn", "nummer": number}


def confirmed(profile: Profile, kind: str, value: str, *, at=CONFIRMED_AT) -> ContactDetail:
    """A contact detail as it is after the person typed the code (the flow has its own tests)."""
    return ContactDetail.objects.create(profile=profile, kind=kind, value=value, verified_at=at)


def complete_profile(profile: Profile) -> Profile:
    """A profile with every kind of data an organisation could receive, all confirmed."""
    confirmed(profile, "email", "ondernemer@voorbeeld.nl")
    confirmed(profile, "phone", "+31612345678")
    postal_address_update(
        profile=profile,
        seen_version=0,
        street="Dorpsstraat",
        house_number="12",
        postcode="1234AB",
        city="Testdorp",
    )
    contact_preference_update(profile=profile, preference="digitaal", seen_version=0)
    profile.refresh_from_db()
    return profile


def assert_problem(response, status: int, *, code: str | None = None) -> dict:
    """An RFC 9457 problem with the API's version, as every error of this API must be."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM_JSON
    assert response["API-Version"]
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    if code is not None:
        assert body.get("code") == code, body
    return body


# --- a log that will not take new records --------------------------------------------------

_TABLE = "consent_processingrecord"
_TRIGGER = "apitests_refuse_processing_records"
_FAILING = {
    "sqlite": (
        [
            f"CREATE TRIGGER {_TRIGGER} BEFORE INSERT ON {_TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'log unavailable'); END;"
        ],
        [f"DROP TRIGGER IF EXISTS {_TRIGGER};"],
    ),
    "postgresql": (
        [
            f"CREATE FUNCTION {_TRIGGER}() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'log unavailable'; END; $$ LANGUAGE plpgsql;",
            f"CREATE TRIGGER {_TRIGGER} BEFORE INSERT ON {_TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {_TRIGGER}();",
        ],
        [
            f"DROP TRIGGER IF EXISTS {_TRIGGER} ON {_TABLE};",
            f"DROP FUNCTION IF EXISTS {_TRIGGER}();",
        ],
    ),
}


@contextlib.contextmanager
def log_refuses_writes():
    """The database itself refuses new processing records, as a full disk or lost grant would."""
    up, down = _FAILING[connection.vendor]
    with connection.cursor() as cursor:
        for statement in up:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for statement in down:
                cursor.execute(statement)
