"""'Wijzigingen': the history of changes from the audit trail, and only the user's own.

Changes go through the real services inside a request, so the audit middleware records the
login method. The pages that call them are other work; this module mounts a small test-only view
instead (like tests/support/step_up_urls.py).
"""

import re
from html import unescape

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as portal_urlpatterns
from core import sms
from profiles.address.services import postal_address_update
from profiles.contact.services import (
    contact_change_confirm,
    contact_change_request,
    contact_detail_remove,
)
from profiles.history.selectors import AMSTERDAM
from profiles.login.session import level_required
from profiles.models import ContactDetail, PostalAddress, Profile
from profiles.preference.services import contact_preference_update
from tests.support.staff_login import FORCED_LOGIN_BACKEND

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_history")]

HISTORY = "/mijn-gegevens/wijzigingen"


def _address(number: str) -> dict:
    return {
        "street": "Hoofdstraat",
        "house_number": number,
        "postcode": "1234AB",
        "city": "Voorbeeldstad",
    }


def _version(profile: Profile, model) -> int:
    found = model.objects.filter(profile=profile).first()
    return found.version if found else 0


@csrf_exempt
@level_required()
def change(request):
    """Test only: one service call for the logged-in user, as a real page would make it."""
    profile = request.user.profile
    action = request.POST["action"]
    if action == "preference":
        contact_preference_update(
            profile=profile,
            preference=request.POST["value"],
            seen_version=Profile.objects.get(pk=profile.pk).contact_preference_version,
        )
    elif action == "address":
        for number in request.POST.getlist("number"):
            postal_address_update(
                profile=profile, seen_version=_version(profile, PostalAddress), **_address(number)
            )
    elif action == "phone":
        detail = ContactDetail.objects.filter(profile=profile, kind="phone").first()
        verification = contact_change_request(
            profile=profile,
            kind="phone",
            new_value=request.POST["value"],
            seen_version=detail.version if detail else 0,
            language="nl",
        )
        code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
        contact_change_confirm(
            profile=profile, verification_id=verification.pk, code=code, language="nl"
        )
    elif action == "remove-phone":
        detail = ContactDetail.objects.get(profile=profile, kind="phone")
        contact_detail_remove(profile=profile, kind="phone", seen_version=detail.version)
    return HttpResponse("ok")


@csrf_exempt
def staff_change(request, profile_id):
    """Test only: a staff member's tool changing a user's preference."""
    assert request.user.is_staff
    profile = Profile.objects.get(pk=profile_id)
    contact_preference_update(
        profile=profile, preference="post", seen_version=profile.contact_preference_version
    )
    return HttpResponse("ok")


urlpatterns = [
    path("test/wijzig", change),
    path("test/medewerker/<int:profile_id>", staff_change),
    *portal_urlpatterns,
]
handler404 = "config.views.page_not_found"


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def table_rows(response) -> list[list[str]]:
    """The table as a screen reader walks it: one list of cell texts per body row."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)
    if not body:
        return []
    return [
        [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in cells]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
        for cells in [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    ]


def test_without_changes_the_page_says_so(client, login):
    login("digid", "digid-burger", "substantieel")

    response = client.get(HISTORY)

    assert response.status_code == 200
    assert "Er is nog niets gewijzigd." in text_of(response)
    assert "<table" not in response.content.decode()


def test_a_change_shows_what_when_and_with_which_login(client, login):
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "preference", "value": "post"})

    response = client.get(HISTORY)

    html = response.content.decode()
    assert "<caption" in html
    assert '<th scope="col">Datum en tijd</th>' in html
    entry = LogEntry.objects.latest("timestamp")
    when = date_format(timezone.localtime(entry.timestamp, AMSTERDAM), "j F Y, H:i")
    assert table_rows(response) == [
        [when, "Hoe wij contact met u opnemen", "(leeg)", "per post", "U, ingelogd met DigiD"]
    ]


def test_the_login_method_is_the_one_used_for_the_change(client, login):
    login("eherkenning", "eh-company", "substantieel")
    client.post("/test/wijzig", {"action": "address", "number": "1"})

    rows = table_rows(client.get(HISTORY))

    assert rows[0][1:] == [
        "Postadres",
        "(leeg)",
        "Hoofdstraat 1, 1234 AB Voorbeeldstad",
        "U, ingelogd met eHerkenning",
    ]


def test_an_address_change_shows_the_whole_old_and_new_address(client, login):
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "address", "number": ["1", "2"]})

    rows = table_rows(client.get(HISTORY))

    assert [row[1:4] for row in rows] == [
        [
            "Postadres",
            "Hoofdstraat 1, 1234 AB Voorbeeldstad",
            "Hoofdstraat 2, 1234 AB Voorbeeldstad",
        ],
        ["Postadres", "(leeg)", "Hoofdstraat 1, 1234 AB Voorbeeldstad"],
    ]


def test_a_removed_phone_number_stays_in_the_history_in_national_format(client, login):
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "phone", "value": "+31612345678"})
    client.post("/test/wijzig", {"action": "remove-phone"})
    assert not ContactDetail.objects.exists()

    rows = table_rows(client.get(HISTORY))

    assert [row[1:4] for row in rows] == [
        ["Telefoonnummer", "06 12345678", "(leeg)"],
        ["Telefoonnummer", "(leeg)", "06 12345678"],
    ]


def test_a_change_by_staff_says_an_employee_made_it(client, login):
    profile = login("digid", "digid-burger", "substantieel")
    staff_client = client.__class__()
    staff_client.force_login(
        User.objects.create_user("medewerker", is_staff=True),
        backend=FORCED_LOGIN_BACKEND,
    )
    staff_client.post(f"/test/medewerker/{profile.pk}")

    rows = table_rows(client.get(HISTORY))

    assert rows[0][1:] == ["Hoe wij contact met u opnemen", "(leeg)", "per post", "Een medewerker"]


def test_another_users_changes_never_show(client, login):
    login("digid", "digid-other", "substantieel")
    client.post("/test/wijzig", {"action": "address", "number": "3"})
    client.post("/test/wijzig", {"action": "phone", "value": "+31687654321"})
    client.post("/test/wijzig", {"action": "remove-phone"})
    client.post("/uitloggen")
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "preference", "value": "post"})

    response = client.get(HISTORY)

    page = text_of(response)
    assert "Hoofdstraat 3" not in page
    assert "06 87654321" not in page
    assert [row[1] for row in table_rows(response)] == ["Hoe wij contact met u opnemen"]


def test_long_histories_come_in_pages_of_fifty(client, login):
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "address", "number": [str(n) for n in range(1, 52)]})

    first = client.get(HISTORY)
    second = client.get(HISTORY, {"pagina": 2})

    assert len(table_rows(first)) == 50
    assert table_rows(first)[0][3] == "Hoofdstraat 51, 1234 AB Voorbeeldstad"
    assert "Pagina 1 van 2" in text_of(first)
    assert 'href="?pagina=2" rel="next">Oudere wijzigingen</a>' in first.content.decode()
    assert [row[2:4] for row in table_rows(second)] == [
        ["(leeg)", "Hoofdstraat 1, 1234 AB Voorbeeldstad"]
    ]
    assert client.get(HISTORY, {"pagina": "onzin"}).status_code == 200


def test_the_page_makes_the_same_few_queries_for_a_short_and_a_long_history(
    client, login, django_assert_max_num_queries
):
    login("digid", "digid-burger", "substantieel")
    client.post("/test/wijzig", {"action": "phone", "value": "+31612345678"})
    client.get(HISTORY)
    # Session (read; save in a savepoint: 3), user with profile, contact details, count, page,
    # address replay.
    with django_assert_max_num_queries(10):
        client.get(HISTORY)

    client.post("/test/wijzig", {"action": "address", "number": [str(n) for n in range(1, 60)]})
    client.post("/test/wijzig", {"action": "remove-phone"})
    with django_assert_max_num_queries(10):
        response = client.get(HISTORY)
    assert len(table_rows(response)) == 50


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(HISTORY)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_a_language_switch_shows_as_a_change_of_the_language_of_messages(client, login):
    login("digid", "digid-burger", "substantieel")

    client.post("/taal", {"language": "en", "next": "/"})
    client.post("/taal", {"language": "nl", "next": "/"})

    rows = table_rows(client.get(HISTORY))
    assert [row[1:] for row in rows] == [
        ["Taal van e-mails en sms-berichten", "Engels", "Nederlands", "U, ingelogd met DigiD"],
        ["Taal van e-mails en sms-berichten", "Nederlands", "Engels", "U, ingelogd met DigiD"],
    ]
