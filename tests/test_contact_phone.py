"""Changing the phone number: a mobile number, checked with a code by text message."""

import html
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import timezone

from core import sms
from profiles.choices import VerificationStatus
from profiles.contact import services as contact_services
from profiles.contact.views import FLOW_KEY
from profiles.models import ContactDetail, Verification
from tests.support.portal_login import BrokerUser

pytestmark = pytest.mark.django_db

CHANGE = "/mijn-gegevens/telefoonnummer"
CHECK = f"{CHANGE}/controleren"
CODE = f"{CHANGE}/code"
REMOVE = f"{CHANGE}/verwijderen"
OVERVIEW = "/mijn-gegevens"


@pytest.fixture(autouse=True)
def empty_sms_outbox():
    sms.MemorySmsGateway.clear()
    yield
    sms.MemorySmsGateway.clear()


def text(response) -> str:
    return html.unescape(response.content.decode())


def hidden(response, name: str) -> str:
    match = re.search(rf'type="hidden" name="{name}" value="([^"]*)"', text(response))
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def ask_code(client, number: str):
    version = hidden(client.get(CHANGE), "version")
    assert client.post(CHANGE, {"phone": number, "version": version})["Location"] == CHECK
    check = client.get(CHECK)
    return client.post(
        CHECK, {"phone": hidden(check, "phone"), "version": hidden(check, "version")}
    )


def sms_code(index: int = -1) -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[index].text).group(1)


def assert_field_error(response, message: str):
    body = text(response)
    assert response.status_code == 200
    assert f'<a href="#id_phone">{message}</a>' in body
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="id_phone"', body)


def existing_phone(profile, value="+31612345678") -> ContactDetail:
    return ContactDetail.objects.create(
        profile=profile, kind="phone", value=value, verified_at=timezone.now()
    )


# --- the happy path ----------------------------------------------------------------------------


def test_a_new_mobile_number_is_saved_after_the_code_from_the_text_message(client, login):
    profile = login()
    page = client.get(CHANGE)
    assert "<h1>Wijzig uw telefoonnummer</h1>" in text(page)
    assert re.search(r'<input[^>]*type="tel"[^>]*autocomplete="tel"', text(page))

    response = client.post(CHANGE, {"phone": "06 12345678", "version": "0"})
    assert response["Location"] == CHECK
    check = client.get(CHECK)
    assert "Klopt dit? Dan sturen wij een sms met een code naar 06 12345678." in text(check)
    assert hidden(check, "phone") == "+31612345678"

    response = client.post(CHECK, {"phone": "+31612345678", "version": "0"})
    assert response["Location"] == CODE
    assert [m.to for m in sms.outbox] == ["+31612345678"]
    code_page = text(client.get(CODE))
    assert "Wij hebben een sms met een code van 6 cijfers gestuurd naar 06 12345678." in code_page
    assert "Wij hebben de code per sms gestuurd naar 06 12345678." in code_page
    assert not ContactDetail.objects.exists()

    assert client.post(CODE, {"code": sms_code()})["Location"] == OVERVIEW
    detail = ContactDetail.objects.get(profile=profile, kind="phone")
    assert detail.value == "+31612345678"
    assert detail.verified_at is not None
    overview = text(client.get("/mijn-gegevens"))
    assert "Uw telefoonnummer is gewijzigd in 06 12345678." in overview


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "+31612345678"),
        ("06-12345678", "+31612345678"),
        ("+31 6 12345678", "+31612345678"),
        ("0031 6 1234 5678", "+31612345678"),
        ("(06) 123 456 78", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+49 151 23456789", "+4915123456789"),
    ],
)
def test_mobile_numbers_in_any_common_notation_are_stored_in_one_form(client, login, typed, stored):
    profile = login()
    ask_code(client, typed)
    client.post(CODE, {"code": sms_code()})
    assert ContactDetail.objects.get(profile=profile, kind="phone").value == stored


# --- bad input ---------------------------------------------------------------------------------

INVALID = (
    "Dit telefoonnummer klopt niet. Vul een mobiel nummer in, bijvoorbeeld 06 12345678. "
    "Een buitenlands nummer begint met + en de landcode."
)
NO_SMS = (
    "Naar dit nummer kunnen wij geen sms sturen. U krijgt de code per sms. "
    "Vul daarom een mobiel nummer in, bijvoorbeeld 06 12345678."
)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul een mobiel telefoonnummer in, bijvoorbeeld 06 12345678."),
        ("12345", INVALID),
        ("06 1234567", INVALID),
        ("06 1234567a", INVALID),
        ("06-BLOEMEN", INVALID),
        ("+999 12345678", INVALID),
        ("020 123 4567", NO_SMS),
        ("+31 20 123 4567", NO_SMS),
        ("0800 1234", NO_SMS),
    ],
)
def test_a_number_that_cannot_get_a_text_message_is_explained_and_kept(
    client, login, typed, message
):
    login()
    response = client.post(CHANGE, {"phone": typed, "version": "0"})

    assert_field_error(response, message)
    if typed:
        assert f'value="{typed}"' in text(response)
    assert not Verification.objects.exists()
    assert sms.outbox == []


def test_the_current_number_in_another_notation_is_not_a_change(client, login):
    profile = login()
    existing_phone(profile)
    assert "06 12345678" in text(client.get(CHANGE))  # shown in the national format

    response = client.post(CHANGE, {"phone": "+31 6 1234 5678", "version": "1"})
    assert_field_error(response, "Dit is al uw telefoonnummer. Vul een ander telefoonnummer in.")


# --- codes -------------------------------------------------------------------------------------


def test_five_wrong_sms_codes_block_the_code(client, login):
    profile = login()
    ask_code(client, "06 12345678")
    code = sms_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for tries_left in (4, 3, 2, 1):
        assert f"U kunt het nog {tries_left} keer proberen." in text(
            client.post(CODE, {"code": wrong})
        )
    response = client.post(CODE, {"code": wrong})
    assert_code_error = "U heeft 5 keer een verkeerde code ingevuld."
    assert assert_code_error in text(response)
    assert assert_code_error in text(client.post(CODE, {"code": code}))
    assert not ContactDetail.objects.filter(profile=profile).exists()


def test_an_sms_code_expires_after_15_minutes(client, login, monkeypatch):
    login()
    ask_code(client, "06 12345678")
    moved = timezone.now() + timedelta(minutes=15, seconds=1)
    monkeypatch.setattr(contact_services, "timezone", SimpleNamespace(now=lambda: moved))

    response = client.post(CODE, {"code": sms_code()})
    assert "Deze code is verlopen." in text(response)


def test_a_new_sms_code_can_be_sent(client, login):
    login()
    ask_code(client, "06 12345678")
    response = client.post(CODE, {"action": "resend"})
    assert response["Location"] == CODE
    assert len(sms.outbox) == 2
    assert "Wij hebben een nieuwe code gestuurd naar 06 12345678." in text(client.get(CODE))
    assert client.post(CODE, {"code": sms_code()})["Location"] == OVERVIEW


def test_after_logging_in_again_the_notice_on_my_details_leads_to_the_code(client, login):
    login()
    ask_code(client, "06 12345678")
    client.post("/uitloggen")
    login()

    overview = text(client.get("/mijn-gegevens"))
    assert f'<a href="{CODE}">Vul de code in</a>' in overview
    assert "06 12345678" in text(client.get(CODE))
    assert client.post(CODE, {"code": sms_code()})["Location"] == OVERVIEW


# --- removing, and a removal meanwhile ----------------------------------------------------------


def test_removing_the_phone_number_asks_first(client, login):
    profile = login()
    existing_phone(profile)
    change = text(client.get(CHANGE))
    assert f'<a href="{REMOVE}">Verwijderen<span class="visually-hidden">' in change

    page = client.get(REMOVE)
    assert "<h1>Uw telefoonnummer verwijderen</h1>" in text(page)
    assert "Weet u zeker dat u uw telefoonnummer wilt verwijderen?" in text(page)
    assert "06 12345678" in text(page)
    assert ContactDetail.objects.filter(profile=profile).exists()

    response = client.post(REMOVE, {"version": hidden(page, "version")})
    assert response["Location"] == OVERVIEW
    assert "Uw telefoonnummer is verwijderd." in text(client.get("/mijn-gegevens"))
    assert not ContactDetail.objects.filter(profile=profile).exists()


def test_without_a_phone_number_there_is_nothing_to_remove(client, login):
    login()
    assert ">Verwijderen<" not in text(client.get(CHANGE))
    assert client.get(REMOVE)["Location"] == CHANGE


def test_removing_from_an_older_page_shows_both_numbers(client, login):
    profile = login()
    existing_phone(profile)
    old_page = client.get(REMOVE)
    ask_code(client, "06 87654321")
    client.post(CODE, {"code": sms_code()})

    response = client.post(REMOVE, {"version": hidden(old_page, "version")})

    assert response.status_code == 409
    body = text(response)
    assert "<h1>Uw telefoonnummer is intussen gewijzigd</h1>" in body
    assert "06 87654321" in body
    assert "Toch verwijderen" in body
    assert ContactDetail.objects.get(profile=profile).value == "+31687654321"
    # "Toch verwijderen" removes the number that is saved now.
    again = client.post(REMOVE, {"version": hidden(response, "version")})
    assert again["Location"] == OVERVIEW
    assert not ContactDetail.objects.filter(profile=profile).exists()


def test_a_code_for_a_number_removed_meanwhile_shows_the_conflict(client, login):
    profile = login()
    existing_phone(profile)
    ask_code(client, "06 87654321")
    code = sms_code()
    client.post(REMOVE, {"version": "1"})  # in another tab

    response = client.post(CODE, {"code": code})

    assert response.status_code == 409
    assert "06 87654321" in text(response)
    assert "Mijn wijziging gebruiken" in text(response)
    assert not ContactDetail.objects.filter(profile=profile).exists()


def test_a_code_replaced_from_another_device_says_to_use_the_newest(client, login, broker):
    login()
    ask_code(client, "06 12345678")
    # The same person, logged in on a second device, asks for a code there too.
    laptop = Client()
    BrokerUser().login(laptop, method="digid", identity="digid-burger", level="substantieel")
    ask_code(laptop, "06 12345678")

    response = client.post(CODE, {"code": sms_code(0)})
    assert (
        '<a href="#id_code">Deze code werkt niet meer. Gebruik de nieuwste code die wij u '
        "stuurden. Of vraag een nieuwe code aan.</a>"
    ) in text(response)
    assert laptop.post(CODE, {"code": sms_code(1)})["Location"] == OVERVIEW


# --- who may use these pages (both kinds) -------------------------------------------------------


@pytest.mark.parametrize("kind", ["e-mailadres", "telefoonnummer"])
@pytest.mark.parametrize("step", ["", "/controleren", "/code", "/verwijderen"])
def test_an_anonymous_visitor_gets_the_login_page(client, kind, step):
    path = f"/mijn-gegevens/{kind}{step}"
    data = {"email": "a@b.nl", "phone": "0612345678", "version": "0", "code": "123456"}
    for response in (client.get(path), client.post(path, data)):
        assert response.status_code == 302
        assert response["Location"].startswith("/inloggen?next=")
    assert not Verification.objects.exists()


def test_a_code_asked_by_another_user_can_never_be_confirmed_here(client, login, broker):
    login()
    other = Client()
    BrokerUser().login(other, method="digid", identity="digid-other", level="substantieel")
    ask_code(other, "06 87654321")
    theirs = Verification.objects.get()
    # Even with their verification in our session, the code is looked up with our profile.
    session = client.session
    session[FLOW_KEY] = {"phone": {"new_value": theirs.new_value, "verification_id": theirs.pk}}
    session.save()

    assert client.post(CODE, {"code": sms_code()})["Location"] == CHANGE
    theirs.refresh_from_db()
    assert theirs.status == VerificationStatus.PENDING
    assert not ContactDetail.objects.exists()


def test_the_pages_use_a_few_queries(client, login, django_assert_max_num_queries):
    login()
    # The session, the user with profile, the item (or the code), and saving the session.
    with django_assert_max_num_queries(7):
        client.get(CHANGE)
    ask_code(client, "06 12345678")
    with django_assert_max_num_queries(7):
        client.get(CHECK)
    with django_assert_max_num_queries(7):
        client.get(CODE)
