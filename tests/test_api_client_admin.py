"""API clients in the staff admin: made for one's own organisation, the token shown only once."""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session

from consent.models import ApiClient
from consent.services import api_client_create, api_client_for_token
from tests.factories import make_organisation
from tests.test_consent_admin import make_staff, make_superuser, url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"moz_[0-9a-f]{12}_[A-Za-z0-9_-]+")
SHOWN_ONCE = "Kopieer deze sleutel nu. U ziet hem hierna niet meer."


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def beedorp():
    return make_organisation("Gemeente Beedorp")


@pytest.fixture
def staff(client, aadorp):
    user = make_staff(aadorp)
    client.force_login(user)
    return user


def stored_anywhere(text: str) -> bool:
    """Whether the text is in any row of any table, sessions decoded."""
    for model in apps.get_models():
        for row in model.objects.values_list():
            if text in str(row):
                return True
    return any(text in str(session.get_decoded()) for session in Session.objects.all())


def test_the_token_is_shown_once_and_only_its_hash_is_stored(client, staff, aadorp):
    response = client.post(url("apiclient", "add"), {"organisation": aadorp.pk, "name": "Zaken"})

    assert response.status_code == 200
    page = response.content.decode()
    assert SHOWN_ONCE in page
    assert "no-store" in response["Cache-Control"]
    token = TOKEN.search(page).group()
    client_row = ApiClient.objects.get()
    assert (client_row.organisation, client_row.name) == (aadorp, "Zaken")
    assert api_client_for_token(token) == client_row
    assert not stored_anywhere(token)
    for later in (url("apiclient"), url("apiclient", "change", client_row.pk)):
        shown = client.get(later).content.decode()
        assert client_row.token_prefix in shown
        assert token not in shown


def test_staff_cannot_make_a_client_for_another_organisation(client, staff, beedorp):
    response = client.post(url("apiclient", "add"), {"organisation": beedorp.pk, "name": "Nep"})

    assert response.status_code == 200
    assert not TOKEN.search(response.content.decode())
    assert not ApiClient.objects.exists()


def test_staff_see_only_their_own_organisations_clients(client, staff, aadorp, beedorp):
    api_client_create(organisation=aadorp, name="Zaaksysteem Aadorp")
    theirs, _token = api_client_create(organisation=beedorp, name="Zaaksysteem Beedorp")

    listed = client.get(url("apiclient")).content.decode()

    assert "Zaaksysteem Aadorp" in listed
    assert "Zaaksysteem Beedorp" not in listed
    assert "Gemeente Beedorp" not in listed
    assert client.get(url("apiclient", "change", theirs.pk)).status_code == 404


def test_revoking_a_client_stops_its_token_at_once(client, staff, aadorp, beedorp):
    ours, token = api_client_create(organisation=aadorp, name="Oud systeem")
    theirs, their_token = api_client_create(organisation=beedorp, name="Ander systeem")

    response = client.post(
        url("apiclient"), {"action": "revoke", "_selected_action": [ours.pk, theirs.pk]}
    )

    assert response.status_code == 302
    assert api_client_for_token(token) is None
    assert api_client_for_token(their_token) == theirs  # not in scope: left alone
    ours.refresh_from_db()
    assert ours.revoked_at is not None


def test_nobody_deletes_a_client_in_the_admin(client, staff, aadorp):
    ours, token = api_client_create(organisation=aadorp, name="Blijft")

    response = client.post(url("apiclient", "delete", ours.pk), {"post": "yes"})

    assert response.status_code == 403
    assert api_client_for_token(token) == ours


def test_a_superuser_makes_a_client_for_any_organisation(client, beedorp):
    client.force_login(make_superuser())

    response = client.post(
        url("apiclient", "add"), {"organisation": beedorp.pk, "name": "Koppeling"}
    )

    token = TOKEN.search(response.content.decode()).group()
    assert api_client_for_token(token).organisation == beedorp
