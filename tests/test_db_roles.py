"""The logs hold against the portal's own database role (PostgreSQL).

The runtime role (`manage.py db_roles`) may only read and add to the processing log and the
audit trail: every way to change, empty or unguard them fails. The test database is made by a
superuser; these tests take the runtime role with SET ROLE inside a transaction.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from consent.choices import DataField, LegalBasis
from consent.models import ProcessingRecord
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller, complete_profile, identificatie
from tests.support.db_roles import OWNER, RUNTIME, owner_role, run_as

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="database roles are PostgreSQL's"
)

TABLES = ("consent_processingrecord", "auditlog_logentry")


@pytest.fixture
def roles(db):
    call_command("db_roles", owner=OWNER, runtime=RUNTIME, verbosity=0)


@pytest.fixture
def person(db):
    return complete_profile(make_profile())


@pytest.fixture
def record(client, person):
    organisation = make_organisation("Gemeente Aadorp")
    legal_task = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={DataField.EMAIL}
    )
    ApiCaller.for_organisation(client, organisation).zoek(identificatie(person), legal_task)
    return ProcessingRecord.objects.get()


@pytest.fixture
def audit_entry(person):
    from auditlog.models import LogEntry

    # Making the organisation above wrote audit entries (django-auditlog).
    assert LogEntry.objects.exists()
    return LogEntry.objects.latest("pk")


ATTEMPTS = {
    "update": "UPDATE {table} SET id = id",
    "delete": "DELETE FROM {table}",
    "truncate": "TRUNCATE {table}",
    "truncate cascading": "TRUNCATE consent_organisation, {table} CASCADE",
    "disable its triggers": "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "drop it": "DROP TABLE {table}",
    "replica mode skips triggers": "SET session_replication_role = replica",
    "the old disposable switch": ("SET consent.processing_log_disposable = 'on'; TRUNCATE {table}"),
    "become the owner": f"SET ROLE {OWNER}; DELETE FROM {{table}}",
    "become a superuser": "SET ROLE postgres; DELETE FROM {table}",
    "grant itself the right": f"GRANT DELETE ON {{table}} TO {RUNTIME}; DELETE FROM {{table}}",
}


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_the_runtime_role_cannot_change_or_empty_the_logs(
    roles, record, audit_entry, table, attempt
):
    before = _count(table)

    with pytest.raises(DatabaseError):
        run_as(RUNTIME, ATTEMPTS[attempt].format(table=table))

    assert _count(table) == before > 0


@pytest.mark.parametrize("table", TABLES)
def test_the_runtime_role_may_only_read_and_add_to_the_logs(roles, record, audit_entry, table):
    # The rights themselves, apart from the triggers that refuse changes as well. DELETE is
    # granted for retention and erasure; the triggers refuse it for any other row (the
    # "delete" attempt above, and tests/test_rights_retention.py).
    rights = {}
    with connection.cursor() as cursor:
        for right in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
            cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [RUNTIME, table, right])
            rights[right] = cursor.fetchone()[0]
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = %s", [table])
        owner = cursor.fetchone()[0]

    assert rights == {
        "SELECT": True,
        "INSERT": True,
        "UPDATE": False,
        "DELETE": True,
        "TRUNCATE": False,
        "TRIGGER": False,
    }
    assert owner != RUNTIME


def test_the_runtime_role_reads_and_writes_the_other_tables(roles, person):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {RUNTIME}")
        cursor.execute("UPDATE profiles_profile SET language = 'en' WHERE id = %s", [person.pk])
        assert cursor.rowcount == 1
        transaction.set_rollback(True)


@pytest.mark.parametrize("table", TABLES)
def test_not_even_a_role_with_the_truncate_right_may_empty_the_logs(record, audit_entry, table):
    # The owner of the tables is no superuser: the trigger refuses it too (it could drop the
    # trigger, which is why the portal never runs as the owner).
    owner_role()
    before = _count(table)

    with pytest.raises(DatabaseError) as refused:
        run_as(OWNER, f"TRUNCATE {table} CASCADE")

    assert "append-only" in str(refused.value)
    assert _count(table) == before


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        return cursor.fetchone()[0]
