"""Codes, notices and deliveries leave only after the transaction that causes them commits.

These tests run the database task backend, as production does: a task is a row written in the
transaction that enqueues it, and the worker runs it after commit. (config/settings_test.py runs
tasks at once, inside that transaction: there a rolled-back change would still have sent its
code.) Rolled back: no task, nothing leaves. Committed: the worker runs the task and finds the
rows it is about.
"""

import re
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from consent.choices import DataField
from core import sms
from notifications.choices import DeliveryStatus
from profiles.contact.services import contact_change_confirm, contact_change_request
from profiles.models import ContactDetail, Verification
from tests.factories import make_organisation, make_profile
from tests.support.notifications import DB_TASKS, confirmed, legal_task, submit
from tests.support.smtp import smtp_server
from tests.support.worker import run_worker, start_worker, stop, wait_for

# The worker commits on PostgreSQL, so these tests commit for real there (see test_delivery.py).
pytestmark = pytest.mark.django_db(transaction=connection.vendor == "postgresql")

NEW = {"email": "nieuw@voorbeeld.nl", "phone": "+31687654321"}


@pytest.fixture(autouse=True)
def database_tasks(settings):
    settings.TASKS = DB_TASKS
    sms.MemorySmsGateway.clear()
    yield
    sms.MemorySmsGateway.clear()


def messages_to(kind: str) -> list[tuple[str, str]]:
    """What left by e-mail or text message: (to, text)."""
    if kind == "email":
        return [(", ".join(m.to), m.body) for m in mail.outbox]
    return [(m.to, m.text) for m in sms.outbox]


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


class Failed(Exception):
    """The request fails after the service did its part (a later step, a lost connection)."""


# --- codes and notices --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["email", "phone"])
def test_a_code_request_whose_transaction_rolls_back_sends_no_code(kind):
    profile = make_profile()

    with pytest.raises(Failed), transaction.atomic():
        contact_change_request(
            profile=profile, kind=kind, new_value=NEW[kind], seen_version=0, language="nl"
        )
        raise Failed
    run_worker()

    assert messages_to("email") == [] and messages_to("phone") == []
    assert not DBTaskResult.objects.exists()
    assert not Verification.objects.exists()


@pytest.mark.parametrize("kind", ["email", "phone"])
def test_a_committed_code_request_leaves_through_the_worker_and_its_code_confirms(kind):
    profile = make_profile()

    verification = contact_change_request(
        profile=profile, kind=kind, new_value=NEW[kind], seen_version=0, language="nl"
    )
    assert messages_to(kind) == []  # nothing leaves inside the request
    run_worker()

    [(to, text)] = messages_to(kind)
    assert to == NEW[kind]
    check = contact_change_confirm(
        profile=profile, verification_id=verification.pk, code=code_in(text), language="nl"
    )
    assert check.ok
    assert ContactDetail.objects.get(profile=profile, kind=kind).value == NEW[kind]


def test_the_notice_to_the_old_address_leaves_only_when_the_change_commits():
    profile = make_profile()
    ContactDetail.objects.create(
        profile=profile, kind="email", value="oud@voorbeeld.nl", verified_at=timezone.now()
    )
    verification = contact_change_request(
        profile=profile, kind="email", new_value=NEW["email"], seen_version=1, language="nl"
    )
    run_worker()
    code = code_in(mail.outbox[0].body)

    def confirm():
        return contact_change_confirm(
            profile=profile, verification_id=verification.pk, code=code, language="nl"
        )

    with pytest.raises(Failed), transaction.atomic():
        assert confirm().ok
        raise Failed
    run_worker()
    assert [m.to for m in mail.outbox] == [[NEW["email"]]]  # the code only, no notice
    assert ContactDetail.objects.get(profile=profile).value == "oud@voorbeeld.nl"

    assert confirm().ok
    run_worker()
    assert [m.to for m in mail.outbox] == [[NEW["email"]], ["oud@voorbeeld.nl"]]
    assert mail.outbox[1].subject == "Uw e-mailadres is gewijzigd"


# --- deliveries, with a real worker process -------------------------------------------------------


def committed_elsewhere(write) -> None:
    """Run `write` on a connection of its own (a second request), committed when it returns."""
    errors = []

    def run():
        try:
            write()
        except Exception as error:  # shown by the assert below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == []


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process needs the same real database: PostgreSQL (CI sets DATABASE_URL)",
)
def test_a_delivery_task_queued_at_intake_runs_only_after_commit_and_finds_its_rows(tmp_path):
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = legal_task(gemeente, {DataField.EMAIL})
    first, second = make_profile(), make_profile()
    confirmed(first, value="eerste@voorbeeld.nl")
    confirmed(second, value="tweede@voorbeeld.nl")
    log = tmp_path / "worker.log"

    def arrived():
        return [r.envelope_to for r in server.received]

    with smtp_server() as server:
        worker = start_worker(server, log)
        try:
            with transaction.atomic():
                held = submit(gemeente, doelbinding, first).notification
                # Another intake commits while this one is open. The worker takes the oldest
                # task first, so once it has sent that one it has looked past ours, unseen.
                committed_elsewhere(
                    lambda: submit(
                        gemeente, doelbinding, second, idempotency_key="k2", case_reference="Z-2"
                    )
                )
                wait_for(lambda: arrived(), seconds=30, what="the other message", log=log)
                assert arrived() == [["tweede@voorbeeld.nl"]]
            wait_for(
                lambda: not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(),
                seconds=30,
                what="both tasks",
                log=log,
            )
        finally:
            stop(worker)

    assert arrived() == [["tweede@voorbeeld.nl"], ["eerste@voorbeeld.nl"]]
    statuses = set(held.deliveries.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.SENT}  # inbox and e-mail: the task found both rows
    assert sorted(map(str, DBTaskResult.objects.values_list("return_value", flat=True))) == [
        "{'sent': 2}",
        "{'sent': 2}",
    ]
