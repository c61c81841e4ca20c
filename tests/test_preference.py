"""The general contact preference over HTTP: digital or by post, a check step, then saved.

Digital needs a confirmed e-mail address: without one the page says why and how to add one.
"""

import re

import pytest
from django.utils import timezone

from profiles.models import ContactDetail, Profile

pytestmark = pytest.mark.django_db

PAGE = "/mijn-gegevens/contactvoorkeur"
CHECK = "/mijn-gegevens/contactvoorkeur/controleren"
OVERVIEW = "/mijn-gegevens"
ADD_EMAIL = 'href="/mijn-gegevens/e-mailadres"'


def text(response) -> str:
    return response.content.decode()


def hidden(response, name: str) -> str:
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', text(response))
    assert match, f"no hidden {name} on the page"
    return match[1]


def confirmed_email(profile, value="ondernemer@voorbeeld.nl"):
    return ContactDetail.objects.create(
        profile=profile, kind="email", value=value, verified_at=timezone.now()
    )


def choose(client, preference: str):
    page = client.get(PAGE)
    return client.post(
        PAGE, {"preference": preference, "seen_version": hidden(page, "seen_version")}
    )


def confirm(client):
    """Open the check page and press "Opslaan" with what it carries."""
    check = client.get(CHECK)
    assert check.status_code == 200
    data = {name: hidden(check, name) for name in ("preference", "seen_version")}
    return client.post(CHECK, data)


def test_the_page_explains_both_choices(client, login):
    login()

    page = text(client.get(PAGE))

    assert "Hoe wilt u berichten van de overheid krijgen?" in page
    assert "Digitaal: u krijgt berichten per e-mail en in de berichtenbox" in page
    assert "Per post: u krijgt brieven op papier" in page


def test_choosing_by_post_is_saved_after_the_check_step(client, login):
    profile = login()

    chosen = choose(client, "post")

    assert chosen["Location"] == CHECK
    check = client.get(CHECK)
    assert "Controleer hoe wij contact met u opnemen" in text(check)
    assert "Per post" in text(check)
    assert "Niet ingevuld" in text(check)  # no preference before
    saved = confirm(client)
    assert saved["Location"] == OVERVIEW
    overview = text(client.get(OVERVIEW))
    assert "We hebben opgeslagen hoe u berichten wilt krijgen." in overview
    assert "per post" in overview
    profile.refresh_from_db()
    assert (profile.contact_preference, profile.contact_preference_version) == ("post", 1)


def test_digital_without_a_confirmed_email_is_refused_with_the_explanation(client, login):
    profile = login()

    page = client.get(PAGE)
    assert "Voor digitaal heeft u een bevestigd e-mailadres nodig." in text(page)
    assert ADD_EMAIL in text(page)
    response = choose(client, "digitaal")

    assert response.status_code == 200
    body = text(response)
    assert "Er ging iets mis" in body
    assert (
        '<a href="#id_preference_0">U heeft nog geen bevestigd e-mailadres. '
        "Voeg eerst een e-mailadres toe. Of kies per post.</a>"
    ) in body
    assert ADD_EMAIL in body
    assert re.search(r'value="digitaal"[^>]*checked', body)  # the choice is kept
    profile.refresh_from_db()
    assert profile.contact_preference == ""


def test_an_unconfirmed_email_address_is_not_enough_for_digital(client, login):
    profile = login()
    ContactDetail.objects.create(profile=profile, kind="email", value="nog@niet.nl")

    response = choose(client, "digitaal")

    assert response.status_code == 200
    assert "U heeft nog geen bevestigd e-mailadres." in text(response)


def test_digital_is_allowed_once_a_confirmed_email_exists(client, login):
    profile = login()
    confirmed_email(profile)

    page = client.get(PAGE)
    assert ADD_EMAIL not in text(page)
    assert choose(client, "digitaal")["Location"] == CHECK
    assert "Digitaal" in text(client.get(CHECK))
    confirm(client)

    profile.refresh_from_db()
    assert profile.contact_preference == "digitaal"
    assert "digitaal" in text(client.get(OVERVIEW))


def test_from_digital_back_to_post(client, login):
    profile = login()
    confirmed_email(profile)
    choose(client, "digitaal")
    confirm(client)

    choose(client, "post")
    check = text(client.get(CHECK))
    assert re.search(r"Contactvoorkeur nu</dt>\s*<dd[^>]*>\s*Digitaal", check)
    assert re.search(r"Nieuwe contactvoorkeur</dt>\s*<dd[^>]*>\s*Per post", check)
    confirm(client)

    profile.refresh_from_db()
    assert (profile.contact_preference, profile.contact_preference_version) == ("post", 2)


def test_an_email_removed_before_saving_digital_is_still_refused(client, login):
    profile = login()
    choose(client, "post")
    confirm(client)
    email = confirmed_email(profile)
    choose(client, "digitaal")
    check = client.get(CHECK)
    email.delete()  # e.g. in another tab

    response = client.post(
        CHECK, {"preference": "digitaal", "seen_version": hidden(check, "seen_version")}
    )

    assert response.status_code == 200
    assert "U heeft nog geen bevestigd e-mailadres." in text(response)
    assert ADD_EMAIL in text(response)
    profile.refresh_from_db()
    assert profile.contact_preference == "post"
    # The page carries the version there is now: the user can carry on without a conflict.
    assert hidden(response, "seen_version") == "1"


def test_choosing_what_is_already_set_changes_nothing(client, login):
    profile = login()
    choose(client, "post")
    confirm(client)

    response = choose(client, "post")

    assert response["Location"] == OVERVIEW
    assert "U koos wat al was ingesteld. Er is niets gewijzigd." in text(client.get(OVERVIEW))
    profile.refresh_from_db()
    assert profile.contact_preference_version == 1


def test_no_choice_asks_for_one(client, login):
    login()
    page = client.get(PAGE)

    response = client.post(PAGE, {"seen_version": hidden(page, "seen_version")})

    assert response.status_code == 200
    assert '<a href="#id_preference_0">Kies hoe u berichten wilt krijgen</a>' in text(response)


def test_saving_a_stale_check_page_shows_both_choices_and_lets_the_user_choose(client, login):
    profile = login()
    confirmed_email(profile)
    choose(client, "post")
    stale = client.get(CHECK)  # tab 1 waits on the check page
    choose(client, "digitaal")  # tab 2 changes it meanwhile
    confirm(client)

    response = client.post(
        CHECK, {name: hidden(stale, name) for name in ("preference", "seen_version")}
    )

    assert response.status_code == 409
    page = text(response)
    assert "Uw contactvoorkeur is intussen gewijzigd" in page
    assert re.search(r"Contactvoorkeur nu</dt>\s*<dd[^>]*>\s*Digitaal", page)
    assert re.search(r"Uw wijziging</dt>\s*<dd[^>]*>\s*Per post", page)
    assert Profile.objects.get(pk=profile.pk).contact_preference == "digitaal"
    # "Mijn wijziging opslaan" carries the version shown now, so it goes through.
    retry = client.post(
        CHECK, {name: hidden(response, name) for name in ("preference", "seen_version")}
    )
    assert retry["Location"] == OVERVIEW
    profile.refresh_from_db()
    assert (profile.contact_preference, profile.contact_preference_version) == ("post", 2)


def test_the_check_page_without_a_choice_goes_to_the_question(client, login):
    login()

    assert client.get(CHECK)["Location"] == PAGE


@pytest.mark.parametrize("path", [PAGE, CHECK])
def test_an_anonymous_visitor_gets_the_login_page(client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen?next=")


def test_a_login_below_the_change_level_steps_up_first(client, login):
    login(level="midden")

    response = client.get(PAGE)

    assert response["Location"].startswith("/inloggen/digid?")
    assert "level=substantieel" in response["Location"]


def test_the_pages_make_a_constant_number_of_queries(client, login, django_assert_max_num_queries):
    profile = login()
    confirmed_email(profile)
    choose(client, "post")

    with django_assert_max_num_queries(5):
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(CHECK).status_code == 200
