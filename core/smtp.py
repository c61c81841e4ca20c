"""An SMTP session with the relay of Django's EMAIL_* settings, through smtplib's public API.

    relay = SmtpRelay(settings_of_relay)        # None from relay_settings(): not SMTP
    relay.send(sender, [recipient], data)       # opens the session the first time
    relay.close()

Django's SMTP backend takes Django messages, opens a session per send_messages() call unless
told otherwise, and keeps its smtplib object to itself. The notification worker hands over
bytes it made once for many people, keeps one session per thread open from task to task, and
must know whether the relay still listens after a pause: none of that has a public way in
Django's backend, so this client does it with the same settings. Errors are smtplib's own
(SMTPException and OSError, ssl's errors among them), for the caller to classify.

Certificates are checked against the system's trusted authorities and the relay's host name
(ssl.create_default_context); EMAIL_SSL_CERTFILE and EMAIL_SSL_KEYFILE add a client certificate.
"""

import functools
import smtplib
import socket
import ssl
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# A relay closes sessions that stay idle; after this long, NOOP asks before the next message.
IDLE_CHECK_SECONDS = 5.0


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
            return self._smtp.sendmail(sender, recipients, data)
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
