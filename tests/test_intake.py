"""Intake: a message is accepted once, delivered once per case, and routed as the person chose,
within what the purpose allows."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField, DoelbindingStatus, LegalBasis, Reason
from consent.services import consent_give, consent_withdraw
from core.api_problems import ProblemCode
from notifications.choices import Channel, DeliveryStatus, MessageKind
from notifications.intake.services import DUPLICATE, REPLAYED, IntakeRefused
from notifications.models import ChannelPreference, Delivery, InboxMessage, Notification
from profiles.choices import ContactPreference
from profiles.models import ContactDetail
from profiles.preference.services import contact_preference_update
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.notifications import (
    DB_TASKS,
    channels,
    confirmed,
    legal_task,
    submit,
    with_address,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def gemeente():
    return make_organisation("Gemeente Testdorp")


@pytest.fixture
def provincie():
    return make_organisation("Provincie Middenland")


@pytest.fixture
def person():
    profile = make_profile()
    confirmed(profile)
    return profile


# --- deduplication ----------------------------------------------------------------------------


def test_the_same_key_is_accepted_once_and_delivers_nothing_new(gemeente, person):
    doelbinding = legal_task(gemeente)
    first = submit(gemeente, doelbinding, person)
    again = submit(gemeente, doelbinding, person)

    assert again.status == REPLAYED and not again.created
    assert again.notification == first.notification
    assert Notification.objects.count() == 1
    assert Delivery.objects.count() == 2
    assert len(mail.outbox) == 1
    assert InboxMessage.objects.count() == 1


def test_a_key_reused_for_another_message_is_refused_and_changes_nothing(gemeente, person):
    doelbinding = legal_task(gemeente)
    submit(gemeente, doelbinding, person)

    with pytest.raises(IntakeRefused) as refused:
        submit(gemeente, doelbinding, person, subject="Iets anders")

    assert refused.value.code == ProblemCode.IDEMPOTENCY_KEY_REUSED
    assert Notification.objects.count() == 1


def test_the_same_key_of_another_organisation_is_another_message(gemeente, provincie, person):
    submit(gemeente, legal_task(gemeente), person, case_reference="G-1")
    other = submit(provincie, legal_task(provincie), person, case_reference="P-1")

    assert other.created and other.status != DUPLICATE
    assert len(mail.outbox) == 2


def test_the_same_case_from_a_second_system_is_recorded_and_not_delivered(gemeente, person):
    original = submit(gemeente, legal_task(gemeente), person).notification
    other_key = submit(gemeente, legal_task(gemeente), person, idempotency_key="key-2")

    assert other_key.status == DUPLICATE
    assert other_key.notification.duplicate_of == original
    assert not other_key.notification.deliveries.exists()
    assert len(mail.outbox) == 1
    assert InboxMessage.objects.count() == 1


def test_the_same_case_reference_of_another_organisation_is_its_own_message(
    gemeente, provincie, person
):
    # A case reference means something only to its sender: another organisation using the same
    # one is neither held back nor shown the first organisation's message.
    original = submit(gemeente, legal_task(gemeente), person).notification
    other = submit(provincie, legal_task(provincie), person)

    assert other.status != DUPLICATE
    assert other.notification.duplicate_of is None
    assert other.notification.pk != original.pk
    assert len(mail.outbox) == 2
    assert InboxMessage.objects.count() == 2


def test_another_kind_or_another_case_is_no_duplicate(gemeente, person):
    doelbinding = legal_task(gemeente)
    submit(gemeente, doelbinding, person)
    decision = submit(
        gemeente, doelbinding, person, idempotency_key="k2", kind=MessageKind.DECISION
    )
    other_case = submit(gemeente, doelbinding, person, idempotency_key="k3", case_reference="Z-9")
    no_case = [
        submit(gemeente, doelbinding, person, idempotency_key=k, case_reference="")
        for k in ("k4", "k5")
    ]

    assert [r.notification.duplicate_of for r in (decision, other_case, *no_case)] == [None] * 4
    assert len(mail.outbox) == 5


def test_the_same_case_after_the_window_is_delivered_again(gemeente, person, settings):
    settings.NOTIFICATION_DEDUP_WINDOW = 3600
    doelbinding = legal_task(gemeente)
    first = submit(gemeente, doelbinding, person).notification
    Notification.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))

    later = submit(gemeente, doelbinding, person, idempotency_key="key-2")

    assert later.notification.duplicate_of is None
    assert len(mail.outbox) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_moment_make_one_message(gemeente, person):
    doelbinding = legal_task(gemeente)
    start, results, errors = threading.Barrier(4), [], []

    def send():
        try:
            start.wait()
            results.append(submit(gemeente, doelbinding, person))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(r.status for r in results).count("accepted") == 1
    assert {r.notification.pk for r in results} == {Notification.objects.get().pk}
    assert len(mail.outbox) == 1


# --- routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("preference", ["", ContactPreference.DIGITAL])
def test_without_a_choice_or_digitaal_it_goes_to_the_inbox_and_the_confirmed_email(
    gemeente, person, preference
):
    if preference:
        contact_preference_update(profile=person, preference=preference, seen_version=0)

    result = submit(gemeente, legal_task(gemeente), person)

    assert channels(result.notification) == {
        "inbox": (DeliveryStatus.SENT, ""),
        "email": (DeliveryStatus.SENT, ""),
    }


def test_without_contact_details_only_the_inbox_gets_it(gemeente):
    result = submit(gemeente, legal_task(gemeente), make_profile())

    assert channels(result.notification) == {"inbox": (DeliveryStatus.SENT, "")}


def test_an_unconfirmed_email_address_is_never_used(gemeente):
    profile = make_profile()
    ContactDetail.objects.create(profile=profile, kind="email", value="nog@niet.nl")
    ContactDetail.objects.create(profile=profile, kind="phone", value="+31611111111")
    ChannelPreference.objects.create(
        profile=profile, organisation=gemeente, kind=MessageKind.STATUS, email=True, sms=True
    )

    result = submit(gemeente, legal_task(gemeente), profile)

    assert set(channels(result.notification)) == {"inbox"}
    assert mail.outbox == []


def test_per_post_sends_a_letter_and_no_email(gemeente, person):
    with_address(person)
    contact_preference_update(profile=person, preference=ContactPreference.POST, seen_version=0)

    result = submit(gemeente, legal_task(gemeente), person)

    assert channels(result.notification) == {
        "inbox": (DeliveryStatus.SENT, ""),
        "post": (DeliveryStatus.QUEUED, ""),
    }
    assert mail.outbox == []


def test_a_choice_for_this_organisation_and_kind_beats_the_general_preference(
    gemeente, provincie, person
):
    confirmed(person, "phone")
    ChannelPreference.objects.create(
        profile=person, organisation=gemeente, kind=MessageKind.STATUS, sms=True
    )

    for_gemeente = submit(gemeente, legal_task(gemeente), person, case_reference="G")
    for_provincie = submit(provincie, legal_task(provincie), person, case_reference="P")
    other_kind = submit(
        gemeente, legal_task(gemeente), person, kind=MessageKind.DECISION, idempotency_key="k2"
    )

    assert set(channels(for_gemeente.notification)) == {"inbox", "sms"}
    assert set(channels(for_provincie.notification)) == {"inbox", "email"}
    assert set(channels(other_kind.notification)) == {"inbox", "email"}


# --- the gate, per channel ---------------------------------------------------------------------


def test_a_channel_the_purpose_does_not_cover_is_refused_and_the_reason_kept(gemeente, person):
    confirmed(person, "phone")
    ChannelPreference.objects.create(
        profile=person, organisation=gemeente, kind=MessageKind.STATUS, email=True, sms=True
    )

    result = submit(gemeente, legal_task(gemeente, {DataField.EMAIL}), person)

    assert channels(result.notification) == {
        "inbox": (DeliveryStatus.SENT, ""),
        "email": (DeliveryStatus.SENT, ""),
        "sms": (DeliveryStatus.FAILED, Reason.FIELDS_NOT_COVERED),
    }


def test_without_consent_nothing_is_delivered_not_even_to_the_inbox(gemeente, person):
    doelbinding = make_doelbinding(gemeente, legal_basis=LegalBasis.CONSENT)

    # Refused as a whole, as for a number nobody uses: the sender cannot tell the two apart.
    with pytest.raises(IntakeRefused) as refused:
        submit(gemeente, doelbinding, person)

    assert refused.value.code == Reason.NO_CONSENT
    assert not Notification.objects.exists()
    assert mail.outbox == [] and not InboxMessage.objects.exists()


def test_with_consent_the_message_goes_out_and_after_withdrawal_no_more(gemeente, person):
    doelbinding = make_doelbinding(gemeente, legal_basis=LegalBasis.CONSENT)
    consent_give(profile=person, doelbinding=doelbinding, version_id=doelbinding.current_version.pk)
    given = submit(gemeente, doelbinding, person)
    consent_withdraw(profile=person, doelbinding=doelbinding)
    with pytest.raises(IntakeRefused) as withdrawn:
        submit(gemeente, doelbinding, person, idempotency_key="k2", case_reference="")

    assert channels(given.notification)["email"] == (DeliveryStatus.SENT, "")
    assert withdrawn.value.code == Reason.NO_CONSENT
    assert len(mail.outbox) == 1


def test_post_takes_over_when_the_purpose_refuses_every_chosen_channel(gemeente, person):
    with_address(person)

    result = submit(gemeente, legal_task(gemeente, {DataField.POSTAL_ADDRESS}), person)

    deliveries = {d.channel: d for d in result.notification.deliveries.all()}
    assert deliveries["email"].last_error == Reason.FIELDS_NOT_COVERED
    assert deliveries["post"].status == DeliveryStatus.QUEUED
    assert deliveries["post"].fallback_for == deliveries["email"]


def test_post_refused_by_the_purpose_is_refused_too(gemeente, person):
    with_address(person)
    contact_preference_update(profile=person, preference=ContactPreference.POST, seen_version=0)

    result = submit(gemeente, legal_task(gemeente, {DataField.EMAIL}), person)

    assert channels(result.notification)["post"] == (
        DeliveryStatus.FAILED,
        Reason.FIELDS_NOT_COVERED,
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"status": DoelbindingStatus.WITHDRAWN}, Reason.NOT_ACTIVE),
        ({"valid_until": timezone.localdate() - timedelta(days=1)}, Reason.EXPIRED),
    ],
)
def test_a_purpose_not_in_force_refuses_the_whole_message(gemeente, person, change, reason):
    doelbinding = legal_task(gemeente, **change)

    with pytest.raises(IntakeRefused) as refused:
        submit(gemeente, doelbinding, person)

    assert refused.value.code == reason
    assert not Notification.objects.exists()


def test_another_organisations_purpose_refuses_the_whole_message(gemeente, provincie, person):
    with pytest.raises(IntakeRefused) as refused:
        submit(gemeente, legal_task(provincie), person)

    assert refused.value.code == Reason.WRONG_ORGANISATION


# --- tasks in the same transaction ---------------------------------------------------------------


def test_intake_enqueues_one_task_for_its_deliveries_with_the_rows(gemeente, person, settings):
    settings.TASKS = DB_TASKS
    with_address(person)
    confirmed(person, "phone")
    ChannelPreference.objects.create(
        profile=person,
        organisation=gemeente,
        kind=MessageKind.STATUS,
        email=True,
        sms=True,
        post=True,
    )

    submit(gemeente, legal_task(gemeente), person)
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(gemeente, legal_task(gemeente), person, idempotency_key="k2", case_reference="")
        raise RuntimeError("the request fails after intake")

    # One task for inbox, e-mail and SMS; the letter waits for the daily batch.
    [task] = DBTaskResult.objects.all()
    queued = Delivery.objects.exclude(channel=Channel.POST).values_list("pk", flat=True)
    assert sorted(task.args_kwargs["kwargs"]["delivery_ids"]) == sorted(queued)
    assert Delivery.objects.filter(status=DeliveryStatus.QUEUED).count() == 4
    assert mail.outbox == []  # nothing is sent inside the request
