"""Bulk intake: one message to many people, routed as single intake routes it."""

import pytest

from notifications.choices import MessageKind
from notifications.intake.bulk import notification_submit_bulk
from notifications.models import ChannelPreference, Notification
from profiles.choices import ContactPreference
from profiles.models import ContactDetail, Profile
from profiles.preference.services import contact_preference_update
from tests.factories import make_organisation, make_profile
from tests.support.notifications import (
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


# --- one message to many -----------------------------------------------------------------------


def test_bulk_intake_routes_like_single_intake_and_a_rerun_fills_in_only_who_is_missing(
    gemeente, provincie, django_assert_max_num_queries
):
    doelbinding = legal_task(gemeente)
    people = [make_profile() for _ in range(7)]
    confirmed(people[0])
    confirmed(people[1], "phone")
    with_address(people[2])
    contact_preference_update(profile=people[2], preference=ContactPreference.POST, seen_version=0)
    ChannelPreference.objects.create(
        profile=people[1], organisation=gemeente, kind=MessageKind.STATUS, sms=True
    )
    ContactDetail.objects.create(profile=people[3], kind="email", value="niet@bevestigd.nl")
    # The same case from another system of the gemeente; a provincie's "Z-1" is another case.
    submit(gemeente, legal_task(gemeente), people[4], case_reference="Z-1", idempotency_key="old")
    submit(provincie, legal_task(provincie), people[5], case_reference="Z-1")
    everyone = Profile.objects.filter(pk__in=[p.pk for p in people[:6]])

    first = notification_submit_bulk(
        organisation=gemeente,
        doelbinding=doelbinding,
        recipients=everyone,
        kind=MessageKind.STATUS,
        subject="Nieuwe afvalkalender",
        body="De nieuwe kalender staat online.",
        case_reference="Z-1",
        idempotency_key="kalender-2027",
        batch_size=4,
    )
    with django_assert_max_num_queries(40):
        again = notification_submit_bulk(
            organisation=gemeente,
            doelbinding=doelbinding,
            recipients=Profile.objects.filter(pk__in=[p.pk for p in people]),
            kind=MessageKind.STATUS,
            subject="Nieuwe afvalkalender",
            body="De nieuwe kalender staat online.",
            case_reference="Z-1",
            idempotency_key="kalender-2027",
            batch_size=4,
        )

    assert (first.accepted, first.duplicates, first.replayed) == (5, 1, 0)
    assert (again.accepted, again.duplicates, again.replayed) == (1, 0, 6)
    routed = {
        n.recipient_id: set(channels(n))
        for n in Notification.objects.filter(
            organisation=gemeente, idempotency_key__startswith="kalender-2027"
        )
    }
    assert routed[people[0].pk] == {"inbox", "email"}
    assert routed[people[1].pk] == {"inbox", "sms"}
    assert routed[people[2].pk] == {"inbox", "post"}
    assert routed[people[3].pk] == routed[people[5].pk] == routed[people[6].pk] == {"inbox"}
    assert routed[people[4].pk] == set()  # the gemeente sent this case already
