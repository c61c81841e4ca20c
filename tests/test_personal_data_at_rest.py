"""Personal values are ciphertext in the database, found through blind indexes, and rotatable."""

import io
import re
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail, signing
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import crypto
from core.crypto import new_key
from profiles.choices import IdentityType
from profiles.contact.services import contact_change_confirm, contact_change_request
from profiles.models import ContactDetail, Identity, PostalAddress, Profile
from profiles.services import profile_get_or_create
from profiles.tasks import send_verification_code
from tests.factories import make_profile
from tests.support.notifications import DB_TASKS
from tests.support.staff_login import FORCED_LOGIN_BACKEND

BSN = "999993653"


def stored(model, field: str, pk: int) -> str:
    """The column as the database holds it, past the ORM (names from the model, not input)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(model._meta.get_field(field).column)} FROM "
            f"{quote(model._meta.db_table)} WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def test_a_sealed_value_opens_only_in_its_own_place_and_untouched():
    sealed = crypto.seal("jan@voorbeeld.nl", place="profiles.ContactDetail.value")

    assert "jan" not in sealed and sealed.startswith("pd1$test1$")
    assert crypto.reveal(sealed, place="profiles.ContactDetail.value") == "jan@voorbeeld.nl"
    with pytest.raises(crypto.ValueDamaged):
        crypto.reveal(sealed, place="profiles.Verification.new_value")
    flipped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(crypto.ValueDamaged):
        crypto.reveal(flipped, place="profiles.ContactDetail.value")
    assert crypto.seal("", place="x") == ""


def test_a_value_under_an_unknown_key_says_which_key_is_missing(settings):
    sealed = crypto.seal("jan@voorbeeld.nl", place="p")
    settings.PERSONAL_DATA_KEYS = f"other:{new_key()}"

    with pytest.raises(crypto.KeyMissing, match="test1"):
        crypto.reveal(sealed, place="p")


@pytest.mark.django_db
def test_numbers_contact_details_and_addresses_are_ciphertext_in_the_database():
    profile = profile_get_or_create(identity_type=IdentityType.BSN, value=BSN)
    profile.display_name = "Jan Jansen"
    profile.save()
    detail = ContactDetail.objects.create(
        profile=profile, kind="email", value="jan@voorbeeld.nl", verified_at=timezone.now()
    )
    address = PostalAddress.objects.create(
        profile=profile, street="Keizersgracht", house_number="1", postcode="1015CJ", city="X"
    )

    for model, field, pk, plain in [
        (Identity, "value", profile.identity.pk, BSN),
        (Profile, "display_name", profile.pk, "Jan Jansen"),
        (ContactDetail, "value", detail.pk, "jan@voorbeeld.nl"),
        (PostalAddress, "street", address.pk, "Keizersgracht"),
        (PostalAddress, "postcode", address.pk, "1015CJ"),
    ]:
        raw = stored(model, field, pk)
        assert raw.startswith("pd1$") and plain not in raw, (model, field)
    # ...and plain to the portal
    assert Profile.objects.get(pk=profile.pk).identity.value == BSN
    assert ContactDetail.objects.get(pk=detail.pk).value == "jan@voorbeeld.nl"


@pytest.mark.django_db
def test_a_person_is_found_by_number_without_decrypting_and_stays_one_profile():
    first = profile_get_or_create(identity_type=IdentityType.BSN, value=BSN)
    again = profile_get_or_create(identity_type=IdentityType.BSN, value=BSN)
    company = profile_get_or_create(identity_type=IdentityType.KVK, value="69599084")
    branch = profile_get_or_create(
        identity_type=IdentityType.KVK, value="69599084", branch="000038509504"
    )

    assert first.pk == again.pk
    assert len({first.pk, company.pk, branch.pk}) == 3
    assert Identity.objects.lookup(type=IdentityType.BSN, value=BSN).get() == first.identity
    assert set(Identity.objects.with_number("69599084")) == {company.identity, branch.identity}
    # The database cannot compare ciphertext: asking it to is a mistake, not an empty answer.
    with pytest.raises(FieldError, match="blind index"):
        Identity.objects.filter(value=BSN).exists()


@pytest.mark.django_db
def test_staff_find_a_person_by_exact_number_or_email_and_the_list_masks_them(client):
    staff = get_user_model().objects.create_superuser("beheerder", None, None)
    client.force_login(staff, backend=FORCED_LOGIN_BACKEND)
    wanted = make_profile(BSN)
    other = make_profile()
    ContactDetail.objects.create(
        profile=other, kind="email", value="Piet@Voorbeeld.nl", verified_at=timezone.now()
    )

    by_number = client.get("/beheer/profiles/profile/", {"q": BSN})
    by_email = client.get("/beheer/profiles/profile/", {"q": "piet@voorbeeld.nl"})
    partial = client.get("/beheer/profiles/profile/", {"q": "99999"})

    assert list(by_number.context["cl"].result_list) == [wanted]
    assert list(by_email.context["cl"].result_list) == [other]
    assert list(partial.context["cl"].result_list) == []
    page = by_number.content.decode()
    start = page.index("<tbody>", page.index('id="result_list"'))
    # The links keep the staff member's own query (q=...); the rows themselves mask the number.
    rows = page[start : page.index("</tbody>", start)].replace(f"q%3D{BSN}", "")
    assert BSN not in rows and "*****3653" in rows


@pytest.mark.django_db
def test_the_session_is_ciphertext_in_the_database(client, login):
    login(identity="digid-burger")
    raw = Session.objects.get().session_data
    payload = raw.split(":", 1)[0]
    body = signing.b64_decode(payload.lstrip(".").encode())
    if payload.startswith("."):
        body = zlib.decompress(body)

    assert body.startswith(b"pd1$")
    assert BSN.encode() not in body
    assert client.get("/mijn-gegevens").status_code == 200  # and it still reads


@pytest.mark.django_db(transaction=True)
def test_the_queued_notice_to_the_old_address_carries_no_address(settings):
    settings.TASKS = DB_TASKS
    profile = make_profile()
    ContactDetail.objects.create(
        profile=profile, kind="email", value="oud@voorbeeld.nl", verified_at=timezone.now()
    )
    verification = contact_change_request(
        profile=profile, kind="email", new_value="nieuw@voorbeeld.nl", seen_version=1, language="nl"
    )
    code = _code_from_queue(verification)
    assert contact_change_confirm(
        profile=profile, verification_id=verification.pk, code=code, language="nl"
    ).ok

    queued = " ".join(str(t.args_kwargs) for t in DBTaskResult.objects.all())
    assert "send_email_changed_notice" in " ".join(
        DBTaskResult.objects.values_list("task_path", flat=True)
    )
    assert "oud@voorbeeld.nl" not in queued and "nieuw@voorbeeld.nl" not in queued


def _code_from_queue(verification) -> str:
    send_verification_code.call(verification_id=verification.pk, language="nl")
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


@pytest.mark.django_db
def test_rotation_rewrites_every_value_under_the_new_key_and_can_run_again(settings):
    profile = make_profile(BSN)
    detail = ContactDetail.objects.create(
        profile=profile, kind="email", value="jan@voorbeeld.nl", verified_at=timezone.now()
    )
    # A value from before encryption, as an upgraded database has it: it is read, then sealed.
    PostalAddress.objects.create(profile=profile, street="Dam", house_number="1", postcode="1")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE profiles_postaladdress SET city = 'Amsterdam'")
    old = settings.PERSONAL_DATA_KEYS
    settings.PERSONAL_DATA_KEYS = f"test2:{new_key()},{old}"

    call_command("rotate_personal_data_key", batch_size=1, stdout=io.StringIO())

    assert stored(ContactDetail, "value", detail.pk).startswith("pd1$test2$")
    assert stored(Identity, "value", profile.identity.pk).startswith("pd1$test2$")
    assert stored(PostalAddress, "city", profile.postal_address.pk).startswith("pd1$test2$")
    settings.PERSONAL_DATA_KEYS = settings.PERSONAL_DATA_KEYS.split(",")[0]  # old key gone
    assert ContactDetail.objects.get(pk=detail.pk).value == "jan@voorbeeld.nl"
    assert PostalAddress.objects.get(profile=profile).city == "Amsterdam"
    assert Identity.objects.lookup(type=IdentityType.BSN, value=BSN).exists()
    again = io.StringIO()
    call_command("rotate_personal_data_key", stdout=again)
    assert "Done: 0 value(s)" in again.getvalue()
