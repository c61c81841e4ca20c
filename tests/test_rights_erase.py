"""'Mijn gegevens verwijderen': at the required level, after a confirmation step, everything
personal goes at once; the processing log's pseudonymous records stay; a last e-mail goes out;
a new login starts empty; organisations get the answer they get for someone unknown."""

import re

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core import mail

from consent.choices import Reason
from consent.ldv import pseudonym_for
from consent.models import Consent, ProcessingRecord
from core.crypto import reveal_from_audit
from notifications.models import InboxMessage, Notification
from profiles.models import Identity, LoginEvent, Profile
from profiles.rights.models import Erasure, OutgoingEmail
from tests.factories import make_profile
from tests.support.api import ApiCaller, bsn
from tests.support.rights import Person, full_use

pytestmark = pytest.mark.django_db

ERASE = "/mijn-gegevens/verwijderen"
CONFIRM = "/mijn-gegevens/verwijderen/bevestigen"
ME = Person(
    email="weg-ermee@voorbeeld.nl",
    phone="+31633334444",
    street="Vergeetstraat",
    note="Mijn tweede voornaam ontbreekt",
    subject="Besluit over uw vergunning",
    pending_email="bijna-weg@voorbeeld.nl",
)
OTHER = Person(
    email="blijft@elders.nl",
    phone="+31655556666",
    street="Blijflaan",
    note="Andermans melding",
    subject="Bericht voor een ander",
    pending_email="ander-wacht@elders.nl",
)


def database_text() -> str:
    """Every row of every model as the portal reads it: personal values are encrypted at rest
    (a dump shows none, tests/test_nothing_personal_readable.py), so read them decrypted, the
    audit trail's sealed values included."""
    rows = []
    for model in apps.get_models():
        for row in model._default_manager.values_list():
            rows.append(repr(row))
    for changes in LogEntry.objects.values_list("changes", flat=True):
        for values in (changes or {}).values():
            rows.extend(reveal_from_audit(value) for value in values if isinstance(value, str))
    return "\n".join(rows)


@pytest.fixture
def me(client, login):
    profile = login()
    used = full_use(client, profile, ME, tag="Eigen")
    return profile, used


def _erase(client):
    assert client.get(ERASE).status_code == 200
    assert client.get(CONFIRM).status_code == 200
    return client.post(CONFIRM, {"confirm": "on"})


def test_erasing_leaves_nothing_personal_while_the_pseudonymous_log_stays(client, me):
    profile, used = me
    other = make_profile()
    full_use(client, other, OTHER, tag="Ander")
    bsn_number, pseudonym = profile.identity.value, pseudonym_for(profile.identity)
    before = ProcessingRecord.objects.filter(subject_pseudonym=pseudonym).count()
    assert before > 0
    text = database_text()
    mine = (bsn_number, ME.email, ME.phone, ME.street, ME.note, ME.subject, ME.pending_email)
    assert all(value in text for value in mine)
    mail.outbox.clear()

    response = _erase(client)

    assert response.status_code == 302 and response["Location"] == "/gegevens-verwijderd"
    text = database_text()
    for value in mine:
        assert value not in text, value
    for value in (other.identity.value, OTHER.email, OTHER.street, OTHER.subject):
        assert value in text, value
    assert not Profile.objects.filter(pk=profile.pk).exists()
    assert not Identity.objects.lookup(type="bsn", value=bsn_number).exists()
    assert not LoginEvent.objects.filter(identity_id=profile.identity_id).exists()
    assert not Consent.objects.filter(profile_id=profile.pk).exists()
    assert not Notification.objects.filter(recipient_id=profile.pk).exists()
    assert not InboxMessage.objects.filter(profile_id=profile.pk).exists()
    # The log keeps its pseudonymous records, and says the consent in force ended.
    kept = ProcessingRecord.objects.filter(subject_pseudonym=pseudonym)
    ended = kept.filter(reason=Reason.ERASED)
    assert kept.count() == before + 1
    assert list(ended.values_list("doelbinding_version_id", flat=True)) == [
        used["newsletter"].current_version.pk
    ]
    assert Erasure.objects.count() == 1
    # The last e-mail went to the confirmed address; its composed row is gone with it.
    assert [message.to for message in mail.outbox] == [[ME.email]]
    assert "verwijderd" in mail.outbox[0].subject
    assert not OutgoingEmail.objects.exists()
    # Logged out.
    assert client.get("/mijn-gegevens").status_code == 302


def test_the_erase_pages_make_few_queries(client, me, django_assert_max_num_queries):
    for url in (ERASE, CONFIRM):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_the_erase_step_needs_a_tick_and_says_so_in_b1(client, login):
    login()
    response = client.post(CONFIRM, {})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Zet een vinkje als u al uw gegevens wilt verwijderen" in html
    assert 'aria-invalid="true"' in html
    assert Profile.objects.count() == 1


def test_erasing_needs_the_required_level_of_assurance(client, login, settings):
    settings.LOA_ERASE = "hoog"
    login(level="substantieel")

    for response in (client.get(ERASE), client.post(CONFIRM, {"confirm": "on"})):
        assert response.status_code == 302
        assert re.search(r"/inloggen/digid\?next=.*level=hoog", response["Location"])
    assert Profile.objects.count() == 1


def test_a_new_login_starts_empty(client, me, login):
    profile, _used = me
    _erase(client)

    again = login()

    assert again.pk != profile.pk
    overview = client.get("/mijn-gegevens").content.decode()
    assert ME.email not in overview and ME.street not in overview
    usage = client.get("/wie-gebruikte-mijn-gegevens").content.decode()
    assert "Belastingberichten" not in usage
    assert ME.email not in client.get("/mijn-gegevens/wijzigingen").content.decode()
    assert client.get("/toestemmingen/geschiedenis").content.decode().count("<tr>") == 0


@pytest.mark.parametrize(("purpose", "status"), [("newsletter", 403), ("legal", 404)])
def test_organisations_get_the_answer_they_get_for_someone_unknown(client, me, purpose, status):
    profile, used = me
    number = profile.identity.value
    _erase(client)
    caller = ApiCaller.for_organisation(client, used["organisation"], name="Na verwijdering")

    erased = caller.zoek(bsn(number), used[purpose])
    unknown = caller.zoek(bsn("999999904"), used[purpose])

    # On consent: "no consent", as for anyone; on a legal task: nobody with this number.
    assert erased.status_code == unknown.status_code == status
    strip = {"instance", "traceparent"}
    assert {k: v for k, v in erased.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip
    }
