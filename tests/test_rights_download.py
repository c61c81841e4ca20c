"""'Mijn gegevens downloaden': everything of the person, nothing of anyone else, in JSON and as
a page; made in the background when large; a link that works for a short time; in the log."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from consent.choices import Reason
from consent.ldv import pseudonym_for
from consent.models import ProcessingRecord
from profiles.history.selectors import AMSTERDAM
from profiles.models import ContactDetail
from profiles.rights.choices import ExportStatus
from profiles.rights.export import SCHEMA_VERSION
from profiles.rights.models import DataExport
from tests.factories import make_profile
from tests.support.api import log_refuses_writes
from tests.support.notifications import DB_TASKS
from tests.support.rights import Person, full_use

pytestmark = pytest.mark.django_db

DOWNLOAD = "/mijn-gegevens/downloaden"
ME = Person(
    email="mijzelf@voorbeeld.nl",
    phone="+31611112222",
    street="Eigenweg",
    note="Mijn naam is fout gespeld",
    subject="Besluit over uw eigen aanvraag",
    pending_email="nog-niet@voorbeeld.nl",
)
OTHER = Person(
    email="iemand-anders@elders.nl",
    phone="+31699998888",
    street="Vreemdelaan",
    note="Andermans melding",
    subject="Bericht voor een ander",
    pending_email="ander-wacht@elders.nl",
)


@pytest.fixture
def me(client, login):
    profile = login()
    full_use(client, profile, ME, tag="Eigen")
    return profile


@pytest.fixture
def other(client):
    profile = make_profile()
    full_use(client, profile, OTHER, tag="Ander")
    return profile


def _make(client) -> DataExport:
    response = client.post(DOWNLOAD)
    assert response.status_code == 302
    return DataExport.objects.latest("pk")


def test_the_json_holds_every_kind_of_data_and_nothing_of_another_person(client, me, other):
    export = _make(client)
    page = client.get(DOWNLOAD).content.decode()
    assert f"/mijn-gegevens/downloaden/{export.pk}/bestand.json" in page

    response = client.get(f"/mijn-gegevens/downloaden/{export.pk}/bestand.json")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    document = json.loads(text)
    assert document["schema"]["version"] == SCHEMA_VERSION
    profiles, consent, notes = document["profiles"], document["consent"], document["notifications"]
    assert profiles["identity"]["number"] == me.identity.value
    details = {d["kind"]: d for d in profiles["contact_details"]}
    assert details["email"]["value"] == ME.email and details["email"]["confirmed_at"]
    assert details["phone"]["value"] == ME.phone and details["phone"]["confirmed_at"]
    assert profiles["postal_address"]["street"] == ME.street
    assert profiles["profile"]["contact_preference"] == "digitaal"
    assert profiles["codes_requested"][0]["new_value"] == ME.pending_email
    assert profiles["register_reports"][0]["note"] == ME.note
    assert profiles["logins"]
    changed = {row["what"] for row in profiles["change_history"]}
    assert {"E-mailadres", "Telefoonnummer", "Postadres"} <= changed
    assert {row["what"] for row in profiles["change_history"]}
    consents = {c["purpose"]: c for c in consent["consents"]}
    assert set(consents) == {"Nieuwsbrief Eigen", "Enquête Eigen"}
    newsletter = consents["Nieuwsbrief Eigen"]
    assert newsletter["text"].startswith("Wij sturen u een e-mail")
    assert newsletter["version"] == 1 and newsletter["withdrawn_at"] is None
    assert [r["event"] for r in newsletter["receipts"]] == ["given"]
    assert [r["event"] for r in consents["Enquête Eigen"]["receipts"]] == ["given", "withdrawn"]
    assert any(row["purpose"] == "Belastingberichten Eigen" for row in consent["data_use"])
    assert notes["channel_preferences"][0]["channels"] == ["inbox", "email", "sms"]
    assert [m["subject"] for m in notes["messages"]].count(ME.subject) == 1
    assert notes["notifications"][0]["deliveries"]
    for value in (OTHER.email, OTHER.phone, OTHER.street, OTHER.note, OTHER.subject, "Ander"):
        assert value not in text
    assert other.identity.value not in text


def test_the_page_shows_the_same_document_and_both_downloads_are_in_the_processing_log(
    client, me, django_assert_max_num_queries
):
    export = _make(client)

    with django_assert_max_num_queries(12):
        page = client.get(f"/mijn-gegevens/downloaden/{export.pk}/overzicht")
    client.get(f"/mijn-gegevens/downloaden/{export.pk}/bestand.json")

    html = page.content.decode()
    assert page.status_code == 200
    for value in (ME.email, ME.street, ME.note, ME.subject, "Nieuwsbrief Eigen"):
        assert value in html
    # Times as people read them, in Dutch time; codes in words.
    confirmed_at = ContactDetail.objects.get(profile=me, kind="email").verified_at
    assert date_format(timezone.localtime(confirmed_at, AMSTERDAM), "j F Y, H:i") in html
    assert "Digitaal" in html or "digitaal" in html.split("Hoe wij contact met u opnemen")[-1]
    records = ProcessingRecord.objects.filter(
        subject_pseudonym=pseudonym_for(me.identity), reason=Reason.SUBJECT_DOWNLOAD
    )
    assert sorted(records.values_list("fields", flat=True)) == [
        "data_export:html",
        "data_export:json",
    ]
    assert all(r.organisation_id is None for r in records)
    usage = client.get("/wie-gebruikte-mijn-gegevens").content.decode()
    assert "U heeft alle gegevens gedownload die wij over u bewaren." in usage


def test_page_queries_do_not_grow_with_the_data(client, me, other, django_assert_max_num_queries):
    export = _make(client)
    with django_assert_max_num_queries(12):
        assert client.get(f"/mijn-gegevens/downloaden/{export.pk}/overzicht").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(DOWNLOAD).status_code == 200


def test_nothing_is_given_when_the_log_refuses_the_record(client, me):
    export = _make(client)

    with log_refuses_writes():
        response = client.get(f"/mijn-gegevens/downloaden/{export.pk}/bestand.json")

    assert response.status_code == 503
    assert ME.email not in response.content.decode()


def test_a_large_file_is_made_in_the_background(client, me, settings):
    settings.RIGHTS_DOWNLOAD_BACKGROUND_ROWS = 0
    settings.TASKS = DB_TASKS
    from django_tasks_db.models import DBTaskResult

    export = _make(client)

    assert export.status == ExportStatus.PENDING and export.document is None
    page = client.get(DOWNLOAD).content.decode()
    assert "We maken uw bestand" in page
    assert client.get(f"/mijn-gegevens/downloaden/{export.pk}/bestand.json").status_code == 404
    task = DBTaskResult.objects.get(task_path="profiles.rights.tasks.build_data_export")
    assert task.args_kwargs["kwargs"] == {"export_id": export.pk}
    task.task.call(**task.args_kwargs["kwargs"])
    export.refresh_from_db()
    assert export.status == ExportStatus.READY
    assert client.get(f"/mijn-gegevens/downloaden/{export.pk}/bestand.json").status_code == 200
    # The file's removal waits in the queue until its link ends.
    removal = DBTaskResult.objects.get(task_path="profiles.rights.tasks.remove_data_export")
    assert removal.run_after == export.expires_at
    removal.task.call(**removal.args_kwargs["kwargs"])
    assert DataExport.objects.filter(pk=export.pk).exists()  # not before its time
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    removal.task.call(**removal.args_kwargs["kwargs"])
    assert not DataExport.objects.filter(pk=export.pk).exists()


def test_the_link_works_for_a_short_time_and_only_for_its_owner(client, me, settings):
    settings.RIGHTS_DOWNLOAD_LINK_MINUTES = 15
    export = _make(client)
    assert export.expires_at - export.ready_at == timedelta(minutes=15)
    url = f"/mijn-gegevens/downloaden/{export.pk}/bestand.json"
    assert client.get(url).status_code == 200

    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())

    assert client.get(url).status_code == 404
    someone = make_profile()
    theirs = DataExport.objects.create(
        profile=someone, status=ExportStatus.READY, document={}, expires_at=export.ready_at
    )
    DataExport.objects.filter(pk=theirs.pk).update(expires_at=timezone.now() + timedelta(hours=1))
    assert client.get(f"/mijn-gegevens/downloaden/{theirs.pk}/bestand.json").status_code == 404


def test_the_download_needs_a_login(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302
    assert re.search(r"/inloggen\?next=", response["Location"])
