"""API clients: confirmed by a second person, tied to purposes, the token shown once."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.utils import translation

from consent.choices import LegalBasis, Reason
from consent.clients.services import (
    CONFIRM_OUTSIDER,
    CONFIRM_OWN,
    CONFIRM_OWN_PURPOSE,
    OTHER_ORGANISATIONS_PURPOSE,
    TOKEN_ALREADY_SHOWN,
    api_client_confirm,
    api_client_create,
    api_client_purpose_add,
    api_client_token_issue,
)
from consent.models import ApiClient, ApiClientPurpose
from core.api_problems import ProblemCode
from tests.factories import make_confirmer, make_doelbinding, make_organisation, make_profile
from tests.support.api import DOELBINDINGEN, ApiCaller, assert_problem, identificatie
from tests.test_consent_admin import make_staff, url

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"moz_[0-9a-f]{12}_[A-Za-z0-9_-]+")


def said(message, response) -> bool:
    with translation.override("nl"):
        return str(message) in html.unescape(response.content.decode())


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def maker(aadorp):
    return make_staff(aadorp, username="maker")


@pytest.fixture
def colleague(aadorp):
    return make_staff(aadorp, username="collega")


def test_a_client_works_only_after_someone_else_confirms_it(client, aadorp, maker, colleague):
    purpose = make_doelbinding(aadorp)
    api_client, token = api_client_create(
        organisation=aadorp, name="Zaken", created_by=maker, purposes=[purpose]
    )
    caller = ApiCaller(client, api_client, token)

    assert_problem(
        caller.zoek(identificatie(make_profile()), purpose),
        403,
        code=ProblemCode.CLIENT_NOT_CONFIRMED,
    )
    with pytest.raises(ValidationError) as refused:
        api_client_confirm(client=api_client, actor=maker)
    assert refused.value.messages == [str(CONFIRM_OWN)]
    outsider = make_staff(make_organisation("Gemeente Beedorp"), username="buiten")
    with pytest.raises(ValidationError) as refused:
        api_client_confirm(client=api_client, actor=outsider)
    assert refused.value.messages == [str(CONFIRM_OUTSIDER)]

    api_client_confirm(client=api_client, actor=colleague)

    assert caller.get(DOELBINDINGEN).status_code == 200


def test_the_api_refuses_a_purpose_not_tied_to_the_client(client, aadorp):
    tied = make_doelbinding(aadorp, name="Gekoppeld")
    caller = ApiCaller.for_organisation(client, aadorp, purposes=[tied])
    untied = make_doelbinding(
        aadorp, name="Niet gekoppeld", legal_basis=LegalBasis.LEGAL_TASK, for_clients=False
    )
    person = make_profile()

    assert_problem(
        caller.zoek(identificatie(person), untied), 403, code=Reason.PURPOSE_NOT_FOR_CLIENT
    )
    assert_problem(
        caller.bulk([identificatie(person)], untied), 403, code=Reason.PURPOSE_NOT_FOR_CLIENT
    )
    listed = [row["naam"] for row in caller.get(DOELBINDINGEN).json()]
    assert listed == ["Gekoppeld"]

    api_client_purpose_add(client=caller.api_client, doelbinding=untied, actor=None)
    api_client_confirm(client=caller.api_client, actor=make_confirmer())
    assert caller.zoek(identificatie(person), untied).status_code == 200


def test_a_purpose_of_another_organisation_is_never_tied(aadorp):
    api_client, _token = api_client_create(organisation=aadorp, name="Zaken")
    theirs = make_doelbinding(make_organisation("Gemeente Beedorp"))

    with pytest.raises(ValidationError) as refused:
        api_client_purpose_add(client=api_client, doelbinding=theirs, actor=None)
    assert refused.value.messages == [str(OTHER_ORGANISATIONS_PURPOSE)]


def test_the_token_is_issued_once_for_a_client_whose_maker_could_not_see_it(aadorp):
    api_client, thrown_away = api_client_create(organisation=aadorp, name="Z", token_shown=False)

    token = api_client_token_issue(client=api_client)

    assert token != thrown_away
    with pytest.raises(ValidationError) as refused:
        api_client_token_issue(client=api_client)
    assert refused.value.messages == [str(TOKEN_ALREADY_SHOWN)]


# --- the admin -----------------------------------------------------------------------------


def test_a_colleague_confirms_the_client_in_the_admin(client, aadorp, maker, colleague):
    purpose = make_doelbinding(aadorp)
    client.force_login(maker)
    made = client.post(
        url("apiclient", "add"),
        {"organisation": aadorp.pk, "name": "Zaken", "purposes": [purpose.pk]},
    )
    assert TOKEN.search(made.content.decode())
    api_client = ApiClient.objects.get()
    assert list(api_client.purposes.all()) == [purpose]
    assert api_client.created_by == maker

    own = client.post(
        url("apiclient"), {"action": "confirm", "_selected_action": [api_client.pk]}, follow=True
    )
    assert said(CONFIRM_OWN, own)
    client.force_login(colleague)
    client.post(url("apiclient"), {"action": "confirm", "_selected_action": [api_client.pk]})

    api_client.refresh_from_db()
    assert (api_client.confirmed_by, api_client.confirmed_at is not None) == (colleague, True)


def test_each_step_is_its_own_permission(client, aadorp, maker, colleague):
    purpose = make_doelbinding(aadorp)
    for codename in ("show_token_apiclient", "add_apiclientpurpose"):
        maker.groups.get().permissions.remove(Permission.objects.get(codename=codename))
    client.force_login(maker)

    form = client.get(url("apiclient", "add")).content.decode()
    made = client.post(url("apiclient", "add"), {"organisation": aadorp.pk, "name": "Zaken"})

    assert 'name="purposes"' not in form
    assert made.status_code == 302
    assert not TOKEN.search(client.get(made["Location"]).content.decode())
    api_client = ApiClient.objects.get()
    assert api_client.token_shown_at is None
    # Without the permission, no token: not on the page, not through the token address.
    token_url = url("apiclient", "token", api_client.pk)
    assert client.post(token_url).status_code == 403

    maker.groups.get().permissions.add(Permission.objects.get(codename="show_token_apiclient"))
    client.force_login(colleague)  # a fresh permission cache; colleague has the same group
    change_page = client.get(url("apiclient", "change", api_client.pk)).content.decode()
    assert token_url in change_page
    shown = client.post(token_url)
    assert TOKEN.search(shown.content.decode())
    assert "no-store" in shown["Cache-Control"]
    again = client.post(token_url, follow=True)
    assert not TOKEN.search(again.content.decode())
    assert said(TOKEN_ALREADY_SHOWN, again)
    assert not ApiClientPurpose.objects.exists()
    assert purpose.client_links.count() == 0


def test_a_purpose_added_to_a_working_client_counts_once_someone_else_confirms_it(
    client, aadorp, maker, colleague
):
    tied = make_doelbinding(aadorp, legal_basis=LegalBasis.LEGAL_TASK)
    api_client, token = api_client_create(
        organisation=aadorp, name="Zaken", created_by=maker, purposes=[tied]
    )
    api_client_confirm(client=api_client, actor=colleague)
    caller = ApiCaller(client, api_client, token)
    added_later = make_doelbinding(
        aadorp, name="Later", legal_basis=LegalBasis.LEGAL_TASK, for_clients=False
    )
    person = make_profile()

    api_client_purpose_add(client=api_client, doelbinding=added_later, actor=maker)
    assert_problem(
        caller.zoek(identificatie(person), added_later), 403, code=Reason.PURPOSE_NOT_FOR_CLIENT
    )
    with pytest.raises(ValidationError) as refused:
        api_client_confirm(client=api_client, actor=maker)
    assert refused.value.messages == [str(CONFIRM_OWN_PURPOSE)]

    api_client_confirm(client=api_client, actor=colleague)

    assert caller.zoek(identificatie(person), added_later).status_code == 200
    assert caller.zoek(identificatie(person), tied).status_code == 200
