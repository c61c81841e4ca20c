"""The admin for notifications: each organisation sees its own messages and how they went, sends
one from a form, decides about uncertain deliveries and downloads the daily letters."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse
from django.utils import timezone

from consent.choices import DataField, LegalBasis
from consent.models import ProcessingRecord
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.delivery.batch import deliveries_attempt
from notifications.delivery.services import SENDING
from notifications.models import Delivery, Notification
from profiles.choices import ContactPreference
from profiles.preference.services import contact_preference_update
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task, submit, with_address

pytestmark = pytest.mark.django_db

# What the data migration for the group "Medewerker gemeente" should add (see the report).
NOTIFICATION_PERMISSIONS = [
    "view_notification",
    "add_notification",
    "view_delivery",
    "change_delivery",
]
NO_PROFILE = (
    "Niemand met dit nummer gebruikt Mijn Omgeving Zakelijk. Stuur dit bericht op een andere "
    "manier."
)


def make_staff(*organisations, username="medewerker-a"):
    user = User.objects.create_user(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="Medewerker gemeente"))
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="notifications", codename__in=NOTIFICATION_PERMISSIONS
        )
    )
    for organisation in organisations:
        organisation.staff.add(user)
    return user


def url(model, view="changelist", *args):
    return reverse(f"admin:notifications_{model}_{view}", args=args)


def text(response) -> str:
    return response.content.decode()


def letter_for(organisation, doelbinding=None, **overrides):
    """A notification whose only channel outside the portal is a letter."""
    profile = make_profile()
    profile.display_name = overrides.pop("name", "J. Jansen")
    profile.save()
    with_address(profile)
    contact_preference_update(profile=profile, preference=ContactPreference.POST, seen_version=0)
    doelbinding = doelbinding or legal_task(organisation)
    return submit(organisation, doelbinding, profile, **overrides).notification


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


# --- seeing only one's own -------------------------------------------------------------------


def test_staff_see_only_their_own_organisations_messages_and_deliveries(
    client, staff, aadorp, beedorp, django_assert_max_num_queries
):
    person = make_profile()
    doelbinding = legal_task(aadorp)
    ours = [
        submit(aadorp, doelbinding, person, subject=f"Aadorp {n}", idempotency_key=f"{n}")
        for n in range(3)
    ]
    theirs = submit(
        beedorp, legal_task(beedorp), person, subject="Beedorp geheim", case_reference="B-1"
    ).notification

    # One of them: whether sending by e-mail or SMS is paused (the notice above the list).
    with django_assert_max_num_queries(13):
        page = text(client.get(url("notification")))
    deliveries = text(client.get(url("delivery")))

    assert all(f"Aadorp {n}" in page for n in range(3))
    assert "geen: dubbel bericht" in page  # same case twice: only the first went out
    assert "Beedorp geheim" not in page and "Beedorp geheim" not in deliveries
    assert "Aadorp 0" in deliveries
    assert client.get(url("notification", "change", theirs.pk)).status_code == 404
    their_delivery = theirs.deliveries.first()
    assert client.get(url("delivery", "change", their_delivery.pk)).status_code == 404
    assert client.get(url("notification", "change", ours[0].notification.pk)).status_code == 200


def test_staff_see_why_a_channel_was_refused(client, staff, aadorp):
    person = make_profile()
    confirmed(person)
    notification = submit(aadorp, legal_task(aadorp, {DataField.PHONE}), person).notification

    detail = text(client.get(url("notification", "change", notification.pk)))

    assert "het doel geldt niet voor deze gegevens" in detail  # e-mail: not covered
    assert "mislukt" in detail


def test_staff_read_in_words_that_the_address_was_gone_when_the_email_was_due(
    client, staff, aadorp, settings
):
    settings.TASKS = DB_TASKS  # intake only queues: the person removes the address meanwhile
    person = make_profile()
    address = confirmed(person)
    notification = submit(aadorp, legal_task(aadorp), person).notification
    address.delete()
    email = notification.deliveries.get(channel=Channel.EMAIL)

    deliveries_attempt(delivery_ids=[email.pk])

    email.refresh_from_db()
    assert (email.status, email.last_error) == (DeliveryStatus.FAILED, "no_confirmed_address")
    detail = text(client.get(url("delivery", "change", email.pk)))
    assert "er is geen bevestigd e-mailadres of telefoonnummer" in detail


def test_a_message_is_never_changed_or_deleted_in_the_admin(client, staff, aadorp):
    notification = submit(aadorp, legal_task(aadorp), make_profile()).notification

    changed = client.post(url("notification", "change", notification.pk), {"subject": "Anders"})
    deleted = client.post(url("notification", "delete", notification.pk), {"post": "yes"})

    assert changed.status_code == 403 and deleted.status_code == 403
    notification.refresh_from_db()
    assert notification.subject == "Uw aanvraag is in behandeling"


# --- sending from the admin ---------------------------------------------------------------------


def send_form(client) -> dict:
    page = text(client.get(url("notification", "add")))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
    assert key, "the form carries its idempotency key"
    return {"idempotency_key": key[1]}


def test_staff_send_a_message_and_see_how_each_channel_went(client, staff, aadorp, beedorp):
    doelbinding = legal_task(aadorp, name="Berichten over uw vergunning")
    legal_task(beedorp, name="Beedorp parkeren")
    person = make_profile()
    confirmed(person)
    data = send_form(client) | {
        "identity_type": "bsn",
        "number": person.identity.value,
        "doelbinding": doelbinding.pk,
        "kind": MessageKind.DECISION,
        "subject": "Besluit over uw vergunning",
        "body": "Wij hebben uw vergunning verleend.",
        "link": "https://aadorp.nl/zaken/42",
        "case_reference": "Z-42",
    }

    form_page = text(client.get(url("notification", "add")))
    sent = client.post(url("notification", "add"), data)
    again = client.post(url("notification", "add"), data)  # pressed twice

    assert "Gemeente Aadorp: Berichten over uw vergunning" in form_page
    assert "Beedorp parkeren" not in form_page
    notification = Notification.objects.get()
    assert sent.status_code == again.status_code == 302
    assert sent.url == url("notification", "change", notification.pk)
    assert (notification.organisation, notification.recipient) == (aadorp, person)
    assert notification.idempotency_key.startswith("admin-")
    detail = text(client.get(sent.url))
    assert "Het bericht is aangenomen." in detail
    assert "Besluit over uw vergunning" in detail
    assert detail.count("verstuurd") >= 2  # inbox and e-mail


def test_an_unknown_number_or_a_wrong_bsn_gets_a_clear_message(client, staff, aadorp):
    doelbinding = legal_task(aadorp)
    data = send_form(client) | {
        "identity_type": "bsn",
        "doelbinding": doelbinding.pk,
        "kind": MessageKind.STATUS,
        "subject": "Onderwerp",
        "body": "Tekst",
    }

    unknown = text(client.post(url("notification", "add"), data | {"number": "111222333"}))
    wrong = text(client.post(url("notification", "add"), data | {"number": "123456789"}))

    assert NO_PROFILE in unknown
    assert "Een BSN heeft 9 cijfers en moet een geldig nummer zijn." in wrong
    assert 'value="Onderwerp"' in wrong  # what staff typed stays
    assert not Notification.objects.exists()


def test_under_a_consent_purpose_staff_cannot_tell_who_uses_the_portal(client, staff, aadorp):
    purpose = make_doelbinding(aadorp, legal_basis=LegalBasis.CONSENT)
    without_consent = make_profile()
    data = send_form(client) | {
        "identity_type": "bsn",
        "doelbinding": purpose.pk,
        "kind": MessageKind.STATUS,
        "subject": "Onderwerp",
        "body": "Tekst",
    }

    nobody = text(client.post(url("notification", "add"), data | {"number": "111222333"}))
    known = text(
        client.post(url("notification", "add"), data | {"number": without_consent.identity.value})
    )

    assert NO_PROFILE not in nobody
    refusal = "Dit bericht kan niet worden verstuurd"
    assert refusal in nobody and refusal in known
    assert not Notification.objects.exists()


def test_another_organisations_purpose_cannot_be_chosen(client, staff, aadorp, beedorp):
    person = make_profile()
    data = send_form(client) | {
        "identity_type": "bsn",
        "number": person.identity.value,
        "doelbinding": legal_task(beedorp).pk,
        "kind": MessageKind.STATUS,
        "subject": "Onderwerp",
        "body": "Tekst",
    }

    response = client.post(url("notification", "add"), data)

    assert response.status_code == 200
    assert not Notification.objects.exists()


# --- deciding about uncertain deliveries -------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status", "attempts"),
    [("mark_sent", DeliveryStatus.SENT, 1), ("send_again", DeliveryStatus.SENT, 1)],
)
def test_staff_decide_about_an_email_that_may_or_may_not_have_gone_out(
    client, staff, aadorp, action, status, attempts
):
    person = make_profile()
    confirmed(person)
    notification = submit(aadorp, legal_task(aadorp), person).notification
    email = notification.deliveries.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=email.pk).update(status=SENDING)

    listed = text(client.get(url("delivery") + f"?status={SENDING}"))
    client.post(url("delivery"), {"action": action, "_selected_action": [email.pk]})

    assert "onzeker: wordt verstuurd of is gestopt" in listed
    email.refresh_from_db()
    assert (email.status, email.attempts) == (status, attempts)


# --- the daily letters -----------------------------------------------------------------------


def rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_the_days_letters_download_as_csv_and_count_as_sent_once_the_day_is_over(
    client, staff, aadorp, beedorp
):
    first = letter_for(aadorp, name="=J. Jansen", case_reference="Z-1")
    letter_for(aadorp, name="P. de Vries", case_reference="Z-2", idempotency_key="k2")
    letter_for(beedorp, name="Iemand van Beedorp")
    today = timezone.localdate()

    overview = text(client.get(reverse("admin:notifications_delivery_post")))
    download = client.get(reverse("admin:notifications_delivery_post_csv", args=[today]))
    too_early = client.post(reverse("admin:notifications_delivery_post_sent", args=[today]))

    assert "Vandaag nog open" in overview
    header, *lines = rows(download)
    assert header[:4] == ["brief", "organisatie", "naam", "adresregel 1"]
    assert [line[2] for line in lines] == ["'=J. Jansen", "P. de Vries"]
    assert lines[0][3:5] == ["Dorpsstraat 12", "1234 AB Testdorp"]
    assert lines[0][-3:] == ["Uw aanvraag is in behandeling", first.body, "Z-1"]
    assert ProcessingRecord.objects.filter(fields="postal_address").count() == 2
    assert "morgen" in text(client.get(too_early.url))
    assert Delivery.objects.filter(channel="post", status="queued").count() == 3

    yesterday = today - timedelta(days=1)
    Delivery.objects.filter(channel="post").update(
        next_attempt_at=timezone.now() - timedelta(days=1)
    )
    client.post(reverse("admin:notifications_delivery_post_sent", args=[yesterday]))
    again = client.get(reverse("admin:notifications_delivery_post_csv", args=[yesterday]))

    assert [line[2] for line in rows(again)[1:]] == ["'=J. Jansen", "P. de Vries"]
    post = Delivery.objects.filter(channel="post")
    assert sorted(post.values_list("status", flat=True)) == ["queued", "sent", "sent"]
    assert post.get(status="queued").notification.organisation == beedorp
