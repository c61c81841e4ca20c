"""One message to many people through the API and through the admin's CSV upload.

Used by bench/notifications.py (--via api, --via csv) after Django is set up; each way goes in
three parts (the first tenth, up to half, up to all), each with its time and its peak memory.
"""

import resource
import time
import tracemalloc


def parts_of(count: int) -> list[tuple[int, int]]:
    bounds = sorted({max(1, count // 10), max(1, count // 2), count})
    return list(zip([0, *bounds[:-1]], bounds, strict=True))


def numbers_in_order() -> list[str]:
    from profiles.models import Profile

    return list(Profile.objects.order_by("pk").values_list("identity__value", flat=True))


# tracemalloc slows Python down three to four times: with --no-tracemalloc the rates are real
# and the memory is the process's largest resident size so far instead.
TRACE = True


def measured(label: str, work) -> tuple[float, float]:
    """Seconds and peak MiB of work(): tracemalloc's peak, or the largest resident size."""
    if TRACE:
        tracemalloc.reset_peak()
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    if TRACE:
        return seconds, tracemalloc.get_traced_memory()[1] / 2**20
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def trace_start() -> None:
    if TRACE:
        tracemalloc.start()


def trace_stop() -> None:
    if TRACE:
        tracemalloc.stop()


def intake_api(organisation, doelbinding, count: int) -> None:
    import json

    from django.conf import settings
    from django.test import Client

    from bench.four_eyes import client_confirmed

    settings.API_RATE_LIMIT_PER_MINUTE = 1_000_000
    token = client_confirmed(organisation, [doelbinding], name="Bench")
    client, numbers = Client(), numbers_in_order()
    per = settings.NOTIFICATION_BULK_MAX_RECIPIENTS
    headers = {"Authorization": f"Bearer {token}"}
    print(
        f"\nIntake through POST /bulkmeldingen for {count:,} people, {per:,} per request "
        f"({'tracemalloc on: times are pessimistic' if TRACE else 'memory: largest RSS'})"
    )
    trace_start()
    total, accepted = 0.0, 0

    def requests(start: int, end: int) -> None:
        nonlocal accepted
        for first in range(start, end, per):
            body = {
                "ontvangers": [
                    {"type": "bsn", "nummer": n} for n in numbers[first : min(first + per, end)]
                ],
                "doelbinding": doelbinding.pk,
                "soort": "statuswijziging",
                "onderwerp": "De nieuwe afvalkalender staat online",
                "tekst": "Vanaf 1 januari halen wij het afval op andere dagen op.",
                "idempotentieSleutel": f"afvalkalender-2027-{first}",
            }
            response = client.post(
                "/api/profielen/v1/bulkmeldingen",
                json.dumps(body),
                content_type="application/json",
                headers=headers,
            )
            assert response.status_code == 201, response.content[:500]
            accepted += response.json()["geaccepteerd"]

    for start, end in parts_of(count):
        seconds, peak = measured("api", lambda start=start, end=end: requests(start, end))
        total += seconds
        people = end - start
        print(
            f"  people {start + 1:>7,}-{end:<7,}: {people:>7,} in {seconds:7.1f} s "
            f"({people / seconds:7.0f}/s), peak {peak:6.1f} MiB, accepted {accepted:,}"
        )
    trace_stop()
    print(f"  total {count:,} in {total:.1f} s ({count / total:.0f} people/s)")


def intake_csv(organisation, doelbinding, count: int) -> None:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from notifications.intake.batches import batch_process
    from notifications.intake.preview import batch_preview_store
    from notifications.models import NotificationBatch

    client, numbers = Client(), numbers_in_order()
    client.force_login(User.objects.create_superuser("bench-staff"))
    print(
        f"\nIntake through the admin's CSV upload for {count:,} people: upload and confirm are "
        "requests; the preview (counting) and the sending are the worker's tasks "
        f"({'tracemalloc on' if TRACE else 'memory: largest RSS'})"
    )
    trace_start()
    total = 0.0
    for part, (start, end) in enumerate(parts_of(count)):
        content = ("bsn\r\n" + "\r\n".join(numbers[start:end]) + "\r\n").encode()
        form = {
            "numbers_file": SimpleUploadedFile("nummers.csv", content, content_type="text/csv"),
            "doelbinding": doelbinding.pk,
            "kind": "statuswijziging",
            "subject": "De nieuwe afvalkalender staat online",
            "body": "Vanaf 1 januari halen wij het afval op andere dagen op.",
            "link": "",
            "case_reference": "",
        }
        answers = {}

        def upload(form=form, answers=answers):
            answers["upload"] = client.post(
                reverse("admin:notifications_notificationbatch_add"), form
            )

        up, up_peak = measured("upload", upload)
        assert answers["upload"].status_code == 302, answers["upload"].content[:2000]
        confirm = answers["upload"]["Location"]
        batch = NotificationBatch.objects.order_by("-pk").first()
        # A big file is counted by the worker's task (a small one in the upload's request).
        look, look_peak = measured("preview", lambda b=batch: batch_preview_store(batch_id=b.pk))
        assert b"Stuur naar" in client.get(confirm).content
        client.post(confirm)  # enqueues the task
        run, run_peak = measured("run", lambda b=batch: batch_process(batch_id=b.pk))
        total += run
        people = end - start
        print(
            f"  part {part + 1} ({people:>7,} people): upload {up:5.1f} s ({up_peak:5.1f} MiB), "
            f"preview {look:5.1f} s ({people / look:6.0f}/s, {look_peak:5.1f} MiB), "
            f"sending {run:6.1f} s ({people / run:6.0f}/s, peak {run_peak:5.1f} MiB)"
        )
    trace_stop()
    print(f"  sending in all: {count:,} in {total:.1f} s ({count / total:.0f} people/s)")
