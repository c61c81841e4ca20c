"""'Hoe wilt u berichten krijgen?': channels per organisation and kind of message, over HTTP.

E-mail, SMS and post only when the person has the detail for it; "actie nodig" always reaches
the person outside the portal; what is saved is what the delivery uses (channels_for).
"""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from notifications.models import ChannelPreference
from notifications.preferences.channels import channels_for
from notifications.preferences.services import ChannelChoiceError, channel_preferences_save
from profiles.models import ContactDetail, PostalAddress, Profile
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

PAGE = "/berichten/voorkeuren"
KINDS = ["ontvangstbevestiging", "statuswijziging", "besluit", "actie_nodig"]


# --- helpers -----------------------------------------------------------------------------------


def text(response) -> str:
    return html.unescape(response.content.decode())


def confirmed(profile, kind="email", value="ondernemer@voorbeeld.nl"):
    return ContactDetail.objects.create(
        profile=profile, kind=kind, value=value, verified_at=timezone.now()
    )


def postal_address(profile):
    return PostalAddress.objects.create(
        profile=profile, street="Hoofdstraat", house_number="1", postcode="1234AB", city="Dorp"
    )


def checkbox(response, organisation, kind, channel) -> str:
    """The <input> tag of one check box in the organisation's table."""
    name = f"org{organisation.pk}-{kind}"
    match = re.search(
        rf'<input type="checkbox" name="{name}" value="{channel}"[^>]*>', text(response)
    )
    assert match, f"no check box {name}={channel}"
    return match[0]


def is_checked(response, organisation, kind, channel) -> bool:
    return " checked" in checkbox(response, organisation, kind, channel)


def form_data(response, organisation) -> dict:
    """What pressing the save button sends now: the version and the ticked boxes."""
    prefix = f"org{organisation.pk}"
    body = text(response)
    version = re.search(rf'name="{prefix}-version" value="([^"]*)"', body)[1]
    data = {"organisation": organisation.pk, f"{prefix}-version": version}
    for kind in KINDS:
        data[f"{prefix}-{kind}"] = [
            c for c in ("email", "sms", "post") if is_checked(response, organisation, kind, c)
        ]
    return data


def save(client, organisation, **changes):
    """Open the page, set the given kinds to the given channels, press save."""
    data = form_data(client.get(PAGE), organisation)
    for kind, channels in changes.items():
        data[f"org{organisation.pk}-{kind}"] = channels
    return client.post(PAGE, data)


# --- the page ----------------------------------------------------------------------------------


def test_each_organisation_has_a_table_with_kinds_as_rows_and_channels_as_columns(client, login):
    profile = login()
    confirmed(profile)
    testdorp = make_organisation("Gemeente Testdorp")
    make_organisation("Waterschap Nat")
    make_organisation("Gemeente Opgeheven", active=False)

    response = client.get(PAGE)

    body = text(response)
    assert "<h1>Hoe wilt u berichten krijgen?</h1>" in body
    assert re.search(r'<caption id="preferences-caption-\d+">Gemeente Testdorp</caption>', body)
    assert re.search(r'<caption id="preferences-caption-\d+">Waterschap Nat</caption>', body)
    assert "Gemeente Opgeheven" not in body
    for header in ("E-mail", "Sms", "Post"):
        assert f'<th scope="col">{header}</th>' in body
    for kind in ("Ontvangstbevestiging", "Statuswijziging", "Besluit", "Actie nodig"):
        assert re.search(rf'<th scope="row">\s*{kind}\s*</th>', body)
    assert "Beveiligingsbericht" not in body  # security notices always come; no choice
    email = checkbox(response, testdorp, "besluit", "email")
    label_for = re.search(r'id="([^"]+)"', email)[1]
    label = (
        f'<label class="visually-hidden" for="{label_for}">E-mail voor besluit (Gemeente Testdorp)'
    )
    assert label in body
    assert "U krijgt elk bericht ook altijd in uw berichtenbox op deze website." in body


def test_without_a_choice_the_general_preference_is_shown_digital_by_default(client, login):
    profile = login()
    confirmed(profile)
    confirmed(profile, "phone", "+31612345678")
    postal_address(profile)
    testdorp = make_organisation()

    response = client.get(PAGE)

    for kind in KINDS:
        assert is_checked(response, testdorp, kind, "email")
        assert not is_checked(response, testdorp, kind, "sms")
        assert not is_checked(response, testdorp, kind, "post")


def test_with_by_post_as_general_preference_post_is_ticked(client, login):
    profile = login()
    confirmed(profile)
    postal_address(profile)
    Profile.objects.filter(pk=profile.pk).update(contact_preference="post")
    testdorp = make_organisation()

    response = client.get(PAGE)

    assert is_checked(response, testdorp, "besluit", "post")
    assert not is_checked(response, testdorp, "besluit", "email")


def test_a_channel_without_its_contact_detail_is_disabled_with_a_link_to_add_it(client, login):
    profile = login()
    confirmed(profile)
    testdorp = make_organisation()

    response = client.get(PAGE)

    body = text(response)
    sms = checkbox(response, testdorp, "besluit", "sms")
    assert " disabled" in sms and " checked" not in sms
    assert 'aria-describedby="unavailable-sms"' in sms
    assert " disabled" in checkbox(response, testdorp, "besluit", "post")
    assert " disabled" not in checkbox(response, testdorp, "besluit", "email")
    assert "U kunt nog geen sms kiezen. U heeft nog geen bevestigd telefoonnummer." in body
    assert '<a href="/mijn-gegevens/telefoonnummer">Telefoonnummer toevoegen</a>' in body
    assert "U kunt nog geen post kiezen. U heeft nog geen postadres." in body
    assert '<a href="/mijn-gegevens/postadres">Postadres toevoegen</a>' in body
    assert "U kunt nog geen e-mail kiezen" not in body


def test_without_any_contact_detail_messages_only_go_to_the_inbox(client, login):
    login()
    make_organisation()

    body = text(client.get(PAGE))

    assert "Daarom krijgt u berichten nu alleen in uw berichtenbox." in body
    assert '<a href="/mijn-gegevens/e-mailadres">E-mailadres toevoegen</a>' in body
    assert "<table" not in body


def test_without_organisations_the_page_says_so(client, login):
    confirmed(login())

    body = text(client.get(PAGE))

    assert "Er zijn nu nog geen organisaties die berichten sturen via deze website." in body


# --- saving ------------------------------------------------------------------------------------


def test_a_saved_choice_is_what_delivery_uses(client, login):
    profile = login()
    confirmed(profile)
    confirmed(profile, "phone", "+31612345678")
    testdorp = make_organisation()
    other = make_organisation("Waterschap Nat")

    response = save(client, testdorp, besluit=["sms"], actie_nodig=["email", "sms"])

    assert response.status_code == 302 and response["Location"] == PAGE
    page = client.get(PAGE)
    assert "We hebben opgeslagen hoe u berichten van Gemeente Testdorp wilt krijgen." in text(page)
    assert is_checked(page, testdorp, "besluit", "sms")
    assert not is_checked(page, testdorp, "besluit", "email")
    assert channels_for(profile=profile, organisation=testdorp, kind="besluit") == ["inbox", "sms"]
    assert channels_for(profile=profile, organisation=testdorp, kind="actie_nodig") == [
        "inbox",
        "email",
        "sms",
    ]
    # Another organisation keeps following the general preference.
    assert channels_for(profile=profile, organisation=other, kind="besluit") == ["inbox", "email"]


def test_only_choices_that_differ_from_the_general_preference_are_stored(client, login):
    profile = login()
    confirmed(profile)
    postal_address(profile)
    testdorp = make_organisation()

    unchanged = save(client, testdorp)
    assert unchanged["Location"] == PAGE
    assert "U heeft niets veranderd voor Gemeente Testdorp." in text(client.get(PAGE))
    assert not ChannelPreference.objects.exists()

    save(client, testdorp, besluit=["post"])
    assert list(ChannelPreference.objects.values_list("kind", "email", "post")) == [
        ("besluit", False, True)
    ]
    save(client, testdorp, besluit=["email"])  # back to what the general preference gives
    assert not ChannelPreference.objects.exists()
    # So it follows the general preference when that changes.
    Profile.objects.filter(pk=profile.pk).update(contact_preference="post")
    profile.refresh_from_db()
    assert channels_for(profile=profile, organisation=testdorp, kind="besluit") == ["inbox", "post"]


def test_action_needed_without_a_channel_is_refused_and_the_input_is_kept(client, login):
    profile = login()
    confirmed(profile)
    confirmed(profile, "phone", "+31612345678")
    testdorp = make_organisation()

    response = save(client, testdorp, besluit=["sms"], actie_nodig=[])

    assert response.status_code == 200
    body = text(response)
    message = (
        "Kies voor “actie nodig” van Gemeente Testdorp minstens één manier: e-mail, sms of post."
    )
    assert "<title>Fout: Hoe wilt u berichten krijgen?" in body
    assert "Er ging iets mis" in body
    field = f"id_org{testdorp.pk}-actie_nodig"
    assert f'<a href="#{field}_0">{message}' in body  # the summary links to the first box
    assert re.search(rf'id="{field}_error".*?{re.escape(message)}', body, re.S)
    assert f'id="{field}_0"' in checkbox(response, testdorp, "actie_nodig", "email")
    assert 'aria-invalid="true"' in checkbox(response, testdorp, "actie_nodig", "email")
    assert is_checked(response, testdorp, "besluit", "sms")  # what the person ticked stays
    assert not is_checked(response, testdorp, "besluit", "email")
    assert not ChannelPreference.objects.exists()


def test_the_error_summary_links_to_the_first_box_that_can_be_ticked(client, login):
    profile = login()
    postal_address(profile)  # no e-mail: the e-mail box is disabled
    testdorp = make_organisation()

    response = save(client, testdorp, actie_nodig=[])

    field = f"id_org{testdorp.pk}-actie_nodig"
    assert f'<a href="#{field}_0">' in text(response)
    assert f'id="{field}_0"' in checkbox(response, testdorp, "actie_nodig", "post")


def test_a_channel_without_its_contact_detail_cannot_be_saved(client, login):
    profile = login()
    confirmed(profile)
    testdorp = make_organisation()

    # A page opened before the phone number was removed still sends the box.
    response = save(client, testdorp, besluit=["sms"])

    assert response.status_code == 200
    assert "U heeft geen bevestigd telefoonnummer. Voeg eerst een telefoonnummer toe." in text(
        response
    )
    assert not ChannelPreference.objects.exists()


def test_the_database_refuses_action_needed_with_only_the_inbox(login):
    profile = login()
    confirmed(profile)
    testdorp = make_organisation()

    with pytest.raises(ChannelChoiceError) as refused:
        channel_preferences_save(
            profile=profile,
            organisation=testdorp,
            choices={"actie_nodig": set()},
            seen_version="",
        )

    assert refused.value.problems == [("actie_nodig", "action_needed_outside_inbox")]


def test_a_change_in_another_window_meanwhile_shows_both_and_lets_the_person_choose(client, login):
    profile = login()
    confirmed(profile)
    postal_address(profile)
    testdorp = make_organisation()
    first_window = form_data(client.get(PAGE), testdorp)
    save(client, testdorp, besluit=["post"])  # the other window

    first_window[f"org{testdorp.pk}-besluit"] = ["email", "post"]
    response = client.post(PAGE, first_window)

    assert response.status_code == 409
    body = text(response)
    assert "<h1>Uw keuzes zijn intussen gewijzigd</h1>" in body
    assert re.search(r"Besluit\s*</th>\s*<td>Post</td>\s*<td>E-mail, Post</td>", body)
    assert '<a href="/berichten/voorkeuren">De keuzes houden die er nu zijn</a>' in body
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body)
    data = {}
    for name, value in hidden:
        data.setdefault(name, []).append(value)
    saved = client.post(PAGE, data)
    assert saved["Location"] == PAGE
    assert channels_for(profile=profile, organisation=testdorp, kind="besluit") == [
        "inbox",
        "email",
        "post",
    ]


def test_an_organisation_that_stopped_meanwhile_saves_nothing(client, login):
    profile = login()
    confirmed(profile)
    testdorp = make_organisation()
    data = form_data(client.get(PAGE), testdorp)
    testdorp.active = False
    testdorp.save()

    response = client.post(PAGE, data)

    assert response["Location"] == PAGE
    assert "Deze organisatie stuurt geen berichten meer via deze website." in text(client.get(PAGE))


# --- who may, and how fast ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)

    assert response["Location"] == "/inloggen?next=%2Fberichten%2Fvoorkeuren"


def test_a_login_below_the_change_level_steps_up_first(client, login):
    login(level="midden")

    response = client.get(PAGE)

    assert response["Location"].startswith("/inloggen/digid?")
    assert "level=substantieel" in response["Location"]


def test_the_page_makes_as_many_queries_for_ten_organisations_as_for_one(
    client, login, django_assert_max_num_queries
):
    profile = login()
    confirmed(profile)
    postal_address(profile)
    first = make_organisation()
    save(client, first, besluit=["post"])
    with CaptureQueriesContext(connection) as one:
        assert client.get(PAGE).status_code == 200
    queries_for_one = len(one)  # now: each request clears Django's query log

    for number in range(9):
        organisation = make_organisation(f"Gemeente {number}")
        save(client, organisation, besluit=["post"], actie_nodig=["email", "post"])

    with django_assert_max_num_queries(queries_for_one):
        assert client.get(PAGE).status_code == 200
    assert queries_for_one <= 10
