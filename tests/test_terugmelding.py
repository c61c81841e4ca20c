"""'Klopt dit niet?': reporting wrong register data, and staff handling the reports."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User

from profiles.choices import TerugmeldingStatus
from profiles.models import Terugmelding
from profiles.staff.roles import REGISTER_REPORT_HANDLERS
from tests.support.staff_login import FORCED_LOGIN_BACKEND

pytestmark = pytest.mark.django_db

URL = "/mijn-gegevens/klopt-dit-niet"
BRANCH_ADDRESS = "vestiging:000038509504:bezoekadres"


def report_url(register: str, item: str, **extra) -> str:
    return f"{URL}?{urlencode({'register': register, 'item': item, **extra})}"


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def hidden_seen(response) -> str:
    match = re.search(r'name="seen" value="([^"]*)"', response.content.decode())
    assert match, "the form does not carry the version the user saw"
    return match.group(1)


def test_a_report_records_the_register_value_not_what_the_browser_sends(client, login):
    profile = login("eherkenning", "eh-company", "substantieel")
    # A crafted link and form try to put words in the register's mouth.
    url = report_url("kvk", BRANCH_ADDRESS, value="Nepstraat 1")
    page = client.get(url)
    assert page.status_code == 200
    shown = text_of(page)
    assert "Geef door wat er niet klopt" in shown
    assert "Bezoekadres van Test BV Donald Voorbeeldstad Hoofdstraat 3 1234 AB Voorbeeldstad" in (
        shown
    )
    assert "Uit het Handelsregister van de KvK" in shown
    assert "Nepstraat" not in shown

    response = client.post(
        url,
        {
            "note": "  Wij zitten sinds maart op nummer 5.  ",
            "seen": hidden_seen(page),
            "shown_value": "Nepstraat 1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/mijn-gegevens"
    report = Terugmelding.objects.get()
    assert report.profile == profile
    assert (report.register, report.item) == ("kvk", BRANCH_ADDRESS)
    assert report.shown_value == "Hoofdstraat 3\n1234 AB Voorbeeldstad"
    assert report.note == "Wij zitten sinds maart op nummer 5."
    assert report.status == TerugmeldingStatus.NEW
    overview = text_of(client.get("/mijn-gegevens"))
    assert (
        "Bedankt voor uw melding. Wij sturen deze door naar de Kamer van Koophandel (KvK). "
        "Die controleert de gegevens. Wij kunnen gegevens in een register niet zelf wijzigen."
    ) in overview


def test_a_brp_report_says_the_municipality_checks_it(client, login):
    login("digid", "digid-burger", "substantieel")
    url = report_url("brp", "naam")
    page = client.get(url)

    response = client.post(
        url, {"note": "Mijn naam is anders.", "seen": hidden_seen(page)}, follow=True
    )

    assert Terugmelding.objects.get().shown_value == "Sanne de Vries"
    assert "Wij sturen deze door naar uw gemeente." in text_of(response)


def test_an_empty_note_asks_what_is_wrong_and_saves_nothing(client, login):
    login("eherkenning", "eh-company", "substantieel")
    url = report_url("kvk", "handelsnaam")
    page = client.get(url)

    response = client.post(url, {"note": "   ", "seen": hidden_seen(page)})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Er ging iets mis" in html
    message = "Schrijf op wat er niet klopt. Bijvoorbeeld: de straatnaam is veranderd."
    assert f'<a href="#id_note">{message}</a>' in html
    assert 'aria-invalid="true"' in html
    assert "<title>Fout: Geef door wat er niet klopt" in html
    assert not Terugmelding.objects.exists()


def test_a_note_that_is_too_long_is_kept_and_says_how_long_it_may_be(client, login):
    login("eherkenning", "eh-company", "substantieel")
    url = report_url("kvk", "rechtsvorm")
    page = client.get(url)
    note = "x" * 1001

    response = client.post(url, {"note": note, "seen": hidden_seen(page)})

    html = response.content.decode()
    assert "Gebruik niet meer dan 1000 tekens. U gebruikt er nu 1001." in html
    assert note in html
    assert 'maxlength="' not in html  # a browser limit would cut pasted text off silently
    assert not Terugmelding.objects.exists()


def test_a_value_that_changed_since_the_page_was_shown_is_shown_again_first(client, login):
    login("eherkenning", "eh-company", "substantieel")
    url = report_url("kvk", "handelsnaam")
    page = client.get(url)

    response = client.post(url, {"note": "Onze naam is anders.", "seen": "an-older-value"})

    assert response.status_code == 200
    assert "Het register heeft deze gegevens net veranderd." in text_of(response)
    assert "Onze naam is anders." in response.content.decode()
    assert not Terugmelding.objects.exists()
    # The page now carries the current value: sending again goes through.
    assert hidden_seen(response) == hidden_seen(page)
    client.post(url, {"note": "Onze naam is anders.", "seen": hidden_seen(response)})
    assert Terugmelding.objects.count() == 1


@pytest.mark.parametrize(
    ("register", "item"),
    [
        ("kvk", "bestaat-niet"),
        ("bag", "handelsnaam"),
        ("", ""),
        ("brp", "naam"),  # a company has no BRP record
        ("kvk", "vestiging:000000000000:bezoekadres"),
    ],
)
def test_an_unknown_register_or_item_is_not_found(client, login, register, item):
    login("eherkenning", "eh-company", "substantieel")

    assert client.get(report_url(register, item)).status_code == 404
    assert client.post(report_url(register, item), {"note": "x"}).status_code == 404
    assert not Terugmelding.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    url = report_url("kvk", "handelsnaam")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_a_register_that_is_down_gives_a_clear_page_not_an_error(client, login, settings):
    login("eherkenning", "eh-company", "substantieel")
    settings.REGISTER_KVK_BACKEND = "demo-down"

    response = client.get(report_url("kvk", "handelsnaam"))

    assert response.status_code == 200
    page = text_of(response)
    assert "Wij kunnen deze gegevens nu niet laten zien" in page
    assert "Wij kunnen uw gegevens nu niet ophalen uit het Handelsregister (KvK)" in page
    assert 'name="note"' not in response.content.decode()


def test_the_form_page_makes_a_few_queries(client, login, django_assert_max_num_queries):
    login("eherkenning", "eh-company", "substantieel")
    client.get("/mijn-gegevens")

    with django_assert_max_num_queries(6):
        assert client.get(report_url("kvk", "handelsnaam")).status_code == 200


# --- staff in the admin -------------------------------------------------------------------------

ADMIN = "/beheer/profiles/terugmelding/"


@pytest.fixture
def report(client, login):
    login("eherkenning", "eh-company", "substantieel")
    url = report_url("kvk", "handelsnaam")
    client.post(url, {"note": "Naam is fout.", "seen": hidden_seen(client.get(url))})
    client.post("/uitloggen")
    return Terugmelding.objects.get()


@pytest.fixture
def staff(client):
    """One of the portal operator's staff who handle reports (profiles migration 0005)."""
    user = User.objects.create_user("medewerker", password="geheim-en-lang-genoeg", is_staff=True)
    user.groups.add(Group.objects.get(name=REGISTER_REPORT_HANDLERS))
    client.force_login(user, backend=FORCED_LOGIN_BACKEND)
    return user


def test_staff_see_reports_filter_them_by_status_and_search_by_item(client, report, staff):
    listing = client.get(ADMIN)
    assert listing.status_code == 200
    assert "handelsnaam" in listing.content.decode()

    assert "handelsnaam" in client.get(ADMIN, {"status__exact": "new"}).content.decode()
    assert "handelsnaam" not in client.get(ADMIN, {"status__exact": "closed"}).content.decode()
    assert "handelsnaam" in client.get(ADMIN, {"q": "handels"}).content.decode()
    assert "handelsnaam" not in client.get(ADMIN, {"q": "woonadres"}).content.decode()


def test_staff_change_the_status_and_note_but_not_what_the_user_reported(client, report, staff):
    response = client.post(
        f"{ADMIN}{report.pk}/change/",
        {
            "status": TerugmeldingStatus.FORWARDED,
            "staff_note": "Doorgestuurd naar de KvK.",
            "note": "Iets anders",
            "shown_value": "Iets anders",
            "item": "rechtsvorm",
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == TerugmeldingStatus.FORWARDED
    assert report.staff_note == "Doorgestuurd naar de KvK."
    assert (report.note, report.shown_value, report.item) == (
        "Naam is fout.",
        "Test BV Donald",
        "handelsnaam",
    )


def test_staff_cannot_add_or_delete_reports(client, report, staff):
    assert client.get(f"{ADMIN}add/").status_code == 403
    assert client.post(f"{ADMIN}{report.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = client.get(ADMIN).content.decode()
    assert f'href="{ADMIN}add/"' not in listing
    assert "delete_selected" not in listing
    assert Terugmelding.objects.count() == 1


def test_a_person_can_send_a_limited_number_of_reports_a_day_and_keeps_the_note(
    client, login, settings
):
    settings.TERUGMELDINGEN_PER_DAY = 2
    login("eherkenning", "eh-company", "substantieel")
    url = report_url("kvk", "handelsnaam")
    seen = hidden_seen(client.get(url))
    for number in range(2):
        assert client.post(url, {"note": f"Melding {number}", "seen": seen}).status_code == 302

    response = client.post(url, {"note": "De naam is anders", "seen": seen})

    html = response.content.decode()
    assert response.status_code == 200
    assert "U heeft vandaag al 2 meldingen gestuurd" in text_of(response)
    assert "De naam is anders" in html
    assert Terugmelding.objects.count() == 2
