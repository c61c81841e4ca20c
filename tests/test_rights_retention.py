"""Retention: each kind of record goes after its period, with the clock moved on; the log
guards let only what is past the legal minimum go; unused profiles get a notice first; the
operators' command is idempotent."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.utils import timezone

from consent.choices import DataField, LegalBasis, Reason
from consent.gate import Decision
from consent.ldv import Trace, processing_record_write, pseudonym_for
from consent.models import ProcessingRecord
from notifications.models import InboxMessage, Notification
from profiles.choices import LoginEventKind, VerificationStatus
from profiles.models import LoginEvent, Profile, Verification
from profiles.rights.models import DataExport, RetentionNotice
from profiles.rights.retention import retention_apply
from profiles.services import login_event_record
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.notifications import confirmed, legal_task, submit

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
LOGS = {"processing_log": 400, "audit_trail": 400}


@pytest.fixture(autouse=True)
def periods(settings):
    settings.RETENTION = {
        "verifications": 30,
        "login_events": 365,
        "messages": 730,
        # Long, so moving the clock for the other kinds never reaches the logs' own guard;
        # the logs' tests shorten it (LOGS).
        "processing_log": 4000,
        "audit_trail": 4000,
        "unused_profiles": 1095,
    }
    settings.RETENTION_NOTICE_DAYS = 30


def _verification(profile, age: timedelta) -> Verification:
    verification = Verification.objects.create(
        profile=profile,
        kind="email",
        new_value="code@voorbeeld.nl",
        status=VerificationStatus.SUPERSEDED,
        expires_at=timezone.now(),
    )
    Verification.objects.filter(pk=verification.pk).update(created_at=timezone.now() - age)
    return verification


def test_verification_records_go_after_their_period():
    profile = make_profile()
    old, young = _verification(profile, 31 * DAY), _verification(profile, 29 * DAY)

    counts = retention_apply()

    assert counts["verifications"] == 1
    assert list(Verification.objects.values_list("pk", flat=True)) == [young.pk]
    assert old.pk != young.pk


def test_login_events_go_after_their_period_moving_the_clock():
    profile = make_profile()
    login_event_record(kind=LoginEventKind.LOGIN, method="digid", identity=profile.identity)
    now = timezone.now()

    assert retention_apply(now=now + 364 * DAY)["login_events"] == 0
    assert retention_apply(now=now + 366 * DAY)["login_events"] == 1
    assert not LoginEvent.objects.exists()


def test_messages_and_their_notifications_go_after_their_period():
    organisation = make_organisation()
    person = make_profile()
    confirmed(person)
    submit(organisation, legal_task(organisation), person)
    assert InboxMessage.objects.filter(notification__isnull=False).exists()
    now = timezone.now()

    assert retention_apply(now=now + 729 * DAY)["messages"] == 0
    assert retention_apply(now=now + 731 * DAY)["messages"] > 0
    assert not Notification.objects.exists()
    assert not InboxMessage.objects.filter(profile=person).exists()


def _record(identity, doelbinding, *, age: timedelta) -> None:
    processing_record_write(
        trace=Trace.from_header(""),
        organisation=doelbinding.organisation,
        doelbinding=doelbinding,
        api_client=None,
        subject_type=identity.type,
        pseudonym=pseudonym_for(identity),
        decision=Decision(True, Reason.ALLOWED, frozenset({DataField.EMAIL})),
        started_at=timezone.now() - age,
    )


def test_the_processing_log_keeps_its_records_for_their_legal_period(settings):
    # The database guard compares with its own clock, so the records are dated back instead.
    settings.RETENTION = settings.RETENTION | LOGS
    profile = make_profile()
    purpose = make_doelbinding(make_organisation(), legal_basis=LegalBasis.LEGAL_TASK)
    _record(profile.identity, purpose, age=401 * DAY)
    _record(profile.identity, purpose, age=399 * DAY)

    assert retention_apply()["processing_log"] == 1
    assert ProcessingRecord.objects.count() == 1


def test_the_database_refuses_to_remove_records_younger_than_the_legal_minimum(settings):
    settings.RETENTION = settings.RETENTION | {"processing_log": 1, "audit_trail": 1}
    profile = make_profile()
    purpose = make_doelbinding(make_organisation(), legal_basis=LegalBasis.LEGAL_TASK)
    _record(profile.identity, purpose, age=2 * DAY)

    with pytest.raises(DatabaseError), transaction.atomic():
        retention_apply()

    assert ProcessingRecord.objects.count() == 1


def test_the_audit_trail_goes_after_its_period(settings):
    settings.RETENTION = settings.RETENTION | LOGS
    profile = make_profile()
    content_type = ContentType.objects.get_for_model(Profile)
    for age in (401, 399):
        LogEntry.objects.create(
            content_type=content_type,
            object_pk=str(profile.pk),
            object_id=profile.pk,
            object_repr="profiel",
            action=LogEntry.Action.UPDATE,
            changes={"language": ["nl", "en"]},
            timestamp=timezone.now() - age * DAY,
        )

    assert retention_apply()["audit_trail"] == 1
    assert LogEntry.objects.filter(object_repr="profiel").count() == 1


def test_an_unused_profile_gets_a_notice_first_and_goes_when_it_runs_out():
    unused = make_profile()
    confirmed(unused, value="lang-weg@voorbeeld.nl")
    active = make_profile()
    now = timezone.now()
    mail.outbox.clear()

    first = retention_apply(now=now + 1070 * DAY)  # 25 days before the period ends
    again = retention_apply(now=now + 1070 * DAY)

    assert first["removal_notices_sent"] == 2 and again["removal_notices_sent"] == 0
    assert [m.to for m in mail.outbox] == [["lang-weg@voorbeeld.nl"]]
    assert "verwijderen" in mail.outbox[0].subject
    notice = RetentionNotice.objects.get(profile=unused)
    assert notice.remove_after == now + 1100 * DAY
    # The active person logs in after the notice: their profile stays.
    active.user.last_login = now + 1080 * DAY
    active.user.save(update_fields=["last_login"])

    later = retention_apply(now=now + 1101 * DAY)

    assert later["removal_notices_dropped"] == 1
    assert later["unused_profiles"] == 1
    assert list(Profile.objects.values_list("pk", flat=True)) == [active.pk]


def test_expired_downloads_go():
    profile = make_profile()
    DataExport.objects.create(profile=profile, expires_at=timezone.now() - DAY)
    DataExport.objects.create(profile=profile, expires_at=timezone.now() + DAY)

    assert retention_apply()["downloads"] == 1


def test_the_command_is_idempotent(capsys):
    profile = make_profile()
    _verification(profile, 31 * DAY)

    call_command("apply_retention")
    first = capsys.readouterr().out
    call_command("apply_retention")
    second = capsys.readouterr().out

    assert "verifications: 1" in first
    assert all(line.endswith(": 0") for line in second.strip().splitlines())
