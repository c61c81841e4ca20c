"""Consent receipts (ISO/IEC TS 27560 fields): a page and JSON per consent given or withdrawn,
matching the consent record; the history links to each; only the person's own."""

import pytest
from django.conf import settings

from consent.models import Consent
from consent.receipts.build import receipt_id
from consent.services import consent_give
from tests.factories import make_doelbinding, make_organisation, make_profile

pytestmark = pytest.mark.django_db

HISTORY = "/toestemmingen/geschiedenis"


@pytest.fixture
def given(client, login):
    profile = login()
    organisation = make_organisation("Waterschap Receptdorp")
    organisation.email = "privacy@waterschap.example"
    organisation.save()
    purpose = make_doelbinding(organisation, name="Nieuwsbrief over dijken")
    response = client.post(
        f"/toestemmingen/{purpose.pk}/geven", {"version": purpose.current_version.pk}
    )
    assert response.status_code == 302
    return Consent.objects.get(profile=profile)


def test_the_json_receipt_matches_the_consent_record(client, given):
    response = client.get(f"/toestemmingen/bewijs/{given.pk}/given.json")

    assert response.status_code == 200
    receipt = response.json()
    version, organisation = given.version, given.doelbinding.organisation
    assert receipt["record_id"] == receipt_id(given, "given")
    assert receipt["record_id"].startswith("urn:uuid:")
    assert receipt["event"] == "given" and receipt["state"] == "active"
    assert receipt["event_time"] == given.given_at.isoformat()
    assert receipt["controller"] == {
        "name": "Waterschap Receptdorp",
        "oin": organisation.oin,
        "contact_email": "privacy@waterschap.example",
        "website": "",
    }
    assert receipt["purpose"]["name"] == version.name == "Nieuwsbrief over dijken"
    assert receipt["purpose"]["text"] == version.description
    assert receipt["purpose"]["version"] == version.number
    assert receipt["legal_basis"]["code"] == "toestemming"
    assert receipt["legal_basis"]["article"] == "GDPR art. 6(1)(a)"
    assert receipt["personal_data"] == ["email"]
    assert receipt["retention"] == version.retention
    assert receipt["withdrawal"]["url"].endswith(f"/toestemmingen/{given.doelbinding_id}/intrekken")
    assert receipt["recorder"] == {"name": "Mijn Omgeving Zakelijk", "url": settings.SITE_URL}
    assert client.get(f"/toestemmingen/bewijs/{given.pk}/withdrawn.json").status_code == 404


def test_withdrawing_gives_a_second_receipt_and_the_history_links_to_both(client, given):
    history = client.get(HISTORY).content.decode()
    assert f"/toestemmingen/bewijs/{given.pk}/given" in history
    assert f"/toestemmingen/bewijs/{given.pk}/withdrawn" not in history

    client.post(f"/toestemmingen/{given.doelbinding_id}/intrekken")

    history = client.get(HISTORY).content.decode()
    assert f"/toestemmingen/bewijs/{given.pk}/withdrawn" in history
    receipt = client.get(f"/toestemmingen/bewijs/{given.pk}/withdrawn.json").json()
    given.refresh_from_db()
    assert receipt["event"] == "withdrawn" and receipt["state"] == "withdrawn"
    assert receipt["event_time"] == given.withdrawn_at.isoformat()
    assert receipt["record_id"] != receipt_id(given, "given")
    page = client.get(f"/toestemmingen/bewijs/{given.pk}/withdrawn").content.decode()
    assert "Bewijs: u trok uw toestemming in" in page
    assert receipt["record_id"] in page


def test_the_receipt_page_shows_every_field(client, given, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(f"/toestemmingen/bewijs/{given.pk}/given")

    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        receipt_id(given, "given"),
        "Waterschap Receptdorp",
        given.doelbinding.organisation.oin,
        "Nieuwsbrief over dijken",
        given.version.description,
        given.version.retention,
        "Trek deze toestemming in op deze website",
        "Mijn Omgeving Zakelijk",
        "e-mailadres",
    ):
        assert text in html, text


def test_only_the_persons_own_receipts(client, given):
    other = make_profile()
    purpose = make_doelbinding(make_organisation("Elders"), name="Niet van u")
    theirs = consent_give(profile=other, doelbinding=purpose, version_id=purpose.current_version.pk)

    assert client.get(f"/toestemmingen/bewijs/{theirs.pk}/given").status_code == 404
    assert client.get(f"/toestemmingen/bewijs/{theirs.pk}/given.json").status_code == 404
