"""Logboek Dataverwerkingen: every API read leaves one confirmed record before any data leaves."""

import re
import secrets
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from consent.choices import DataField, LegalBasis, Outcome, Reason
from consent.ldv import subject_pseudonym
from consent.models import ProcessingRecord
from consent.services import consent_give
from profiles.choices import IdentityType
from profiles.services import profile_get_or_create
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import (
    UNKNOWN_BSN,
    ApiCaller,
    assert_problem,
    bsn,
    complete_profile,
    confirmed,
    identificatie,
    log_refuses_writes,
)
from tests.support.db_roles import owner_role

pytestmark = pytest.mark.django_db

HEX32, HEX16 = re.compile(r"^[0-9a-f]{32}$"), re.compile(r"^[0-9a-f]{16}$")
EMAIL = "ondernemer@voorbeeld.nl"


@pytest.fixture(autouse=True)
def fresh_rate_counters():
    cache.clear()


@pytest.fixture
def organisation():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def caller(client, organisation):
    return ApiCaller.for_organisation(client, organisation)


@pytest.fixture
def person():
    return complete_profile(make_profile())


@pytest.fixture
def legal_task(organisation):
    return make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL, DataField.PHONE}
    )


def test_an_allowed_read_leaves_a_complete_record(caller, organisation, legal_task, person):
    before = timezone.now()

    response = caller.zoek(identificatie(person), legal_task)

    assert response.status_code == 200
    record = ProcessingRecord.objects.get()
    assert HEX32.match(record.trace_id) and HEX16.match(record.span_id)
    assert record.parent_span_id == ""
    activity = urlsplit(record.activity_id)
    assert activity.scheme in ("http", "https") and activity.netloc and activity.path
    assert record.organisation == organisation
    assert record.api_client == caller.api_client
    assert record.doelbinding_version == legal_task.current_version
    assert record.subject_type == "bsn"
    assert record.subject_pseudonym == subject_pseudonym("bsn", person.identity.value, "")
    assert (record.fields, record.outcome, record.reason) == ("email,phone", "allowed", "allowed")
    assert before <= record.started_at <= record.ended_at <= timezone.now()


def test_a_refused_read_is_logged_with_its_reason_and_no_data(caller, organisation, person):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)

    response = caller.zoek(identificatie(person), doelbinding)

    assert_problem(response, 403, code="no_consent")
    record = ProcessingRecord.objects.get()
    assert (record.outcome, record.reason, record.fields) == (
        Outcome.REFUSED,
        Reason.NO_CONSENT,
        "",
    )
    assert record.doelbinding_version == doelbinding.current_version


def test_a_registered_activity_uri_names_the_activity(caller, legal_task, person):
    legal_task.activity_uri = "https://register.example/verwerkingsactiviteiten/42"
    legal_task.save()

    caller.zoek(identificatie(person), legal_task)

    assert ProcessingRecord.objects.get().activity_id == legal_task.activity_uri


def test_the_callers_trace_is_continued(caller, legal_task, person):
    trace_id, parent = secrets.token_hex(16), secrets.token_hex(8)

    caller.zoek(identificatie(person), legal_task, traceparent=f"00-{trace_id}-{parent}-01")

    record = ProcessingRecord.objects.get()
    assert (record.trace_id, record.parent_span_id) == (trace_id, parent)
    assert HEX16.match(record.span_id) and record.span_id != parent


INVALID_TRACEPARENTS = {
    "not a traceparent": "hallo",
    "trace id all zeros": f"00-{'0' * 32}-{'a' * 16}-01",
    "span id all zeros": f"00-{'a' * 32}-{'0' * 16}-01",
    "trace id too short": f"00-{'a' * 31}-{'b' * 16}-01",
    "unknown version": f"ff-{'a' * 32}-{'b' * 16}-01",
    "not hex": f"00-{'g' * 32}-{'b' * 16}-01",
}


@pytest.mark.parametrize("case", INVALID_TRACEPARENTS)
def test_an_invalid_traceparent_starts_a_new_trace(caller, legal_task, person, case):
    caller.zoek(identificatie(person), legal_task, traceparent=INVALID_TRACEPARENTS[case])

    record = ProcessingRecord.objects.get()
    assert HEX32.match(record.trace_id)
    assert record.trace_id not in INVALID_TRACEPARENTS[case]
    assert record.parent_span_id == ""


def test_a_bulk_read_logs_each_person_once_in_one_trace(caller, legal_task, person):
    other = complete_profile(make_profile())

    caller.bulk([identificatie(person), identificatie(other), bsn(UNKNOWN_BSN)], legal_task)

    records = list(ProcessingRecord.objects.order_by("pk"))
    assert [r.subject_pseudonym for r in records] == [
        subject_pseudonym("bsn", number, "")
        for number in (person.identity.value, other.identity.value, UNKNOWN_BSN)
    ]
    assert [r.reason for r in records] == ["allowed", "allowed", "not_found"]
    assert len({r.trace_id for r in records}) == 1
    assert len({r.span_id for r in records}) == 3


def test_no_number_is_stored_in_the_log(caller, organisation, legal_task, person):
    business = profile_get_or_create(
        identity_type=IdentityType.KVK, value="87654321", branch="000087654321"
    )
    confirmed(business, "email", "info@bedrijf.nl")

    caller.zoek(identificatie(person), legal_task)
    caller.zoek(identificatie(business), legal_task)
    caller.zoek(bsn(UNKNOWN_BSN), legal_task)

    rows = [str(row) for row in ProcessingRecord.objects.values_list()]
    assert len(rows) == 3
    for number in (person.identity.value, "87654321", "000087654321", UNKNOWN_BSN):
        assert not any(number in row for row in rows)
    assert ProcessingRecord.objects.filter(
        subject_type="kvk", subject_pseudonym=subject_pseudonym("kvk", "87654321", "000087654321")
    ).exists()


# --- a read that cannot be logged does not happen -----------------------------------------


def test_without_a_log_a_read_gives_no_data(caller, legal_task, person):
    with log_refuses_writes():
        response = caller.zoek(identificatie(person), legal_task)

    assert_problem(response, 503, code="log_unavailable")
    content = response.content.decode()
    assert EMAIL not in content and "+31612345678" not in content
    assert not ProcessingRecord.objects.exists()
    # Once the log takes records again, so does the API.
    assert caller.zoek(identificatie(person), legal_task).status_code == 200


def test_without_a_log_a_bulk_read_gives_nobodys_data(caller, organisation, person):
    doelbinding = make_doelbinding(organisation, legal_basis=LegalBasis.CONSENT)
    consent_give(profile=person, doelbinding=doelbinding, version_id=doelbinding.current_version.pk)

    with log_refuses_writes():
        response = caller.bulk([identificatie(person), bsn(UNKNOWN_BSN)], doelbinding)

    assert_problem(response, 503, code="log_unavailable")
    assert EMAIL not in response.content.decode()
    assert not ProcessingRecord.objects.exists()


# --- the log is append-only, in the database itself ---------------------------------------


@pytest.fixture
def record(caller, legal_task, person):
    caller.zoek(identificatie(person), legal_task)
    return ProcessingRecord.objects.get()


CHANGES = {
    "queryset update": lambda: ProcessingRecord.objects.update(reason="allowed-anyway"),
    "queryset delete": lambda: ProcessingRecord.objects.all().delete(),
    "raw update": lambda: _raw("UPDATE consent_processingrecord SET outcome = 'refused'"),
    "raw delete": lambda: _raw("DELETE FROM consent_processingrecord"),
}


def _raw(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.parametrize("change", CHANGES)
def test_the_database_refuses_to_change_or_remove_a_record(record, change):
    with pytest.raises(DatabaseError), transaction.atomic():
        CHANGES[change]()

    assert ProcessingRecord.objects.get() == record
    assert ProcessingRecord.objects.get().reason == record.reason == "allowed"


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's; SQLite has none"
)
TRUNCATES = {
    "truncate the log": lambda: _raw("TRUNCATE consent_processingrecord"),
    "truncate what it refers to": lambda: _raw("TRUNCATE consent_organisation CASCADE"),
    "manage.py flush": lambda: call_command("flush", interactive=False, verbosity=0),
}


def _settled() -> None:
    # The record was written in this test's own transaction: PostgreSQL refuses any TRUNCATE
    # while its foreign keys wait to be checked at commit, so check them now.
    _raw("SET CONSTRAINTS ALL IMMEDIATE")


@postgresql_only
@pytest.mark.parametrize("truncate", TRUNCATES)
def test_the_database_refuses_to_truncate_the_log_but_for_a_superuser(record, truncate):
    # The tests run as a superuser; a role with every right on the tables is refused all the same.
    owner = owner_role()
    with pytest.raises((DatabaseError, CommandError)) as refused, transaction.atomic():
        _settled()
        _raw(f"SET LOCAL ROLE {owner}")
        TRUNCATES[truncate]()

    assert "append-only" in str(refused.value) + str(refused.value.__cause__)

    assert ProcessingRecord.objects.get() == record


@postgresql_only
def test_a_superuser_may_empty_it_as_the_test_suite_does_between_tests(record):
    with transaction.atomic():
        _settled()
        _raw("TRUNCATE consent_processingrecord")
        assert not ProcessingRecord.objects.exists()
        transaction.set_rollback(True)


def test_a_record_object_refuses_to_be_saved_again_or_deleted(record):
    record.reason = "allowed-anyway"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()

    assert ProcessingRecord.objects.get().reason == "allowed"


def test_not_even_a_superuser_can_add_change_or_delete_records_in_the_admin(client, record):
    client.force_login(get_user_model().objects.create_superuser("beheerder", None, None))
    base = "/beheer/consent/processingrecord"

    # 404 while the log is not in the admin; 403 once it is there, read-only.
    assert client.get(f"{base}/add/").status_code in (403, 404)
    changed = client.post(f"{base}/{record.pk}/change/", {"reason": "allowed-anyway"})
    deleted = client.post(f"{base}/{record.pk}/delete/", {"post": "yes"})
    assert changed.status_code in (403, 404) and deleted.status_code in (403, 404)
    assert ProcessingRecord.objects.get().reason == "allowed"
    if admin.site.is_registered(ProcessingRecord):
        model_admin = admin.site.get_model_admin(ProcessingRecord)
        request = RequestFactory().get(base)
        request.user = get_user_model().objects.get(username="beheerder")
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request, record)
        assert not model_admin.has_delete_permission(request, record)
