"""SMS gateways: the console and memory gateways, the choice of backend, and the HTTP gateway
against a real local HTTP server."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import sms
from core.sms import (
    ConsoleSmsGateway,
    HttpSmsGateway,
    MemorySmsGateway,
    SmsDeliveryFailed,
    sms_gateway,
)
from tests.support.http_peer import http_peer, unused_port
from tests.support.portal_process import EXIT_ON_NOTED_PROBLEMS

REPO = Path(__file__).resolve().parents[1]
NUMBER = "+31612345678"
TEXT = "Uw code is 493817. Deze code is 10 minuten geldig."
TIMEOUT = 0.3

# Path of the request -> how the provider answers.
ANSWERS = {
    "/ok": (200, '{"id": "msg-4f1c9a7e", "status": "queued"}'),
    "/no-id": (202, ""),
    "/error": (503, '{"error": "maintenance"}'),
    "/rejected": (400, '{"error": "invalid number"}'),
    "/slow": (200, '{"id": "too-late"}'),
}


def _answer(request: dict) -> tuple[int, str, float]:
    status, body = ANSWERS[request["path"]]
    return status, body, TIMEOUT * 5 if request["path"] == "/slow" else 0


@pytest.fixture(scope="module")
def provider():
    with http_peer(_answer) as server:
        yield server


@pytest.fixture
def seen(provider):
    provider.seen.clear()
    return provider.seen


def gateway(provider, path: str) -> HttpSmsGateway:
    port = unused_port() if path == "/refused" else provider.server_address[1]
    url = f"http://127.0.0.1:{port}{path}"
    return HttpSmsGateway(url=url, api_key="sms-test-key", timeout=TIMEOUT)


@pytest.fixture(autouse=True)
def empty_outbox():
    MemorySmsGateway.clear()
    yield
    MemorySmsGateway.clear()


# --- development and test gateways -------------------------------------------------------


def test_memory_gateway_keeps_messages_in_the_outbox():
    first = MemorySmsGateway().send(to=NUMBER, text=TEXT)
    second = MemorySmsGateway().send(to="+32470123456", text="Tweede bericht")

    assert [(m.to, m.text) for m in sms.outbox] == [
        (NUMBER, TEXT),
        ("+32470123456", "Tweede bericht"),
    ]
    assert [m.message_id for m in sms.outbox] == [first, second]
    assert first != second
    MemorySmsGateway.clear()
    assert sms.outbox == []


def test_console_gateway_prints_one_line(capsys):
    message_id = ConsoleSmsGateway().send(to=NUMBER, text=TEXT)
    assert capsys.readouterr().out == f"SMS to {NUMBER}: {TEXT}\n"
    assert message_id.startswith("console-")


@pytest.mark.parametrize("number", ["0612345678", "+31 6 12345678", "", "+0612345678"])
def test_a_number_not_in_international_form_is_refused_before_sending(number):
    with pytest.raises(ValueError, match="international form"):
        MemorySmsGateway().send(to=number, text=TEXT)
    assert sms.outbox == []


# --- choosing a backend ------------------------------------------------------------------


def test_the_factory_follows_the_settings_at_call_time(settings):
    settings.SMS_BACKEND = "memory"
    assert isinstance(sms_gateway(), MemorySmsGateway)
    settings.SMS_BACKEND = "console"
    assert isinstance(sms_gateway(), ConsoleSmsGateway)
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "https://sms.example/v1/messages"
    settings.SMS_GATEWAY_API_KEY = "key"
    settings.SMS_GATEWAY_TIMEOUT = 2.5
    http = sms_gateway()
    assert isinstance(http, HttpSmsGateway)
    assert (http.url, http.api_key, http.timeout) == ("https://sms.example/v1/messages", "key", 2.5)
    settings.SMS_BACKEND = "smtp"
    with pytest.raises(ImproperlyConfigured, match="SMS_BACKEND is 'smtp'"):
        sms_gateway()


@pytest.mark.parametrize(
    ("env", "started", "output"),
    [
        ({"DJANGO_DEBUG": "true"}, True, "console  5.0"),
        ({}, False, "SMS_GATEWAY_URL is not set"),
        ({"SMS_GATEWAY_URL": "https://sms.example/send"}, False, "SMS_GATEWAY_API_KEY is not set"),
        (
            {"SMS_GATEWAY_URL": "https://sms.example/send", "SMS_GATEWAY_API_KEY": "k"},
            True,
            "http https://sms.example/send 5.0",
        ),
        ({"SMS_BACKEND": "memory"}, True, "memory  5.0"),
        ({"SMS_BACKEND": "carrier-pigeon"}, False, "SMS_BACKEND is 'carrier-pigeon'"),
    ],
)
def test_sms_settings_come_from_the_environment(env, started, output):
    """Development prints; production posts to the provider and will not start without it."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ} | env
    code = (
        "from config.integrations import sms as s; "
        "print(s.SMS_BACKEND, s.SMS_GATEWAY_URL, s.SMS_GATEWAY_TIMEOUT); " + EXIT_ON_NOTED_PROBLEMS
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )
    assert (result.returncode == 0) == started, result.stderr
    assert output in (result.stdout if started else result.stderr)


# --- the HTTP gateway against a local provider -------------------------------------------


def test_http_gateway_posts_json_with_a_bearer_token(provider, seen):
    message_id = gateway(provider, "/ok").send(to=NUMBER, text=TEXT)

    [request] = seen
    assert request["headers"]["authorization"] == "Bearer sms-test-key"
    assert request["headers"]["content-type"] == "application/json"
    assert request["body"] == {"to": NUMBER, "text": TEXT}
    assert message_id == "msg-4f1c9a7e"


def test_a_message_accepted_without_an_id_is_not_a_failure(provider, seen, caplog):
    # Raising here would make the caller send the same message twice.
    with caplog.at_level(logging.WARNING, logger="core.sms"):
        assert gateway(provider, "/no-id").send(to=NUMBER, text=TEXT) == ""
    assert len(seen) == 1
    assert [r.reason for r in caplog.records if r.name == "core.sms"] == ["no_id"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/error", "server_error"),
        ("/rejected", "rejected"),
        ("/slow", "timeout"),
        ("/refused", "connection_error"),
    ],
)
def test_a_failed_delivery_raises_sms_delivery_failed(provider, caplog, path, reason):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(SmsDeliveryFailed) as raised:
        gateway(provider, path).send(to=NUMBER, text=TEXT)
    assert time.monotonic() - started < TIMEOUT * 4  # the configured timeout is honoured
    assert raised.value.reason == reason
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    assert [r.reason for r in caplog.records if r.name == "core.sms"] == [reason]
    # The log never holds the number or the text: the text may be a one-time code.
    assert NUMBER not in caplog.text and "493817" not in caplog.text
