"""An SMTP session with the relay of Django's EMAIL_* settings, through smtplib's public API.

    relay = SmtpRelay(settings_of_relay)        # None from relay_settings(): not SMTP
    relay.send(sender, [recipient], data)       # opens the session the first time
    relay.close()

Django's SMTP backend takes Django messages, opens a session per send_messages() call unless
told otherwise, and keeps its smtplib object to itself. The notification worker hands over
bytes it made once for many people, keeps one session per thread open from task to task, and
must know whether the relay still listens after a pause: none of that has a public way in
Django's backend, so this client does it with the same settings. Errors are smtplib's own
(SMTPException and OSError, ssl's errors among them); smtp_fault() says whose fault one is.

The transaction goes step by step (MAIL, RCPT, DATA, the message, its answer) rather than
through sendmail(), for one fact sendmail() cannot tell: whether the connection broke before
the message was handed over (then it surely did not arrive: send it again) or after the last
line went out and before the answer came (then the relay may have taken it:
SmtpOutcomeUnknown, and sending it again could deliver it twice).

Certificates are checked against the system's trusted authorities and the relay's host name
(ssl.create_default_context); EMAIL_SSL_CERTFILE and EMAIL_SSL_KEYFILE add a client certificate.
"""

import contextlib
import functools
import re
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.send_faults import SendFault

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# A relay closes sessions that stay idle; after this long, NOOP asks before the next message.
IDLE_CHECK_SECONDS = 5.0
# "Service not available, closing": the relay says so of itself, at any step.
SERVICE_CLOSING = 421
# RFC 3463 enhanced status codes: x.1.y is about the address, x.2.y about the mailbox. A 4xx to
# RCPT with one of those is about that recipient; without one it is the relay's own trouble.
_ENHANCED = re.compile(rb"\s*[245]\.(\d{1,3})\.\d{1,3}\b")
_ABOUT_RECIPIENT = {b"1", b"2"}


class SmtpOutcomeUnknown(smtplib.SMTPServerDisconnected):
    """The whole message went out and the connection broke before the relay answered."""


@dataclass(frozen=True)
class RelaySettings:
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float | None = None
    certfile: str | None = None
    keyfile: str | None = None


def relay_settings() -> RelaySettings | None:
    """The relay of the EMAIL_* settings; None when EMAIL_BACKEND is not Django's SMTP backend
    (the console in development, memory in the tests): that backend is used as it is."""
    if settings.EMAIL_BACKEND != DJANGO_SMTP_BACKEND:
        return None
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other.")
    return RelaySettings(
        host=settings.EMAIL_HOST,
        port=int(settings.EMAIL_PORT),
        username=settings.EMAIL_HOST_USER,
        password=settings.EMAIL_HOST_PASSWORD,
        use_tls=bool(settings.EMAIL_USE_TLS),
        use_ssl=bool(settings.EMAIL_USE_SSL),
        timeout=settings.EMAIL_TIMEOUT,
        certfile=settings.EMAIL_SSL_CERTFILE,
        keyfile=settings.EMAIL_SSL_KEYFILE,
    )


class SmtpRelay:
    """One SMTP session, kept open between messages. Not for sharing between threads."""

    def __init__(self, relay: RelaySettings, *, idle_check_seconds: float = IDLE_CHECK_SECONDS):
        self.relay = relay
        self.idle_check_seconds = idle_check_seconds
        self._smtp: smtplib.SMTP | None = None
        self._used_at = 0.0

    def open(self) -> None:
        """Connect, STARTTLS or TLS from the start, and log in if a user is set."""
        if self._smtp is not None:
            return
        relay = self.relay
        options = {"local_hostname": _local_hostname()}
        if relay.timeout is not None:
            options["timeout"] = relay.timeout
        if relay.use_ssl:
            smtp = smtplib.SMTP_SSL(relay.host, relay.port, context=tls_context(relay), **options)
        else:
            smtp = smtplib.SMTP(relay.host, relay.port, **options)
        try:
            if relay.use_tls:
                smtp.starttls(context=tls_context(relay))
            if relay.username and relay.password:
                smtp.login(relay.username, relay.password)
        except BaseException:
            _quit(smtp)
            raise
        self._smtp, self._used_at = smtp, time.monotonic()

    def send(self, sender: str, recipients: list[str], data: bytes) -> dict:
        """Hand one message to the relay; smtplib's answer: the recipients it refused while
        taking the others (all refused raises SMTPRecipientsRefused)."""
        if self._smtp is not None and not self._fresh() and not self._alive():
            self.close()  # the relay hung up meanwhile: a new session, not a failed message
        self.open()
        try:
            return _transaction(self._smtp, sender, recipients, data)
        finally:
            self._used_at = time.monotonic()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            _quit(smtp)

    def _fresh(self) -> bool:
        return time.monotonic() - self._used_at < self.idle_check_seconds

    def _alive(self) -> bool:
        try:
            return self._smtp.noop()[0] == 250
        except (smtplib.SMTPException, OSError):
            return False


def _transaction(smtp: smtplib.SMTP, sender: str, recipients: list[str], data: bytes) -> dict:
    """What sendmail() does for bytes without ESMTP options, raising the same errors, plus
    SmtpOutcomeUnknown when the answer to the message itself does not come."""
    smtp.ehlo_or_helo_if_needed()
    code, reply = smtp.mail(sender)
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
            if code == SERVICE_CLOSING:
                break
    if refused and (len(refused) == len(recipients) or code == SERVICE_CLOSING):
        _end_transaction(smtp, code)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        _end_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    smtp.send(_dot_stuffed(data))  # broken here: the final "." did not go, nothing arrived
    try:
        code, reply = smtp.getreply()
    except smtplib.SMTPServerDisconnected as lost:
        raise SmtpOutcomeUnknown(str(lost)) from lost
    if code != 250:
        _end_transaction(smtp, code)
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _dot_stuffed(data: bytes) -> bytes:
    # RFC 5321 4.5.2: a line that starts with "." gets another; the message ends with CRLF.CRLF.
    data = re.sub(rb"(?m)^\.", b"..", data)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _end_transaction(smtp: smtplib.SMTP, code: int) -> None:
    if code == SERVICE_CLOSING:
        smtp.close()
        return
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()  # gone already: the next send opens a new session


def smtp_fault(error: BaseException) -> SendFault:
    """Whose fault one failed send is (core.send_faults): the relay's or the recipient's.

    - no connection, a timeout, TLS, a broken session, the greeting, EHLO, login or the sender
      refused, 421 at any step: the relay (transport);
    - the connection broke after the whole message went out: the relay, and uncertain;
    - a 5xx to the message or to every recipient: that recipient, for good;
    - a 4xx to every recipient or to the message: the recipient (passing) when the enhanced
      code says it is about the address or mailbox (4.1.x, 4.2.x, e.g. "mailbox busy"), else
      the relay: a relay that takes our mail for others answers for its own state.
    """
    if isinstance(error, SmtpOutcomeUnknown):
        return SendFault.of_transport("smtp_no_answer_to_message", uncertain=True)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        first = answers[0][0] if answers else 0
        code = f"smtp_recipient_refused_{first}"
        if any(c == SERVICE_CLOSING for c, _ in answers) or not answers:
            return SendFault.of_transport(code)
        if any(c >= 500 for c, _ in answers):
            return SendFault.of_recipient(code, passing=all(c < 500 for c, _ in answers))
        if all(_about_recipient(reply) for _, reply in answers):
            return SendFault.of_recipient(code, passing=True)
        return SendFault.of_transport(code)
    if isinstance(error, smtplib.SMTPDataError):
        code = f"smtp_{error.smtp_code}"
        if error.smtp_code >= 500:
            return SendFault.of_recipient(code, passing=False)
        if error.smtp_code != SERVICE_CLOSING and _about_recipient(error.smtp_error):
            return SendFault.of_recipient(code, passing=True)  # e.g. 452 4.2.2 mailbox full
        return SendFault.of_transport(code)
    if isinstance(error, smtplib.SMTPResponseException):
        # The greeting, EHLO, STARTTLS, the login or the sender: the relay's setup, for everyone.
        return SendFault.of_transport(f"smtp_{error.smtp_code}")
    return SendFault.of_transport(f"smtp_{type(error).__name__}")


def _about_recipient(reply) -> bool:
    if isinstance(reply, str):
        reply = reply.encode("ascii", "replace")
    found = _ENHANCED.match(reply or b"")
    return bool(found) and found.group(1) in _ABOUT_RECIPIENT


def tls_context(relay: RelaySettings) -> ssl.SSLContext:
    """Checks the relay's certificate and name against the system's trusted authorities."""
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    if relay.certfile or relay.keyfile:
        context.load_cert_chain(relay.certfile, relay.keyfile)
    return context


@functools.cache
def _local_hostname() -> str:
    # What smtplib says in EHLO; it would look the name up in the DNS for every session.
    name = socket.getfqdn()
    return name if name.isascii() else name.encode("idna").decode("ascii")


def _quit(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()  # already gone, or a TLS session that did not end cleanly
