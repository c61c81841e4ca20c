"""The daily volume per API client and purpose: a 429 past the limit, an unusual day flagged."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from consent.choices import LegalBasis, Reason
from consent.clients.services import api_client_create
from consent.clients.volume import unusual_above, volume_counted
from consent.models import ApiVolumeDay, ProcessingRecord
from profiles.validators import passes_elfproef
from tests.factories import make_doelbinding, make_organisation
from tests.support.api import ApiCaller, assert_problem, bsn
from tests.test_consent_admin import url

NUMBERS = [f"{n:09d}" for n in range(200000000, 200002000) if passes_elfproef(f"{n:09d}")]


@pytest.fixture
def aadorp():
    return make_organisation("Gemeente Aadorp")


@pytest.fixture
def purpose(aadorp):
    return make_doelbinding(aadorp, legal_basis=LegalBasis.LEGAL_TASK)


@pytest.mark.django_db
def test_past_the_daily_limit_the_api_answers_429_and_a_bulk_read_counts_each_person(
    client, aadorp, purpose, settings
):
    settings.API_DAILY_VOLUME_PER_PURPOSE = 5
    caller = ApiCaller.for_organisation(client, aadorp)

    three = caller.bulk([bsn(n) for n in NUMBERS[:3]] + [bsn("123456789")], purpose)
    assert three.status_code == 200  # the invalid number is not looked up, so not counted
    over = caller.bulk([bsn(n) for n in NUMBERS[3:6]], purpose)
    body = assert_problem(over, 429, code=Reason.DAILY_VOLUME_EXCEEDED)
    assert "5 people per purpose per day" in body["detail"]
    assert 0 < int(over["Retry-After"]) <= 24 * 3600
    # The refused request was not counted: two more single reads still fit, the third not.
    assert caller.zoek(bsn(NUMBERS[6]), purpose).status_code == 404
    assert caller.zoek(bsn(NUMBERS[7]), purpose).status_code == 404
    assert_problem(caller.zoek(bsn(NUMBERS[8]), purpose), 429, code=Reason.DAILY_VOLUME_EXCEEDED)

    row = ApiVolumeDay.objects.get()
    assert (row.volume, row.day) == (5, timezone.localdate())
    refused = ProcessingRecord.objects.filter(reason=Reason.DAILY_VOLUME_EXCEEDED)
    assert refused.count() == 3 + 1  # logged per number: the person sees the attempt


@pytest.mark.django_db
def test_the_limit_is_per_purpose_and_per_client(client, aadorp, purpose, settings):
    settings.API_DAILY_VOLUME_PER_PURPOSE = 2
    other = make_doelbinding(aadorp, name="Ander doel", legal_basis=LegalBasis.LEGAL_TASK)
    first = ApiCaller.for_organisation(client, aadorp, name="Een")
    second = ApiCaller.for_organisation(client, aadorp, name="Twee")

    assert first.bulk([bsn(n) for n in NUMBERS[:2]], purpose).status_code == 200
    assert first.bulk([bsn(n) for n in NUMBERS[:2]], other).status_code == 200
    assert second.bulk([bsn(n) for n in NUMBERS[:2]], purpose).status_code == 200
    assert first.zoek(bsn(NUMBERS[3]), purpose).status_code == 429


@pytest.mark.django_db
def test_an_unusual_day_is_flagged_once_in_the_admin_and_by_mail(client, aadorp, purpose, settings):
    settings.API_UNUSUAL_VOLUME_FACTOR = 2
    settings.API_UNUSUAL_VOLUME_FLOOR = 5
    settings.API_VOLUME_ALERT_EMAIL = "privacy@beheer.example"
    caller = ApiCaller.for_organisation(client, aadorp, name="Zaaksysteem")
    today = timezone.localdate()
    for days_ago in (1, 2, 3):
        ApiVolumeDay.objects.create(
            api_client=caller.api_client,
            doelbinding=purpose,
            day=today - timedelta(days=days_ago),
            volume=10,
        )
    assert unusual_above(10) == 20

    assert caller.bulk([bsn(n) for n in NUMBERS[:20]], purpose).status_code == 200
    assert ApiVolumeDay.objects.get(day=today).flagged_at is None
    assert mail.outbox == []
    assert caller.bulk([bsn(n) for n in NUMBERS[20:22]], purpose).status_code == 200
    assert caller.bulk([bsn(n) for n in NUMBERS[22:30]], purpose).status_code == 200

    row = ApiVolumeDay.objects.get(day=today)
    assert (row.volume, row.usual, row.flagged_at is not None) == (30, 10, True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["privacy@beheer.example"]
    assert "Zaaksysteem" in message.subject
    assert "22" in message.body and "10" in message.body

    client.force_login(get_user_model().objects.create_superuser("operator", "o@x.nl", None))
    flagged = client.get(url("apivolumeday") + "?unusual=yes").content.decode()
    assert "Zaaksysteem" in flagged
    assert str(today.year) in flagged
    not_flagged = ApiVolumeDay.objects.filter(flagged_at__isnull=True).count()
    assert not_flagged == 3


@pytest.mark.django_db
def test_counting_costs_one_statement_per_request(aadorp, purpose, django_assert_num_queries):
    api_client, _token = api_client_create(organisation=aadorp, name="Z")
    volume_counted(client=api_client, doelbinding=purpose, people=1)

    with django_assert_num_queries(1):
        assert volume_counted(client=api_client, doelbinding=purpose, people=3).allowed


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrent sessions")
def test_processes_that_count_at_once_never_pass_the_limit_together(aadorp, purpose, settings):
    settings.API_DAILY_VOLUME_PER_PURPOSE = 50
    api_client, _token = api_client_create(organisation=aadorp, name="Z")
    allowed = []
    start = threading.Barrier(8)

    def count():
        try:
            start.wait()
            for _ in range(10):
                allowed.append(
                    volume_counted(client=api_client, doelbinding=purpose, people=1).allowed
                )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert allowed.count(True) == 50
    assert ApiVolumeDay.objects.get().volume == 50


@pytest.mark.django_db
def test_the_api_documentation_names_the_daily_volume(client, settings):
    settings.API_DAILY_VOLUME_PER_PURPOSE = 1234

    page = client.get("/api/profielen/v1/docs").content.decode()

    assert "per doelbinding per dag naar 1234 mensen" in page
    assert "daily_volume_exceeded" in page and "client_not_confirmed" in page
