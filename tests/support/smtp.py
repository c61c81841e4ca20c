"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests that send e-mail over the wire.

with smtp_server() as server:
    ...send mail to server.port...
    message = server.messages[0]  # an email.message.EmailMessage
    server.stop(); server.start()  # an outage: down, then up again on the same port

Keyword arguments go to aiosmtpd's Controller: ssl_context (TLS from the start), or
tls_context with require_starttls, auth_required with an authenticator, timeout (idle seconds).
"""

import contextlib
import email
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

from tests.support.broker import free_port


@dataclass
class Received:
    envelope_to: list[str]
    message: EmailMessage


@dataclass
class SmtpServer:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    controller: Controller | None = field(default=None, repr=False)
    options: dict = field(default_factory=dict, repr=False)

    @property
    def messages(self) -> list[EmailMessage]:
        return [item.message for item in self.received]

    def start(self) -> None:
        """Listen on the port (again, after stop(): a controller's loop ends with it)."""
        self.controller = Controller(self, hostname=self.host, port=self.port, **self.options)
        self.controller.start()

    def stop(self) -> None:
        """The server goes away: the port refuses connections, sessions in progress end."""
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.stop()

    # aiosmtpd calls the hook by this name.
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.received.append(Received(envelope_to=list(envelope.rcpt_tos), message=message))
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server(host: str = "127.0.0.1", **options) -> Iterator[SmtpServer]:
    server = SmtpServer(host=host, port=free_port(), options=options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def use_smtp_server(settings, server: SmtpServer) -> None:
    """Point Django's SMTP backend at `server` (settings: pytest-django's fixture)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
