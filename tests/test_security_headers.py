import pytest

PAGES = ["/", "/inloggen", "/hulp", "/privacy", "/toegankelijkheid", "/bestaat-niet", "/healthz"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers_are_on_every_page(client, path, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(path, secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.django_db
def test_a_form_sent_without_a_valid_token_gets_a_clear_page_and_nothing_happens():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/uitloggen")
    assert response.status_code == 403
    assert "Wij konden uw formulier niet verwerken" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*PAGES, "/api/profielen/v1/openapi.json"])
def test_every_answer_says_no_page_may_use_camera_microphone_or_location(client, path):
    policy = client.get(path)["Permissions-Policy"]

    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/hulp", "/api/profielen/v1/openapi.json"])
def test_public_pages_may_be_kept_by_the_browser(client, path):
    assert "no-store" not in client.get(path).get("Cache-Control", "")


@pytest.mark.django_db
def test_no_page_with_a_persons_data_may_be_kept(client, login):
    from notifications.choices import MessageKind
    from notifications.inbox_services import inbox_message_create

    profile = login()
    message = inbox_message_create(
        profile=profile, kind=MessageKind.SECURITY, subject="Uw e-mailadres", body="Gewijzigd"
    )

    for path in [
        "/mijn-gegevens",
        "/mijn-gegevens/wijzigingen",
        "/berichten",
        f"/berichten/{message.pk}",
        "/toestemmingen",
        "/wie-gebruikte-mijn-gegevens",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


@pytest.mark.django_db
def test_no_api_answer_with_contact_details_may_be_kept(client):
    from consent.choices import DataField, LegalBasis
    from tests.factories import make_doelbinding, make_organisation, make_profile
    from tests.support.api import ApiCaller, complete_profile, identificatie

    organisation = make_organisation("Gemeente Aadorp")
    purpose = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL}
    )
    person = complete_profile(make_profile())

    response = ApiCaller.for_organisation(client, organisation).zoek(identificatie(person), purpose)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_policy_built_once_is_django_csps_and_follows_a_change_of_the_setting(client, settings):
    from csp.utils import build_policy

    from config.integrations.csp import content_security_policy

    assert client.get("/")["Content-Security-Policy"] == build_policy()
    settings.CONTENT_SECURITY_POLICY = content_security_policy(form_targets=["https://a.example"])

    policy = client.get("/")["Content-Security-Policy"]

    assert "form-action 'self' https://a.example" in policy
    assert policy == build_policy()
