"""core/sql.py: the statements of the organisation API and the pages, prepared on a connection
of their own.

On PostgreSQL the read runs on the alias `prepared`, which PostgreSQL keeps the plans of; inside
a transaction on `default` the statements run in that transaction instead. On SQLite, and with
DATABASE_PREPARED_STATEMENTS=false, everything runs on `default` and nothing is prepared.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from consent.choices import DataField, LegalBasis
from consent.clients.selectors import api_client_with_organisation
from consent.gate import Decision
from consent.ldv import Trace, processing_records_write, pseudonym_for
from consent.models import ProcessingRecord
from consent.services import api_client_create, consent_give
from core import sql
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller, complete_profile, identificatie
from tests.support.prepared import PREPARED, prepared_path
from tests.support.staff_login import FORCED_LOGIN_BACKEND

REPO = Path(__file__).resolve().parents[1]
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


@pytest.fixture
def consented(client):
    """An organisation's client, a consent purpose, and a person who consented to it."""
    organisation = make_organisation("Gemeente Aadorp")
    caller = ApiCaller.for_organisation(client, organisation)
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.CONSENT, fields={DataField.EMAIL, DataField.PHONE}
    )
    person = complete_profile(make_profile())
    consent_give(profile=person, doelbinding=doelbinding, version_id=doelbinding.current_version.pk)
    return caller, doelbinding, person


def _prepared_statements(db) -> dict[str, int]:
    """The statements prepared on this connection, each with how often it ran."""
    with db.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _runs(prepared: dict[str, int], fragment: str) -> list[int]:
    return [runs for statement, runs in prepared.items() if fragment in statement]


@on_postgresql
@prepared_path
def test_the_api_read_is_prepared_once_per_connection_and_then_reused(consented):
    assert PREPARED, "on PostgreSQL the statements are prepared unless switched off"
    caller, doelbinding, person = consented
    connections[sql.PREPARED].close()  # a fresh connection: nothing prepared on it yet

    for _ in range(3):
        response = caller.zoek(identificatie(person), doelbinding)
        assert response.json()["emailadres"]["waarde"] == "ondernemer@voorbeeld.nl"

    prepared = _prepared_statements(connections[sql.PREPARED])
    # Token, purpose, person, consent, and the processing record: each prepared once, run 3x.
    for fragment in (
        'FROM "consent_apiclient"',
        'FROM "consent_doelbinding"',
        'FROM "profiles_identity"',
        'FROM "consent_consent"',
        'INSERT INTO "consent_processingrecord"',
    ):
        assert _runs(prepared, fragment) == [3], (fragment, prepared)
    # Django's own queries bind on the client: nothing of theirs is kept on `default`.
    assert _prepared_statements(connections["default"]) == {}


@on_postgresql
@prepared_path
def test_the_record_is_committed_before_the_answer_and_default_is_left_alone(
    consented, django_assert_num_queries
):
    caller, doelbinding, person = consented
    asked = identificatie(person)

    with django_assert_num_queries(0, connection=connections["default"]):
        response = caller.zoek(asked, doelbinding)

    assert response.status_code == 200
    # Read on `default`, another connection: only a committed record is there to see.
    assert ProcessingRecord.objects.get().subject_type == "bsn"


@prepared_path
def test_a_staff_list_records_outside_a_transaction_without_an_organisation(
    client, django_user_model
):
    person = make_profile()
    staff = django_user_model.objects.create_superuser("beheerder", None, None)
    client.force_login(staff, backend=FORCED_LOGIN_BACKEND)

    page = client.get("/beheer/profiles/profile/")

    assert page.status_code == 200
    [record] = ProcessingRecord.objects.all()
    assert (record.organisation, record.staff_member) == (None, "beheerder")
    assert record.subject_pseudonym == pseudonym_for(person.identity)


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_inside_a_transaction_the_statements_see_its_rows_and_roll_back_with_it():
    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        organisation = make_organisation("Gemeente Aadorp")
        created, _token = api_client_create(organisation=organisation, name="Zaaksysteem")
        # Not committed yet: only this transaction's own connection can see the client.
        found = api_client_with_organisation(created.token_prefix)
        assert found.organisation.name == "Gemeente Aadorp"
        processing_records_write(
            trace=Trace.from_header(""),
            organisation=organisation,
            doelbinding=None,
            api_client=found,
            entries=[("bsn", "0" * 64, Decision(False, "test"))],
            started_at=found.created_at,
        )
        assert ProcessingRecord.objects.count() == 1
        raise Undone

    assert not ProcessingRecord.objects.exists()


def _reads_elsewhere(caller, body: dict, env: dict) -> dict:
    """Three API reads in a portal process of its own, started with this environment."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.api_reads_subprocess",
            json.dumps(body),
            json.dumps(caller.headers()),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_behind_an_old_pooler_nothing_is_prepared(consented):
    caller, doelbinding, person = consented
    db = connection.settings_dict  # the test database, committed to: the process below sees it
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": url,
        "DATABASE_PREPARED_STATEMENTS": "false",
    }
    body = {"identificatie": identificatie(person), "doelbinding": doelbinding.pk}

    assert _reads_elsewhere(caller, body, env) == {"aliases": ["default"], "prepared": 0}
    assert ProcessingRecord.objects.count() == 3


@on_postgresql
@prepared_path
def test_the_pages_read_on_the_prepared_connection_and_leave_default_alone(
    client, login, django_assert_num_queries
):
    login()
    connections[sql.PREPARED].close()  # a fresh connection: nothing prepared on it yet

    with django_assert_num_queries(0, connection=connections["default"]):
        for _ in range(3):
            for page in ("/mijn-gegevens", "/toestemmingen", "/berichten"):
                assert client.get(page).status_code == 200

    prepared = _prepared_statements(connections[sql.PREPARED])
    # The session and the user with its profile for each of the 9 views, and each page's own
    # rows for its 3: every statement prepared once on this connection, then reused.
    assert _runs(prepared, 'FROM "django_session"') == [9], prepared
    assert _runs(prepared, 'FROM "auth_user"') == [9], prepared
    for fragment in (
        'FROM "profiles_contactdetail"',
        'FROM "consent_doelbinding"',
        'SELECT COUNT(*) FROM "notifications_inboxmessage" m WHERE m.profile_id = $1',
    ):
        assert _runs(prepared, fragment) == [3], (fragment, prepared)
