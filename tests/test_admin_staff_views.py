"""Staff views of people's data in the admin leave a processing record first (LDV), and the
person sees them on 'Wie heeft mijn gegevens gebruikt?'."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consent.choices import Outcome, Reason
from consent.ldv import pseudonym_for
from consent.models import ProcessingRecord
from consent.receivers import staff_view_record
from profiles.choices import Register
from profiles.models import Terugmelding
from profiles.signals import personal_data_shown
from profiles.staff.roles import REGISTER_REPORT_HANDLERS
from tests.factories import make_profile
from tests.support.api import log_refuses_writes
from tests.support.staff_login import FORCED_LOGIN_BACKEND

pytestmark = pytest.mark.django_db

PROFILES = "/beheer/profiles/profile/"
IDENTITIES = "/beheer/profiles/identity/"


@pytest.fixture
def superuser(client):
    user = get_user_model().objects.create_superuser("beheerder", None, None)
    client.force_login(user, backend=FORCED_LOGIN_BACKEND)
    return user


def named(name: str):
    profile = make_profile()
    profile.display_name = name
    profile.save(update_fields=["display_name"])
    return profile


def test_looking_at_a_profile_leaves_a_record_naming_the_staff_member(client, superuser):
    profile = named("Jan de Vries")

    page = client.get(f"{PROFILES}{profile.pk}/change/")

    assert page.status_code == 200
    assert "Jan de Vries" in page.content.decode()
    [record] = ProcessingRecord.objects.all()
    assert record.subject_pseudonym == pseudonym_for(profile.identity)
    assert (record.organisation, record.doelbinding_version, record.api_client) == (None,) * 3
    assert (record.staff_member, record.outcome, record.reason) == (
        "beheerder",
        Outcome.ALLOWED,
        Reason.STAFF_VIEW,
    )
    assert record.fields == "contact_preference,identity,language,name"
    assert record.activity_id.endswith("/verwerkingsactiviteiten/beheer-gegevens-inzien")


def test_a_list_records_each_person_on_it_in_as_many_queries_for_five_as_for_one(client, superuser):
    first = named("Eerste")
    with CaptureQueriesContext(connection) as one:
        client.get(PROFILES)
    others = [named(f"Persoon {n}") for n in range(4)]
    before = ProcessingRecord.objects.count()
    with CaptureQueriesContext(connection) as five:
        page = client.get(PROFILES)

    assert page.status_code == 200
    shown = ProcessingRecord.objects.order_by("pk")[before:]
    assert {r.subject_pseudonym for r in shown} == {
        pseudonym_for(p.identity) for p in [first, *others]
    }
    assert len(five) == len(one)


def test_a_search_for_a_number_records_who_was_found(client, superuser):
    wanted, _other = make_profile(), make_profile()

    page = client.get(IDENTITIES, {"q": wanted.identity.value})

    assert page.status_code == 200
    assert [r.subject_pseudonym for r in ProcessingRecord.objects.all()] == [
        pseudonym_for(wanted.identity)
    ]


def test_an_empty_list_records_nothing(client, superuser):
    assert client.get(PROFILES).status_code == 200
    assert not ProcessingRecord.objects.exists()


def test_without_the_log_staff_get_a_clear_page_and_no_data(client, superuser):
    profile = named("Jan de Vries")

    with log_refuses_writes():
        detail = client.get(f"{PROFILES}{profile.pk}/change/")
        listing = client.get(PROFILES)

    for page in (detail, listing):
        assert page.status_code == 503
        text = html.unescape(page.content.decode())
        assert "Jan de Vries" not in text and profile.identity.value not in text
        assert "Probeer het over een paar minuten opnieuw." in text
    assert not ProcessingRecord.objects.exists()


def test_the_person_sees_that_an_administrator_looked(client, superuser, login):
    person = login()  # the test client is now the person, with their own session
    client.logout()
    client.force_login(superuser, backend=FORCED_LOGIN_BACKEND)
    client.get(f"{PROFILES}{person.pk}/change/")
    client.logout()
    login()

    text = html.unescape(client.get("/wie-gebruikte-mijn-gegevens").content.decode())

    row = re.search(r"<tr>\s*<th scope=\"row\">.*?</tr>", text, re.S).group(0)
    assert "Beheerders van deze website" in row
    assert "Deze website beheren" in row
    assert "uw BSN, RSIN of KvK-nummer" in row
    assert "Gegevens bekeken" in row
    assert "Een beheerder van deze website heeft uw gegevens bekeken." in row


def test_municipal_staff_handling_a_report_leave_a_record_too(client):
    profile = make_profile()
    report = Terugmelding.objects.create(
        profile=profile,
        register=Register.KVK,
        item="handelsnaam",
        shown_value="Test BV",
        note="Fout.",
    )
    staff = get_user_model().objects.create_user("medewerker", is_staff=True)
    staff.groups.add(Group.objects.get(name=REGISTER_REPORT_HANDLERS))
    client.force_login(staff, backend=FORCED_LOGIN_BACKEND)

    page = client.get(f"/beheer/profiles/terugmelding/{report.pk}/change/")

    assert page.status_code == 200 and "Test BV" in page.content.decode()
    [record] = ProcessingRecord.objects.all()
    assert (record.staff_member, record.fields) == ("medewerker", "register_report")
    assert record.subject_pseudonym == pseudonym_for(profile.identity)


def test_with_nobody_to_write_it_down_the_data_is_not_shown(client, superuser):
    profile = named("Jan de Vries")
    personal_data_shown.disconnect(staff_view_record)
    try:
        page = client.get(f"{PROFILES}{profile.pk}/change/")
    finally:
        personal_data_shown.connect(staff_view_record)

    assert page.status_code == 503
    assert "Jan de Vries" not in page.content.decode()
