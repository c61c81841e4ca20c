"""Consent in force is one rule (Consent.objects.active()); the API's SQL follows the same rule."""

import pytest

from consent.api.selectors import active_consents
from consent.models import Consent
from consent.services import consent_give, consent_withdraw
from tests.factories import make_doelbinding, make_organisation, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def doelbinding():
    return make_doelbinding(make_organisation())


def give(profile, doelbinding) -> Consent:
    return consent_give(
        profile=profile, doelbinding=doelbinding, version_id=doelbinding.current_version.pk
    )


def test_a_withdrawn_consent_is_not_active_and_a_new_one_is(doelbinding):
    person = make_profile()
    first = give(person, doelbinding)
    consent_withdraw(profile=person, doelbinding=doelbinding)
    again = give(person, doelbinding)

    assert list(Consent.objects.active()) == [again]
    assert list(Consent.objects.withdrawn()) == [first]
    assert (Consent.objects.get(pk=first.pk).active, again.active) == (False, True)


def test_the_apis_sql_finds_exactly_the_active_consents(doelbinding):
    given, withdrawn, given_again, never = (make_profile() for _ in range(4))
    give(given, doelbinding)
    give(withdrawn, doelbinding)
    consent_withdraw(profile=withdrawn, doelbinding=doelbinding)
    give(given_again, doelbinding)
    consent_withdraw(profile=given_again, doelbinding=doelbinding)
    latest = give(given_again, doelbinding)
    ids = [p.pk for p in (given, withdrawn, given_again, never)]

    found = active_consents(doelbinding.pk, ids)

    expected = Consent.objects.active().filter(doelbinding=doelbinding, profile_id__in=ids)
    assert {pk: c.pk for pk, c in found.items()} == {c.profile_id: c.pk for c in expected}
    assert set(found) == {given.pk, given_again.pk}
    assert found[given_again.pk].pk == latest.pk
