"""Which channels can reach a person: one rule, for one person or many at once."""

import pytest

from notifications.preferences.channels import reachable_channels, reachable_channels_for
from profiles.models import ContactDetail
from tests.factories import make_profile
from tests.support.notifications import confirmed, with_address

pytestmark = pytest.mark.django_db


def mix_of_people() -> dict[str, object]:
    people = {name: make_profile() for name in ("nothing", "unconfirmed", "email", "phone")}
    people |= {name: make_profile() for name in ("address", "everything")}
    ContactDetail.objects.create(
        profile=people["unconfirmed"], kind="email", value="niet@bevestigd.nl"
    )
    confirmed(people["email"])
    confirmed(people["phone"], "phone")
    with_address(people["address"])
    confirmed(people["everything"])
    confirmed(people["everything"], "phone")
    with_address(people["everything"])
    return people


def test_many_people_at_once_get_what_each_gets_alone():
    people = mix_of_people()

    together = reachable_channels_for(p.pk for p in people.values())

    assert together == {p.pk: reachable_channels(p) for p in people.values()}
    assert {name: together[p.pk] for name, p in people.items()} == {
        "nothing": {"inbox"},
        "unconfirmed": {"inbox"},  # only a confirmed address is ever used
        "email": {"inbox", "email"},
        "phone": {"inbox", "sms"},
        "address": {"inbox", "post"},
        "everything": {"inbox", "email", "sms", "post"},
    }


def test_many_people_cost_one_query_as_two_do(django_assert_num_queries):
    people = list(mix_of_people().values())

    with django_assert_num_queries(1):
        reachable_channels_for([p.pk for p in people[:2]])
    with django_assert_num_queries(1):
        reachable_channels_for([p.pk for p in people])
