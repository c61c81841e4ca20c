"""What every request loads before its page: the session and the user with its profile.

Both are read with one hand-written statement each (profiles/login/session_store.py and
profiles/login/request_user.py); these tests hold that they give what Django's ORM gave.
"""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from notifications.models import InboxMessage
from profiles.choices import IdentityType
from profiles.login.request_user import request_user
from profiles.login.session_store import SessionStore
from profiles.services import profile_get_or_create

pytestmark = pytest.mark.django_db


def test_a_person_comes_with_profile_identity_and_unread_count_in_one_query(
    django_assert_num_queries,
):
    profile = profile_get_or_create(identity_type=IdentityType.BSN, value="111222333")
    for read_at in (None, None, timezone.now()):
        InboxMessage.objects.create(profile=profile, subject="Uw aanvraag", read_at=read_at)

    with django_assert_num_queries(1):
        user = request_user(profile.user_id)
        assert user.profile.pk == profile.pk
        assert user.profile.user is user
        assert user.profile.identity.value == "111222333"  # decrypted, as the ORM does
        assert user.unread_messages == 2
        assert user.is_authenticated


def test_a_staff_user_has_no_profile_and_asking_costs_no_query(django_assert_num_queries):
    staff = get_user_model().objects.create_user("medewerker", is_staff=True)

    with django_assert_num_queries(1):
        user = request_user(staff.pk)
        assert user.username == "medewerker"
        assert not hasattr(user, "profile")  # raises ObjectDoesNotExist, without a query
        assert user.unread_messages == 0


def test_a_user_that_is_gone_or_an_id_that_is_no_number_is_nobody():
    assert request_user(987654) is None
    assert request_user("not a number") is None


def test_a_session_is_read_back_as_it_was_written():
    store = SessionStore()
    store["portal_login"] = {"method": "digid", "level": "substantieel"}
    store.save()

    again = SessionStore(store.session_key)
    assert again["portal_login"] == {"method": "digid", "level": "substantieel"}
    assert again.session_key == store.session_key


def test_an_expired_session_is_not_read_and_the_next_save_gets_a_new_key():
    store = SessionStore()
    store["portal_login"] = {"method": "digid"}
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    again = SessionStore(store.session_key)
    assert "portal_login" not in again
    again["x"] = 1
    again.save()
    assert again.session_key != store.session_key


def test_a_changed_session_is_saved_under_its_key_and_stays_sealed():
    store = SessionStore()
    store["portal_login"] = {"method": "digid"}
    store.save()
    store["preference_change"] = {"preference": "post"}
    store.save()

    row = Session.objects.get(pk=store.session_key)
    assert "post" not in row.session_data  # ciphertext in the table
    assert SessionStore(store.session_key)["preference_change"] == {"preference": "post"}
    assert Session.objects.count() == 1


def test_saving_a_session_deleted_meanwhile_says_so_as_django_does():
    store = SessionStore()
    store["portal_login"] = {"method": "digid"}
    store.save()
    Session.objects.filter(pk=store.session_key).delete()  # logged out in another tab

    store["preference_change"] = {"preference": "post"}
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


@pytest.mark.parametrize("key", ["", "short", "x" * 41, "' OR 1=1 --abcdefgh"])
def test_a_missing_or_made_up_session_key_is_no_session(key):
    store = SessionStore()
    store["portal_login"] = {"method": "digid"}
    store.save()

    assert dict(SessionStore(key or None).items()) == {}


def test_object_does_not_exist_is_what_a_missing_profile_raises():
    staff = get_user_model().objects.create_user("beheerder", is_staff=True)
    with pytest.raises(ObjectDoesNotExist):
        request_user(staff.pk).profile  # noqa: B018 - the attribute access is the test
