"""Sending SMS: one small interface, a gateway per environment, chosen by `SMS_BACKEND`.

    message_id = sms_gateway().send(to="+31612345678", text=...)

`console` (development) prints the message, `memory` (tests) keeps it in `outbox` the way
Django's locmem backend keeps e-mail in `mail.outbox`, `http` posts it to the provider.
"""

import logging
import re
import sys
import uuid
from dataclasses import dataclass
from typing import Protocol, TextIO, runtime_checkable

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.send_faults import SendFault

logger = logging.getLogger("core.sms")

# E.164: a plus, a country code and at most 15 digits, e.g. +31612345678.
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")


# The gateway's own trouble, not the number's: no connection, a timeout, a 5xx, "too many
# requests" (429), or a refusal of our account or address (401, 403, 404, 405, 407: a setting,
# the same for every message). Everything else in 4xx is about this message or number.
TRANSPORT_REASONS = frozenset(
    {"timeout", "connection_error", "server_error", "throttled", "gateway_refused"}
)
_GATEWAY_REFUSED = frozenset({401, 403, 404, 405, 407})
_THROTTLED = 429


class SmsDeliveryFailed(Exception):
    """The gateway did not take the message.

    `reason`: `timeout`, `connection_error`, `server_error` (5xx), `throttled` (429) and
    `gateway_refused` (401, 403, 404, 405, 407) are the gateway's (after a timeout the provider
    may have sent it after all); `rejected` (any other 4xx) is about the number or the text.
    """

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"SMS not accepted by the gateway ({reason})")

    @property
    def fault(self) -> SendFault:
        if self.reason in TRANSPORT_REASONS:
            return SendFault.of_transport(f"sms_{self.reason}")
        return SendFault.of_recipient(f"sms_{self.reason}", passing=False)


@runtime_checkable
class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> str:
        """Hand the message over; returns the provider's message id."""


def _check_number(to: str) -> None:
    # A caller bug, not a delivery failure: retrying would never help.
    if not _E164.match(to):
        raise ValueError("An SMS number must be in international form, e.g. +31612345678.")


class ConsoleSmsGateway:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream

    def send(self, *, to: str, text: str) -> str:
        _check_number(to)
        stream = self.stream or sys.stdout  # looked up late so test capture sees it
        stream.write(f"SMS to {to}: {text}\n")
        stream.flush()
        return f"console-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class SentSms:
    to: str
    text: str
    message_id: str


outbox: list[SentSms] = []


class MemorySmsGateway:
    def send(self, *, to: str, text: str) -> str:
        _check_number(to)
        message_id = f"memory-{uuid.uuid4().hex}"
        outbox.append(SentSms(to=to, text=text, message_id=message_id))
        return message_id

    @staticmethod
    def clear() -> None:
        # In place: tests may hold a reference to `outbox`.
        outbox.clear()


class HttpSmsGateway:
    """A provider that takes `{"to": ..., "text": ...}` as JSON with a bearer token."""

    def __init__(self, *, url: str, api_key: str, timeout: float):
        self.url = url
        self.api_key = api_key
        self.timeout = timeout

    def send(self, *, to: str, text: str) -> str:
        _check_number(to)
        try:
            response = requests.post(
                self.url,
                json={"to": to, "text": text},
                headers={"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise self._failed("timeout") from None
        except requests.RequestException:
            raise self._failed("connection_error") from None
        status = response.status_code
        if status >= 500:
            raise self._failed("server_error", status=status)
        if status == _THROTTLED:
            raise self._failed("throttled", status=status)
        if status in _GATEWAY_REFUSED:
            raise self._failed("gateway_refused", status=status)
        if not 200 <= status < 300:
            raise self._failed("rejected", status=status)
        # Accepted is accepted: raising now would make the caller send the message twice.
        message_id = _message_id(response)
        if not message_id:
            logger.warning("SMS accepted without a message id", extra={"reason": "no_id"})
        return message_id

    @staticmethod
    def _failed(reason: str, **detail) -> SmsDeliveryFailed:
        # Neither the number nor the text is logged: the text may hold a one-time code.
        logger.warning("SMS not delivered: %s", reason, extra={"reason": reason, **detail})
        return SmsDeliveryFailed(reason)


def _message_id(response: requests.Response) -> str:
    """The provider's id from `{"id": ...}` (or `messageId`); '' when it sent none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    return str(body.get("id") or body.get("messageId") or "")


def sms_gateway() -> SmsGateway:
    backend = settings.SMS_BACKEND
    if backend == "console":
        return ConsoleSmsGateway()
    if backend == "memory":
        return MemorySmsGateway()
    if backend == "http":
        return HttpSmsGateway(
            url=settings.SMS_GATEWAY_URL,
            api_key=settings.SMS_GATEWAY_API_KEY,
            timeout=settings.SMS_GATEWAY_TIMEOUT,
        )
    raise ImproperlyConfigured(f"SMS_BACKEND is {backend!r}: use 'console', 'memory' or 'http'.")
