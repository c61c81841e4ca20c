"""The e-mails of one batch, made for the wire once per text instead of once per person.

One notification to many people is the same e-mail many times: only the To and Message-ID
headers differ. Django makes each message from scratch (a MIME tree, header folding, address
parsing): more work than the sending itself. Here the message without those two headers is made
once per distinct text in a batch (the same code, notification_email), and each person's copy is
those two header lines in front of the same bytes. The relay gets the same message as Django
would send, apart from the order of the headers.

Only Django's own SMTP backend takes these bytes straight (see notifications.delivery.sending);
any other backend (the one in memory of the tests, a subclass that signs messages) gets the
Django message as before. The Date header is the moment the batch was made.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address

from notifications.delivery.render import notification_email
from notifications.models import Delivery

# An address that needs no encoding: sanitize_address would return it unchanged, but costs more
# than sending the message. Anything else (non-ASCII, a display name) goes through it.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


@dataclass
class OutgoingEmail:
    """One person's e-mail: the envelope and the bytes, and the Django message if needed."""

    sender: str
    recipient: str
    data: bytes
    delivery: Delivery = field(repr=False)
    address: str = ""

    def django_message(self) -> EmailMultiAlternatives:
        return notification_email(self.delivery, self.address)


def wire_address(address: str) -> str:
    if _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, settings.DEFAULT_CHARSET)


class EmailComposer:
    """Makes the e-mails of one batch; keep one per batch, so the Date header stays fresh."""

    def __init__(self):
        self._bodies: dict[tuple, bytes] = {}
        self._sender = wire_address(settings.DEFAULT_FROM_EMAIL)

    def compose(self, delivery: Delivery, address: str) -> OutgoingEmail:
        message = notification_email(delivery, address)
        recipient = wire_address(address)
        headers = f"To: {recipient}\r\nMessage-ID: {message.extra_headers['Message-ID']}\r\n"
        if headers.isascii():
            data = headers.encode("ascii") + self._body(message)
        else:  # a domain name outside ASCII in the Message-ID: Django encodes it
            data = message.message().as_bytes(linesep="\r\n")
        return OutgoingEmail(
            sender=self._sender,
            recipient=recipient,
            data=data,
            delivery=delivery,
            address=address,
        )

    def _body(self, message: EmailMultiAlternatives) -> bytes:
        """The message without To and Message-ID, made the first time its text is seen."""
        others = {k: v for k, v in message.extra_headers.items() if k != "Message-ID"}
        key = (
            message.subject,
            message.body,
            message.from_email,
            tuple(message.alternatives),
            tuple(sorted(others.items())),
        )
        if key not in self._bodies:
            # A Message-ID of our own keeps Django from making one (which asks the DNS).
            template = EmailMultiAlternatives(
                message.subject,
                message.body,
                message.from_email,
                headers=others | {"Message-ID": "<template@localhost>"},
                alternatives=message.alternatives,
            )
            mime = template.message()
            del mime["Message-ID"]
            self._bodies[key] = mime.as_bytes(linesep="\r\n")
        return self._bodies[key]
