"""Staff send one message to many people: upload numbers, check who gets it, confirm, follow."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from consent.choices import DoelbindingStatus, LegalBasis
from notifications.choices import BatchStatus
from notifications.intake import preview
from notifications.models import Notification, NotificationBatch
from profiles.choices import ContactPreference
from profiles.preference.services import contact_preference_update
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task, with_address
from tests.support.worker import run_worker
from tests.test_notifications_admin import make_staff, text

pytestmark = pytest.mark.django_db

UPLOAD = "admin:notifications_notificationbatch_add"
# The worker commits its own transactions on PostgreSQL (as in tests/test_delivery.py).
worker_db = pytest.mark.django_db(transaction=connection.vendor == "postgresql")


def confirm_url(batch) -> str:
    return reverse("admin:notifications_notificationbatch_confirm", args=[batch.pk])


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


def batch_staff(organisation, username="medewerker-a"):
    # A test that commits (worker_db on PostgreSQL) leaves a flushed database: the group of the
    # data migration may be gone, so it is made again and the permissions given directly.
    Group.objects.get_or_create(name="Medewerker gemeente")
    user = make_staff(organisation, username=username)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="notifications",
            codename__in=["view_notificationbatch", "add_notificationbatch"],
        )
    )
    return user


@pytest.fixture
def staff(client, aadorp):
    user = batch_staff(aadorp)
    client.force_login(user)
    return user


def upload(client, doelbinding, content: bytes, name="nummers.csv", **fields):
    data = {
        "numbers_file": SimpleUploadedFile(name, content, content_type="text/csv"),
        "doelbinding": doelbinding.pk,
        "kind": "statuswijziging",
        "subject": "Nieuwe regels voor terrassen",
        "body": "Vanaf 1 juni gelden nieuwe regels voor terrassen.",
        "link": "",
        "case_reference": "",
    } | fields
    return client.post(reverse(UPLOAD), data)


def csv_of(*numbers: str, header=True) -> bytes:
    lines = (["nummer"] if header else []) + list(numbers)
    return ("\r\n".join(lines) + "\r\n").encode()


def test_staff_upload_numbers_see_who_gets_it_by_which_channel_and_confirm(
    client, staff, aadorp, django_assert_max_num_queries
):
    doelbinding = legal_task(aadorp)
    by_email = [make_profile() for _ in range(3)]
    for n, person in enumerate(by_email):
        confirmed(person, "email", f"ondernemer{n}@example.nl")
    by_post = make_profile()
    with_address(by_post)
    contact_preference_update(profile=by_post, preference=ContactPreference.POST, seen_version=0)
    people = [*by_email, by_post]
    numbers = [p.identity.value for p in people] + ["111222333", by_email[0].identity.value]

    uploaded = upload(client, doelbinding, csv_of(*numbers))

    batch = NotificationBatch.objects.get()
    assert uploaded.status_code == 302 and uploaded["Location"] == confirm_url(batch)
    assert batch.status == BatchStatus.DRAFT and batch.recipient_count == 5  # doubles once
    assert not Notification.objects.exists()
    with django_assert_max_num_queries(25):
        preview = client.get(confirm_url(batch))
    page = text(preview)
    assert "Stuur naar 4 mensen" in page
    assert _cell(page, "Berichtenbox in dit portaal") == "4"
    assert _cell(page, "E-mail") == "3"
    assert _cell(page, "Brief per post") == "1"
    assert "niemand met dit nummer gebruikt het portaal" in page.lower()
    assert mail.outbox == []

    done = client.post(confirm_url(batch))

    batch.refresh_from_db()
    assert done["Location"] == reverse(
        "admin:notifications_notificationbatch_change", args=[batch.pk]
    )
    assert batch.status == BatchStatus.DONE  # the tests' task backend runs it at once
    assert batch.refused == {"not_found": 1}
    assert Notification.objects.filter(batch=batch).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == [f"ondernemer{n}@example.nl" for n in range(3)]
    result = text(client.get(done["Location"]))
    assert "5 van 5 nummers verwerkt" in result
    # A second click on the same confirmation sends nothing again.
    client.post(confirm_url(batch))
    assert Notification.objects.count() == 4 and len(mail.outbox) == 3


def _cell(page: str, label: str) -> str:
    row = page.split(f'<th scope="row">{label}</th><td>', 1)[1]
    return row.split("</td>", 1)[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Het bestand heeft geen nummers"),
        (b"nummer\r\n\r\n", "Het bestand heeft geen nummers"),
        (csv_of("12a45"), "Regel 2: “12a45” is geen BSN of KvK-nummer"),
        (csv_of("123456789"), "Regel 2: 123456789 is geen goed BSN"),
        (b"\x00\x01\x02binary", "Wij kunnen dit bestand niet lezen"),
        (csv_of(*["1"] * 12), "En nog 2 regels met een fout"),
    ],
    ids=["empty", "only a header", "letters", "elfproef", "not text", "many errors"],
)
def test_a_bad_file_gets_a_clear_message_and_the_message_is_kept(
    client, staff, aadorp, content, message
):
    doelbinding = legal_task(aadorp)

    response = upload(client, doelbinding, content, subject="Mijn onderwerp")

    assert response.status_code == 200
    page = text(response)
    assert message in page, page[page.find("errorlist") - 200 :][:1500]
    assert 'value="Mijn onderwerp"' in page
    assert not NotificationBatch.objects.exists()


def test_a_file_with_too_many_numbers_is_refused(client, staff, aadorp, settings):
    settings.NOTIFICATION_BULK_UPLOAD_MAX_ROWS = 3
    people = [make_profile() for _ in range(4)]

    response = upload(client, legal_task(aadorp), csv_of(*[p.identity.value for p in people]))

    assert "Het bestand heeft meer dan 3 nummers" in text(response)
    assert not NotificationBatch.objects.exists()


def test_types_in_a_column_and_semicolons_are_read_and_a_lost_leading_zero_is_put_back(
    client, staff, aadorp
):
    content = b"soort;nummer\r\nbsn;12345672\r\nkvk;12345678\r\n"

    upload(client, legal_task(aadorp), content)

    batch = NotificationBatch.objects.get()
    assert batch.numbers.splitlines() == ["bsn:012345672:", "kvk:12345678:"]


def test_a_consent_purpose_does_not_tell_who_uses_the_portal(client, staff, aadorp):
    purpose = make_doelbinding(aadorp, legal_basis=LegalBasis.CONSENT)
    person = make_profile()

    upload(client, purpose, csv_of(person.identity.value, "111222333"))
    page = text(client.get(confirm_url(NotificationBatch.objects.get())))

    assert "Niemand in dit bestand kan het bericht krijgen" in page
    assert "niemand met dit nummer" not in page.lower()


def test_a_purpose_withdrawn_after_the_preview_sends_nothing(client, staff, aadorp):
    doelbinding = legal_task(aadorp)
    person = make_profile()
    confirmed(person, "email", "ondernemer@example.nl")
    upload(client, doelbinding, csv_of(person.identity.value))
    batch = NotificationBatch.objects.get()
    doelbinding.status = DoelbindingStatus.WITHDRAWN
    doelbinding.save()

    client.post(confirm_url(batch))

    batch.refresh_from_db()
    assert batch.status == BatchStatus.REFUSED
    assert batch.refused == {"doelbinding_not_active": 1}
    assert not Notification.objects.exists() and mail.outbox == []


def test_another_organisations_staff_cannot_see_or_confirm_the_upload(client, staff, aadorp):
    upload(client, legal_task(aadorp), csv_of(make_profile().identity.value))
    batch = NotificationBatch.objects.get()
    beedorp = make_organisation("Gemeente Beedorp")
    client.force_login(batch_staff(beedorp, username="medewerker-b"))

    assert client.get(confirm_url(batch)).status_code == 404
    assert client.post(confirm_url(batch)).status_code == 404
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


def test_staff_without_the_permission_cannot_upload(client, aadorp):
    user = User.objects.create_user(username="kijker", is_staff=True)
    aadorp.staff.add(user)
    client.force_login(user)

    assert client.get(reverse(UPLOAD)).status_code == 403


@worker_db
def test_a_big_file_is_counted_and_sent_by_the_worker_not_in_the_request(
    client, staff, aadorp, settings, monkeypatch
):
    settings.TASKS = DB_TASKS
    monkeypatch.setattr(preview, "IN_REQUEST", 1)
    doelbinding = legal_task(aadorp)
    people = [make_profile() for _ in range(3)]
    for n, person in enumerate(people):
        confirmed(person, "email", f"ondernemer{n}@example.nl")

    upload(client, doelbinding, csv_of(*[p.identity.value for p in people]))
    batch = NotificationBatch.objects.get()
    waiting = text(client.get(confirm_url(batch)))
    run_worker()
    counted = text(client.get(confirm_url(batch)))

    assert "Wij tellen wie het bericht krijgt voor 3 nummers" in waiting
    assert "Stuur naar" not in waiting
    assert "Stuur naar 3 mensen" in counted
    client.post(confirm_url(batch))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.QUEUED and not Notification.objects.exists()
    run_worker()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.processed_count == 3
    assert Notification.objects.filter(batch=batch).count() == 3
    assert len(mail.outbox) == 3


@worker_db
def test_a_batch_whose_worker_stopped_can_be_processed_again_without_sending_twice(
    client, staff, aadorp, settings
):
    settings.TASKS = DB_TASKS
    doelbinding = legal_task(aadorp)
    people = [make_profile() for _ in range(2)]
    for n, person in enumerate(people):
        confirmed(person, "email", f"ondernemer{n}@example.nl")
    upload(client, doelbinding, csv_of(*[p.identity.value for p in people]))
    batch = NotificationBatch.objects.get()
    client.post(confirm_url(batch))
    # As a worker killed mid-way leaves it: running, its task marked running for good.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING)
    NotificationBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING)
    run_worker()
    assert not Notification.objects.exists()

    client.post(
        reverse("admin:notifications_notificationbatch_changelist"),
        {"action": "process_again", "_selected_action": [batch.pk]},
    )
    run_worker()

    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert Notification.objects.filter(batch=batch).count() == 2
    assert len(mail.outbox) == 2
