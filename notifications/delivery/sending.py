"""Talking to the gateways: the e-mail over a reused SMTP connection, and the SMS.

What the messages say is made in notifications.delivery.render. Each failure is raised as a
DeliveryError that says whose fault it is (core.send_faults: the transport's or the
recipient's) and whether trying again can help."""

import contextlib
import smtplib
import threading

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend

from core.send_faults import SendFault
from core.sms import SmsDeliveryFailed, sms_gateway
from core.smtp import SmtpRelay, relay_settings, smtp_fault
from notifications.choices import Channel
from notifications.delivery.compose import OutgoingEmail, wire_address
from notifications.delivery.render import notification_email, sms_text
from notifications.models import Delivery


class DeliveryError(Exception):
    """Why one attempt failed; `passing` when a later attempt may succeed; `transport` when the
    mail server or gateway itself failed, so the next messages would fail alike (the
    transport pauses: notifications.delivery.breaker); `uncertain` when it may have taken the
    message before it failed (then it is not sent again by itself)."""

    def __init__(self, code: str, *, passing: bool, transport: bool = False, uncertain=False):
        super().__init__(code)
        self.code = code[:200]
        self.passing = passing
        self.transport = transport
        self.uncertain = uncertain

    @classmethod
    def of(cls, fault: SendFault) -> "DeliveryError":
        return cls(
            fault.code, passing=fault.passing, transport=fault.transport, uncertain=fault.uncertain
        )


class _MailConnections(threading.local):
    """One connection per worker thread, reused from task to task: a session with the relay
    (core.smtp) for Django's SMTP backend, else a connection of the configured backend."""

    key: tuple | None = None
    connection: SmtpRelay | BaseEmailBackend | None = None


_mail = _MailConnections()


def _mail_connection() -> SmtpRelay | BaseEmailBackend:
    # Read for every message, so only what a test changes between servers: reading all the
    # EMAIL_* settings cost a tenth of the time of sending a message on this path.
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if _mail.connection is None or _mail.key != key:
        close_mail_connection()
        relay = relay_settings()
        if relay is not None:
            _mail.connection = SmtpRelay(relay)  # connects on the first message
        else:
            _mail.connection = get_connection(fail_silently=False)
            _mail.connection.open()
        _mail.key = key
    return _mail.connection


def prepare(delivery: Delivery, address: str):
    """The message for this delivery, ready to go: made before the row is marked SENDING, so a
    template error leaves the row waiting instead of uncertain."""
    if delivery.channel == Channel.EMAIL:
        return notification_email(delivery, address)
    return sms_text(delivery)


def transmit(delivery: Delivery, address: str, message) -> None:
    """Hand the prepared message to the gateway; raises DeliveryError when it does not take it."""
    if delivery.channel == Channel.EMAIL:
        _send_email(message)
    else:
        _send_sms(address, message)


def _send_email(message: EmailMultiAlternatives | OutgoingEmail) -> None:
    try:
        connection = _mail_connection()
        if isinstance(connection, SmtpRelay):
            connection.send(*_envelope_and_data(message))
        elif isinstance(message, OutgoingEmail):
            connection.send_messages([message.django_message()])
        else:
            connection.send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        # After any failure a new session: a half-ended one must not carry the next message.
        close_mail_connection()
        raise DeliveryError.of(smtp_fault(error)) from None


def _envelope_and_data(message: EmailMultiAlternatives | OutgoingEmail):
    """Sender, recipients and bytes for the relay, as Django's SMTP backend would send them."""
    if isinstance(message, OutgoingEmail):
        # Made for the wire already (notifications.delivery.compose): straight to the relay.
        return message.sender, [message.recipient], message.data
    recipients = [wire_address(address) for address in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    return wire_address(message.from_email), recipients, data


def close_mail_connection() -> None:
    """Close this thread's SMTP connection (after a failure, or when the settings change)."""
    if _mail.connection is not None:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            _mail.connection.close()
    _mail.key = _mail.connection = None


def _send_sms(number: str, text: str) -> None:
    try:
        sms_gateway().send(to=number, text=text)
    except SmsDeliveryFailed as failed:
        # After a timeout the provider may have sent it after all; it is tried again all the
        # same (the gateway's own trouble: core.sms), as the SMS issue asked.
        raise DeliveryError.of(failed.fault) from None
    except ValueError:
        raise DeliveryError("sms_invalid_number", passing=False) from None
