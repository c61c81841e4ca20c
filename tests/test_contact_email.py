"""Changing the e-mail address: new value, check, a code by e-mail, and what can go wrong."""

import html
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from profiles.choices import ContactPreference, VerificationStatus
from profiles.contact import services as contact_services
from profiles.contact.views import FLOW_KEY
from profiles.models import ContactDetail, Profile, Verification
from tests.support.portal_login import BrokerUser
from tests.support.smtp import smtp_server, use_smtp_server

pytestmark = pytest.mark.django_db

CHANGE = "/mijn-gegevens/e-mailadres"
CHECK = f"{CHANGE}/controleren"
CODE = f"{CHANGE}/code"
REMOVE = f"{CHANGE}/verwijderen"
OVERVIEW = "/mijn-gegevens"


# --- helpers: what a user does on the pages ----------------------------------------------------


def text(response) -> str:
    return html.unescape(response.content.decode())


def hidden(response, name: str) -> str:
    match = re.search(rf'type="hidden" name="{name}" value="([^"]*)"', text(response))
    assert match, f"no hidden {name} on the page"
    return match.group(1)


def ask_code(client, address: str):
    """Fill in the address, look at the check page, press "Code sturen"."""
    version = hidden(client.get(CHANGE), "version")
    assert client.post(CHANGE, {"email": address, "version": version})["Location"] == CHECK
    check = client.get(CHECK)
    data = {"email": hidden(check, "email"), "version": hidden(check, "version")}
    return client.post(CHECK, data)


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def existing_email(profile, preference: str = "") -> ContactDetail:
    if preference:
        Profile.objects.filter(pk=profile.pk).update(contact_preference=preference)
    return ContactDetail.objects.create(
        profile=profile, kind="email", value="oud@voorbeeld.nl", verified_at=timezone.now()
    )


def assert_field_error(response, field_id: str, message: str):
    body = text(response)
    assert response.status_code == 200
    assert f'<a href="#{field_id}">{message}</a>' in body  # the summary links to the field
    assert re.search(rf'id="{field_id}_error".*?{re.escape(message)}', body, re.S)
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="{field_id}"', body)


@pytest.fixture
def later(monkeypatch):
    """Move the services' clock (only theirs) forward, as if the user waited."""

    def move(minutes: int):
        moved = timezone.now() + timedelta(minutes=minutes)
        monkeypatch.setattr(contact_services, "timezone", SimpleNamespace(now=lambda: moved))

    return move


@pytest.fixture
def smtp(settings):
    with smtp_server() as server:
        use_smtp_server(settings, server)
        yield server


# --- the happy path ----------------------------------------------------------------------------


def test_a_new_email_address_is_saved_after_the_code_from_the_mail(client, login):
    profile = login()

    page = client.get(CHANGE)
    assert "<h1>Wijzig uw e-mailadres</h1>" in text(page)
    assert "U heeft nog geen e-mailadres ingevuld." in text(page)
    assert 'autocomplete="email"' in text(page)

    response = client.post(CHANGE, {"email": "Naam@Voorbeeld.NL", "version": "0"})
    assert response["Location"] == CHECK
    # "Terug" from the check page keeps what the user typed.
    assert 'value="Naam@voorbeeld.nl"' in text(client.get(CHANGE))
    check = client.get(CHECK)
    assert "<h1>Controleer uw nieuwe e-mailadres</h1>" in text(check)
    assert "Naam@voorbeeld.nl" in text(check)  # the domain is lower-cased, the name is not
    assert "Code sturen" in text(check)
    assert not ContactDetail.objects.exists()

    response = client.post(CHECK, {"email": hidden(check, "email"), "version": "0"})
    assert response["Location"] == CODE
    assert [m.to for m in mail.outbox] == [["Naam@voorbeeld.nl"]]
    assert mail.outbox[0].subject == "Uw code voor Mijn Omgeving Zakelijk"
    code_page = client.get(CODE)
    assert "Wij hebben een e-mail met een code van 6 cijfers gestuurd naar Naam@voorbeeld.nl" in (
        text(code_page)
    )
    assert "De code is 15 minuten geldig, tot" in text(code_page)
    assert not ContactDetail.objects.exists()  # not before the code

    response = client.post(CODE, {"code": code_in(mail.outbox[0])})
    assert response["Location"] == OVERVIEW
    detail = ContactDetail.objects.get(profile=profile, kind="email")
    assert detail.value == "Naam@voorbeeld.nl"
    assert detail.verified_at is not None
    overview = client.get("/mijn-gegevens")
    assert "Uw e-mailadres is gewijzigd. Wij sturen berichten nu naar Naam@voorbeeld.nl." in text(
        overview
    )
    assert "email" not in client.session.get(FLOW_KEY, {})


def test_the_code_field_helps_the_browser_and_takes_a_pasted_code_with_spaces(client, login):
    login()
    ask_code(client, "naam@voorbeeld.nl")
    page = text(client.get(CODE))
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in field
    assert 'autocomplete="one-time-code"' in field
    assert 'aria-describedby="id_code_helptext"' in field
    assert '<label class="form-label" for="id_code">Code</label>' in page
    assert (
        '<p class="form-hint" id="id_code_helptext">'
        "Wij hebben de code per e-mail gestuurd naar naam@voorbeeld.nl.</p>"
    ) in page

    code = code_in(mail.outbox[0])
    response = client.post(CODE, {"code": f" {code[:3]} - {code[3:]} "})
    assert response["Location"] == OVERVIEW


# --- bad input ---------------------------------------------------------------------------------


NO_EMAIL = "Vul een e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."
BAD_EMAIL = "Dit e-mailadres klopt niet. Vul een e-mailadres in zoals naam@voorbeeld.nl."
BAD_CODE = "De code heeft 6 cijfers. Vul alleen de 6 cijfers in, bijvoorbeeld 123456."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", NO_EMAIL),
        ("   ", NO_EMAIL),
        ("naam@", BAD_EMAIL),
        ("naam voorbeeld.nl", BAD_EMAIL),
        ("naam@voorbeeld", BAD_EMAIL),
        (
            "a" * 250 + "@voorbeeld.nl",
            "Dit e-mailadres is te lang. Gebruik niet meer dan 254 tekens.",
        ),
    ],
)
def test_a_wrong_email_address_is_explained_and_kept(client, login, typed, message):
    login()
    response = client.post(CHANGE, {"email": typed, "version": "0"})

    assert_field_error(response, "id_email", message)
    if typed.strip():
        assert f'value="{typed}"' in text(response)
    assert text(response).count("<h1>") == 1
    assert not Verification.objects.exists()
    assert mail.outbox == []


def test_the_current_address_again_is_not_a_change(client, login):
    existing_email(login())
    response = client.post(CHANGE, {"email": "oud@VOORBEELD.nl", "version": "1"})
    assert_field_error(
        response, "id_email", "Dit is al uw e-mailadres. Vul een ander e-mailadres in."
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Vul de code in. De code heeft 6 cijfers."),
        ("12345", BAD_CODE),
        ("12a456", BAD_CODE),
    ],
)
def test_a_code_that_is_not_6_digits_is_explained_and_does_not_count(client, login, typed, message):
    login()
    ask_code(client, "naam@voorbeeld.nl")
    response = client.post(CODE, {"code": typed})
    assert_field_error(response, "id_code", message)
    if typed:
        assert f'value="{typed}"' in text(response)
    assert Verification.objects.get().attempts == 0


# --- the limits on codes -----------------------------------------------------------------------


def test_wrong_codes_count_down_and_after_five_even_the_right_code_fails(client, login):
    profile = login()
    ask_code(client, "naam@voorbeeld.nl")
    code = code_in(mail.outbox[0])
    assert_field_error(
        client.post(CODE, {"code": wrong(code)}),
        "id_code",
        "Deze code klopt niet. Kijk de code na en probeer het opnieuw. "
        "U kunt het nog 4 keer proberen.",
    )
    for _ in range(3):
        client.post(CODE, {"code": wrong(code)})

    blocked = (
        "U heeft 5 keer een verkeerde code ingevuld. Daarom werkt deze code niet meer. "
        "Vraag een nieuwe code aan."
    )
    assert_field_error(client.post(CODE, {"code": wrong(code)}), "id_code", blocked)
    assert_field_error(client.post(CODE, {"code": code}), "id_code", blocked)
    assert Verification.objects.get().status == VerificationStatus.BLOCKED
    assert not ContactDetail.objects.filter(profile=profile).exists()

    # A new code works again.
    response = client.post(CODE, {"action": "resend"})
    assert response["Location"] == CODE
    assert "Wij hebben een nieuwe code gestuurd naar naam@voorbeeld.nl." in text(client.get(CODE))
    assert client.post(CODE, {"code": code_in(mail.outbox[-1])})["Location"] == OVERVIEW


def test_a_code_expires_after_15_minutes(client, login, later):
    profile = login()
    ask_code(client, "naam@voorbeeld.nl")
    code = code_in(mail.outbox[0])

    later(16)
    assert_field_error(
        client.post(CODE, {"code": code}),
        "id_code",
        "Deze code is verlopen. Een code is 15 minuten geldig. Vraag een nieuwe code aan.",
    )
    assert not ContactDetail.objects.filter(profile=profile).exists()


def test_at_most_3_codes_per_15_minutes_and_the_page_says_when_to_try_again(client, login, later):
    login()
    ask_code(client, "naam@voorbeeld.nl")
    client.post(CODE, {"action": "resend"})
    client.post(CODE, {"action": "resend"})
    assert len(mail.outbox) == 3
    first_sent = Verification.objects.order_by("created_at").first().created_at

    response = client.post(CODE, {"action": "resend"})
    assert response.status_code == 429
    allowed_from = timezone.localtime(first_sent + timedelta(minutes=15, seconds=59))
    assert (
        "U heeft in 15 minuten 3 keer een code gevraagd. Vaker kan niet. "
        f"Vanaf {allowed_from:%H:%M} uur kunt u weer een nieuwe code vragen."
    ) in text(response)
    assert len(mail.outbox) == 3
    # The same limit holds when starting over from the first page.
    assert ask_code(client, "ander@voorbeeld.nl").status_code == 429

    later(16)
    assert ask_code(client, "ander@voorbeeld.nl")["Location"] == CODE
    assert mail.outbox[-1].to == ["ander@voorbeeld.nl"]


# --- security notice, real SMTP ----------------------------------------------------------------


def test_the_old_address_hears_that_the_address_was_changed(client, login):
    profile = login()
    existing_email(profile)
    ask_code(client, "nieuw@voorbeeld.nl")
    code = code_in(mail.outbox[0])
    assert [m.to for m in mail.outbox] == [["nieuw@voorbeeld.nl"]]

    client.post(CODE, {"code": code})

    notice = mail.outbox[1]
    assert notice.to == ["oud@voorbeeld.nl"]
    assert notice.subject == "Uw e-mailadres is gewijzigd"
    assert code not in notice.body
    assert ContactDetail.objects.get(profile=profile, kind="email").value == "nieuw@voorbeeld.nl"


def test_the_code_goes_through_a_real_smtp_server_and_confirms_the_change(client, login, smtp):
    profile = login()

    assert ask_code(client, "nieuw@voorbeeld.nl")["Location"] == CODE

    [received] = smtp.received
    assert received.envelope_to == ["nieuw@voorbeeld.nl"]
    message = received.message
    assert message["To"] == "nieuw@voorbeeld.nl"
    assert message["Subject"] == "Uw code voor Mijn Omgeving Zakelijk"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",)).get_content()
    rich = message.get_body(("html",)).get_content()
    code = re.search(r"\b(\d{6})\b", plain).group(1)
    assert code in rich
    assert "U wilt dit e-mailadres gebruiken in Mijn Omgeving Zakelijk." in plain

    assert client.post(CODE, {"code": code})["Location"] == OVERVIEW
    assert ContactDetail.objects.get(profile=profile, kind="email").value == "nieuw@voorbeeld.nl"


# --- two tabs, login level ------------------------------------------------------------------


def test_a_change_from_an_older_tab_shows_both_addresses_and_lets_you_choose(client, login):
    profile = login()
    first_tab = client.get(CHANGE)
    second_tab = client.get(CHANGE)

    # The first tab goes all the way.
    client.post(CHANGE, {"email": "eerste@voorbeeld.nl", "version": hidden(first_tab, "version")})
    client.post(CHECK, {"email": "eerste@voorbeeld.nl", "version": hidden(first_tab, "version")})
    client.post(CODE, {"code": code_in(mail.outbox[-1])})

    # The second tab still shows the page from before.
    stale = hidden(second_tab, "version")
    client.post(CHANGE, {"email": "tweede@voorbeeld.nl", "version": stale})
    response = client.post(CHECK, {"email": "tweede@voorbeeld.nl", "version": stale})

    assert response.status_code == 409
    for shown in ("Uw e-mailadres is intussen gewijzigd", "eerste@", "tweede@", "Houden wat"):
        assert shown in text(response)
    assert len(mail.outbox) == 1  # no code went to the second address
    assert ContactDetail.objects.get(profile=profile).value == "eerste@voorbeeld.nl"

    # "Mijn wijziging gebruiken" asks a code for the second address after all.
    retry = client.post(
        CHECK, {"email": hidden(response, "email"), "version": hidden(response, "version")}
    )
    assert retry["Location"] == CODE
    client.post(CODE, {"code": code_in(mail.outbox[-1])})
    assert ContactDetail.objects.get(profile=profile).value == "tweede@voorbeeld.nl"


def test_a_midden_login_steps_up_to_substantieel_and_returns_to_the_form(client, broker):
    user = BrokerUser()
    user.login(client, method="digid", identity="digid-burger", level="midden")

    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/digid?")
    assert "level=substantieel" in response["Location"]
    page = user.to_broker(client, response["Location"])
    back = user.back_to_portal(
        client, user.choose(page, method="digid", identity="digid-burger", level="substantieel")
    )

    assert back["Location"] == CHANGE
    assert "<h1>Wijzig uw e-mailadres</h1>" in text(client.get(CHANGE))


# --- removing ----------------------------------------------------------------------------------


def test_the_email_address_cannot_be_removed_while_messages_go_digitally(client, login):
    profile = login()
    existing_email(profile, ContactPreference.DIGITAL)

    assert f'href="{REMOVE}"' in text(client.get(CHANGE))
    page = text(client.get(REMOVE))
    assert "U kunt uw e-mailadres nu niet verwijderen" in page
    assert "Kies dan eerst voor berichten per post." in page
    assert ">Verwijderen</button>" not in page
    client.post(REMOVE, {"version": "1"})
    assert ContactDetail.objects.filter(profile=profile).exists()


def test_the_email_address_can_be_removed_when_messages_go_by_post(client, login):
    profile = login()
    existing_email(profile, ContactPreference.POST)

    page = client.get(REMOVE)
    assert "Weet u zeker dat u uw e-mailadres wilt verwijderen?" in text(page)
    assert client.post(REMOVE, {"version": hidden(page, "version")})["Location"] == OVERVIEW
    assert "Uw e-mailadres is verwijderd." in text(client.get("/mijn-gegevens"))
    assert not ContactDetail.objects.filter(profile=profile).exists()
