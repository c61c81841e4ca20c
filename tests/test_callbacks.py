"""Status callbacks to a real local receiver: signed CloudEvents for every change, retried."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from consent.choices import LegalBasis
from notifications.callbacks.models import CallbackMessage, CallbackState
from notifications.callbacks.services import callbacks_dispatch
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller, confirmed, identificatie
from tests.support.broker import free_port

pytestmark = pytest.mark.django_db

CALLBACKS = "/api/profielen/v1/callbacks"
MELDINGEN = "/api/profielen/v1/meldingen"


class Receiver:
    """An HTTP server on 127.0.0.1 that answers as told: 200, 500, a redirect, or slowly."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: list[tuple[dict, bytes]] = []
        self.answers: list[int] = []  # taken one per request; 200 once empty
        self.delay = 0.0
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/moz"

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                time.sleep(receiver.delay)
                receiver.received.append((dict(self.headers), body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if status == 302:
                    self.send_header("Location", f"http://127.0.0.1:{receiver.port}/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def events(self) -> list[dict]:
        return [json.loads(body) for _headers, body in self.received]


@pytest.fixture
def receiver(settings):
    settings.CALLBACKS_ALLOW_LOCAL = True
    settings.CALLBACK_RETRY_BASE_SECONDS = 0  # every dispatch may try again at once
    settings.CALLBACK_TIMEOUT_SECONDS = 0.5
    receiver = Receiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture
def organisation_api(client):
    organisation = make_organisation("Gemeente Terugbeldorp")
    doelbinding = make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields={"email", "postal_address"}
    )
    return ApiCaller.for_organisation(client, organisation), doelbinding


def send_message(api, doelbinding, key="cb-1") -> int:
    profile = make_profile()
    confirmed(profile, "email", "ontvanger@voorbeeld.nl")
    response = api.post(
        MELDINGEN,
        {
            "ontvanger": identificatie(profile),
            "doelbinding": doelbinding.pk,
            "soort": "besluit",
            "onderwerp": "Besluit",
            "tekst": "Wij hebben besloten.",
            "idempotentieSleutel": key,
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def register(api, url: str) -> dict:
    response = api.post(CALLBACKS, {"url": url})
    assert response.status_code == 201, response.content
    return response.json()


def signature_valid(headers: dict, body: bytes, secret: str) -> bool:
    key = base64.b64decode(secret.removeprefix("whsec_"))
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    return any(
        hmac.compare_digest(f"v1,{expected}", part) for part in headers["webhook-signature"].split()
    )


def test_every_status_change_arrives_signed_as_a_cloudevent(receiver, organisation_api):
    api, doelbinding = organisation_api
    callback = register(api, receiver.url)
    message_id = send_message(api, doelbinding)

    callbacks_dispatch()

    assert receiver.received, "nothing arrived"
    for headers, body in receiver.received:
        assert signature_valid(headers, body, callback["geheim"])
        assert headers["Content-Type"].startswith("application/cloudevents+json")
        assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    events = receiver.events()
    for event in events:
        assert event["specversion"] == "1.0"
        assert event["source"].startswith("urn:nld:oin:")
        assert event["type"] == "nl.mijn-omgeving-zakelijk.melding.bezorging-gewijzigd"
        assert event["subject"] == str(message_id)
        assert event["dataref"].endswith(f"/api/profielen/v1/meldingen/{message_id}")
    email = [e["data"]["status"] for e in events if e["data"]["kanaal"] == "email"]
    assert email[0] == "queued" and email[-1] == "sent"
    assert len({e["id"] for e in events}) == len(events)
    # A second dispatch sends nothing again.
    callbacks_dispatch()
    assert len(receiver.received) == len(events)


def test_a_forged_or_other_secret_does_not_verify(receiver, organisation_api):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    send_message(api, doelbinding)
    callbacks_dispatch()

    headers, body = receiver.received[0]
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    assert not signature_valid(headers, body, other)
    assert not signature_valid(headers, body.replace(b"queued", b"failed"), other)


def test_a_receiver_that_is_down_slow_or_failing_gets_it_later_and_once(receiver, organisation_api):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    receiver.stop()  # down
    send_message(api, doelbinding)

    callbacks_dispatch()

    def pending():  # a fresh query each time (a QuerySet keeps what it read)
        return CallbackMessage.objects.filter(state=CallbackState.PENDING)

    count = pending().count()
    assert count >= 2 and not receiver.received
    assert all(m.last_result.startswith("no answer") for m in pending())

    receiver.start()  # up again, but slow: past the timeout
    receiver.delay = 1.0
    assert callbacks_dispatch() == count
    assert pending().count() == count
    assert "no answer: TimeoutError" in {m.last_result for m in pending()}
    receiver.delay = 0.0
    receiver.answers = [500]  # then one 500
    callbacks_dispatch()
    assert pending().count() == 1
    callbacks_dispatch()

    assert pending().count() == 0
    delivered = CallbackMessage.objects.filter(state=CallbackState.DELIVERED)
    assert delivered.count() == count
    assert max(m.attempts for m in delivered) == 4
    # The slow receiver did get the events it answered too late: the same ids come again,
    # and the webhook-id tells it they are repeats.
    ids = [headers["webhook-id"] for headers, _body in receiver.received]
    assert set(ids) == {f"{m.event_id}-{m.endpoint_id}" for m in delivered}


def test_after_the_retry_period_a_callback_is_marked_failed(receiver, organisation_api, settings):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    receiver.answers = [500] * 20
    settings.CALLBACK_RETRY_FOR_SECONDS = 0
    send_message(api, doelbinding)

    callbacks_dispatch()

    assert CallbackMessage.objects.exclude(state=CallbackState.FAILED).count() == 0
    assert {m.last_result for m in CallbackMessage.objects.all()} == {"HTTP 500"}


def test_a_redirect_is_not_followed(receiver, organisation_api):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    receiver.answers = [302] * 20
    send_message(api, doelbinding)

    callbacks_dispatch()

    assert {headers["webhook-id"] for headers, _b in receiver.received}  # it was asked...
    assert CallbackMessage.objects.filter(state=CallbackState.DELIVERED).count() == 0
    assert {m.last_result for m in CallbackMessage.objects.all()} == {"HTTP 302"}
    # ...and /elsewhere was never called (the receiver records every POST it gets).
    assert len(receiver.received) == CallbackMessage.objects.count()


def test_messages_of_another_client_or_organisation_are_not_sent(receiver, organisation_api):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    other_org = make_organisation("Gemeente Anders")
    other = ApiCaller.for_organisation(api.client, other_org)
    send_message(other, make_doelbinding(other_org, legal_basis=LegalBasis.LEGAL_TASK))
    colleague = ApiCaller.for_organisation(api.client, api.api_client.organisation, name="Ander")
    send_message(colleague, doelbinding, key="cb-colleague")

    callbacks_dispatch()

    assert receiver.received == []


def test_registering_lists_and_removes_an_address_and_the_secret_is_shown_once(
    receiver, organisation_api
):
    api, _doelbinding = organisation_api
    made = register(api, receiver.url)

    listed = api.get(CALLBACKS).json()
    assert [c["url"] for c in listed] == [receiver.url]
    assert "geheim" not in listed[0] and made["geheim"].startswith("whsec_")
    assert api.client.delete(f"{CALLBACKS}/{made['id']}", headers=api.headers()).status_code == 204
    assert api.get(CALLBACKS).json() == []


def test_staff_of_an_organisation_follow_only_its_own_callbacks(receiver, organisation_api):
    from django.contrib.auth.models import Group, User

    api, doelbinding = organisation_api
    register(api, receiver.url)
    send_message(api, doelbinding)
    other_org = make_organisation("Gemeente Anders")
    other = ApiCaller.for_organisation(api.client, other_org)
    register(other, receiver.url.replace("/moz", "/anders"))
    send_message(other, make_doelbinding(other_org, legal_basis=LegalBasis.LEGAL_TASK), key="b")
    receiver.answers = [500] * 50
    callbacks_dispatch()
    staff = User.objects.create_user(username="medewerker-cb", is_staff=True)
    staff.groups.add(Group.objects.get(name="Medewerker gemeente"))
    api.api_client.organisation.staff.add(staff)
    api.client.force_login(staff)

    page = api.client.get("/beheer/notifications/callbackmessage/")
    addresses = api.client.get("/beheer/notifications/callbackendpoint/")

    assert page.status_code == 200
    shown = list(page.context["cl"].result_list)
    assert shown and {m.endpoint.url for m in shown} == {receiver.url}
    assert all(m.last_result == "HTTP 500" and m.attempts == 1 for m in shown)
    assert "/anders" not in addresses.content.decode()
    assert "whsec_" not in addresses.content.decode() + page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_workers_sender_thread_delivers_them_by_itself(
    receiver, organisation_api, settings, empty_processing_log
):
    from notifications.callbacks.sender import CallbackSender

    settings.CALLBACK_POLL_SECONDS = 0.1
    api, doelbinding = organisation_api
    register(api, receiver.url)
    send_message(api, doelbinding)
    sender = CallbackSender()
    sender.start()
    try:
        deadline = time.monotonic() + 20
        while CallbackMessage.objects.exclude(state=CallbackState.DELIVERED).exists() or not (
            CallbackMessage.objects.exists()
        ):
            assert time.monotonic() < deadline, "the sender did not deliver within 20 s"
            time.sleep(0.1)
    finally:
        sender.stop()
        sender.join(timeout=10)
    assert not sender.is_alive()
    assert {e["data"]["status"] for e in receiver.events()} >= {"queued", "sent"}


def test_a_message_to_many_people_reports_each_delivery_too(receiver, organisation_api):
    api, doelbinding = organisation_api
    register(api, receiver.url)
    people = [make_profile() for _ in range(3)]
    for person in people:
        confirmed(person, "email", f"p{person.pk}@voorbeeld.nl")
    body = {
        "ontvangers": [identificatie(p) for p in people],
        "doelbinding": doelbinding.pk,
        "soort": "besluit",
        "onderwerp": "Besluit",
        "tekst": "Wij hebben besloten.",
        "idempotentieSleutel": "cb-bulk",
    }
    assert api.post("/api/profielen/v1/bulkmeldingen", body).status_code == 201

    callbacks_dispatch()

    sent = {e["subject"] for e in receiver.events() if e["data"]["kanaal"] == "email"}
    assert len(sent) == 3  # one message id per person, each with its e-mail's changes
