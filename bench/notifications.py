"""One notification to many recipients: intake, delivery over SMTP beside plain smtplib, memory.

    python bench/notifications.py                        # quick: 2,000 recipients (~1 minute)
    python bench/notifications.py --recipients 100000    # the issue's size
    python bench/notifications.py --via api              # through POST /bulkmeldingen
    python bench/notifications.py --via csv              # through the admin's CSV upload

Makes a fresh database the way the test runner does (SQLite in memory; with DATABASE_URL set,
test_<name> on that PostgreSQL server, dropped at the end), loads recipients with a confirmed
e-mail address, then measures:

1. intake: one message for all recipients, in three parts (the first tenth, up to half, up to
   all), each with its time and its peak memory (tracemalloc). Streaming by primary key with
   batch inserts means the peak stays flat while the parts grow. --via says the way in:
   notification_submit_bulk itself (direct), the API's POST /bulkmeldingen in requests of
   NOTIFICATION_BULK_MAX_RECIPIENTS people (api, through Django's WSGI handler in-process), or
   the admin's upload of a CSV file, its preview and confirmation, then the worker's task that
   sends it (csv);
2. delivery: the database worker (`db_worker --batch`, here in-process) runs every task, each
   a batch of deliveries (notifications.delivery.batch): the inbox copies and the e-mails to an
   aiosmtpd server in its own process on 127.0.0.1;
3. plain smtplib sending the same messages (rendered the same way) over one connection to the
   same server, timing only the sending. The ratio of (2) to (3) has a target of >= 0.5; (2)
   counts all the worker's time, the inbox copies and the queue included.

Not a test: it prints figures and passes or fails nothing.
"""

import argparse
import os
import resource
import smtplib
import socket
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the portal's packages live one up.
sys.path[0] = str(REPO)

from bench.bulk_intake import ways  # noqa: E402 - needs the path above

RATIO_TARGET = 0.5
BATCH = 5_000
SINK = """
import sys
from aiosmtpd.controller import Controller

class Sink:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 2.0.0 Ok"

controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Sink.count, flush=True)
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--recipients", type=int, default=2_000, help="how many people get the message (2000)"
    )
    parser.add_argument("--batch-size", type=int, default=500, help="intake batch size (500)")
    parser.add_argument(
        "--via", choices=["direct", "api", "csv"], default="direct", help="the way in (direct)"
    )
    parser.add_argument(
        "--no-tracemalloc",
        action="store_true",
        help="api and csv: real rates, memory as the largest resident size",
    )
    parser.add_argument(
        "--no-delivery", action="store_true", help="measure the intake only (a shared machine)"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SinkServer:
    """aiosmtpd in its own process, so it does not share this process's interpreter lock."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SINK, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout.readline().strip() == "ready"

    def stop(self) -> int:
        self.process.stdin.close()
        count = int(self.process.stdout.readline())
        self.process.wait(timeout=10)
        return count


def load_recipients(count: int) -> None:
    """People with a confirmed e-mail address; written in bulk (setup, not measured)."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.utils import timezone

    from profiles.models import ContactDetail, Identity, Profile
    from profiles.validators import passes_elfproef

    numbers = (f"{n:09d}" for n in range(100_000_000, 999_999_999) if passes_elfproef(f"{n:09d}"))
    now, no_password = timezone.now(), make_password(None)
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        users = User.objects.bulk_create(
            User(username=f"bench-{start + i}", password=no_password) for i in range(size)
        )
        identities = Identity.objects.bulk_create(
            Identity(type="bsn", value=next(numbers)) for _ in range(size)
        )
        profiles = Profile.objects.bulk_create(
            Profile(identity=identity, user=user)
            for identity, user in zip(identities, users, strict=True)
        )
        ContactDetail.objects.bulk_create(
            ContactDetail(
                profile=profile,
                kind="email",
                value=f"persoon{start + i}@voorbeeld.nl",
                verified_at=now,
            )
            for i, profile in enumerate(profiles)
        )


def sender():
    from bench.four_eyes import purpose_in_force
    from consent.choices import DataField, LegalBasis
    from consent.models import Organisation

    organisation = Organisation.objects.create(
        name="Gemeente Benchdorp", oin="00000001001234567999", kind="gemeente"
    )
    doelbinding = purpose_in_force(
        organisation,
        fields={DataField.EMAIL},
        name="Berichten over uw aanvraag",
        description="Wij sturen u een e-mail als er nieuws is.",
        legal_basis=LegalBasis.LEGAL_TASK,
        law="Algemene wet bestuursrecht, artikel 2:14",
        retention="1 jaar",
    )
    return organisation, doelbinding


def intake(organisation, doelbinding, count: int, batch_size: int) -> None:
    """notification_submit_bulk itself (--via direct)."""
    from notifications.choices import MessageKind
    from notifications.intake.bulk import notification_submit_bulk
    from profiles.models import Profile

    pks = Profile.objects.order_by("pk").values_list("pk", flat=True)
    bounds = sorted({max(1, count // 10), max(1, count // 2), count})
    print(f"\nIntake of one message for {count:,} people (tracemalloc on: times are pessimistic)")
    tracemalloc.start()
    done, last_pk, total = 0, 0, 0.0
    for bound in bounds:
        upto = pks[bound - 1]
        tracemalloc.reset_peak()
        started = time.perf_counter()
        summary = notification_submit_bulk(
            organisation=organisation,
            doelbinding=doelbinding,
            recipients=Profile.objects.filter(pk__gt=last_pk, pk__lte=upto),
            kind=MessageKind.STATUS,
            subject="De nieuwe afvalkalender staat online",
            body="Vanaf 1 januari halen wij het afval op andere dagen op.\nKijk op de website.",
            case_reference="",
            idempotency_key="afvalkalender-2027",
            batch_size=batch_size,
        )
        seconds = time.perf_counter() - started
        total += seconds
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        people = bound - done
        print(
            f"  people {done + 1:>7,}-{bound:<7,}: {people:>7,} in {seconds:7.1f} s "
            f"({people / seconds:7.0f}/s), peak {peak:6.1f} MiB, accepted {summary.accepted:,}"
        )
        done, last_pk = bound, upto
    tracemalloc.stop()
    print(f"  total {count:,} in {total:.1f} s ({count / total:.0f} people/s)")


def deliver(count: int) -> float:
    from django_tasks.signals import task_finished, task_started
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from notifications.models import Delivery

    tasks = DBTaskResult.objects.count()
    started_at, inside = {}, [0.0]

    def on_start(sender, task_result, **kwargs):
        started_at[task_result.id] = time.perf_counter()

    def on_finish(sender, task_result, **kwargs):
        inside[0] += time.perf_counter() - started_at.pop(task_result.id)

    task_started.connect(on_start, weak=False)
    task_finished.connect(on_finish, weak=False)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    started = time.perf_counter()
    worker.run()
    seconds = time.perf_counter() - started
    task_started.disconnect(on_start)
    task_finished.disconnect(on_finish)
    sent = Delivery.objects.filter(channel="email", status="sent").count()
    inbox = Delivery.objects.filter(channel="inbox", status="sent").count()
    assert sent == count, f"only {sent} of {count} e-mails were sent"
    print(
        f"\nDelivery by the worker: {sent:,} e-mails and {inbox:,} inbox copies in {tasks:,} tasks"
    )
    print(f"  all tasks:  {seconds:6.1f} s, {sent / seconds:5.0f} notifications/s")
    print(f"  inside the tasks {inside[0]:.1f} s, the queue itself {seconds - inside[0]:.1f} s")
    return sent / seconds


def raw_smtplib(port: int) -> float:
    from django.conf import settings

    from notifications.delivery.render import notification_email
    from notifications.models import Delivery

    emails = Delivery.objects.filter(channel="email").select_related(
        "notification__organisation", "notification__recipient"
    )
    sending, count = 0.0, 0
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for delivery in emails.iterator(chunk_size=1000):
            address = f"persoon{count}@voorbeeld.nl"
            message = notification_email(delivery, address).message()
            data = message.as_bytes(linesep="\r\n")
            started = time.perf_counter()
            smtp.sendmail(settings.DEFAULT_FROM_EMAIL, [address], data)
            sending += time.perf_counter() - started
            count += 1
    print(f"\nPlain smtplib, the same {count:,} messages over one connection (sending only)")
    print(f"  {sending:.1f} s, {count / sending:.0f} e-mails/s")
    return count / sending


def main() -> None:
    args = parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    sink = SinkServer()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # The API's second alias (config/integrations/database.py) mirrors the default one, as in
    # the test runner: it must use the test database too.
    for alias in connections:
        if connections.settings[alias].get("TEST", {}).get("MIRROR") == "default":
            connections[alias].settings_dict["NAME"] = connection.settings_dict["NAME"]
    try:
        print(f"Database: {connection.vendor}; recipients: {args.recipients:,}")
        load_recipients(args.recipients)
        organisation, doelbinding = sender()
        ways.TRACE = not args.no_tracemalloc
        if args.via == "api":
            ways.intake_api(organisation, doelbinding, args.recipients)
        elif args.via == "csv":
            ways.intake_csv(organisation, doelbinding, args.recipients)
        else:
            intake(organisation, doelbinding, args.recipients, args.batch_size)
        if args.no_delivery:
            return
        ours = deliver(args.recipients)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        raw = raw_smtplib(sink.port)
        verdict = "meets" if ours / raw >= RATIO_TARGET else "misses"
        print(f"\nRatio to plain smtplib: {ours / raw:.2f} ({verdict} the target {RATIO_TARGET})")
        where = " (the SQLite database in memory included)" if connection.vendor == "sqlite" else ""
        print(f"Largest resident size of this process{where}: {rss:.0f} MiB")
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        received = sink.stop()
        print(f"The SMTP server received {received:,} messages in all.")


if __name__ == "__main__":
    main()
