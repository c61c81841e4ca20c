"""E-mails composed now and sent by the worker: for when the data they need is about to go."""

from profiles.rights.models import OutgoingEmail
from profiles.rights.tasks import send_outgoing_email


def outgoing_email_compose(
    *, to: str, template: str, language: str, context: dict | None = None
) -> OutgoingEmail:
    """Store the e-mail and enqueue its sending, in the caller's transaction.

    The task carries the row's id, not the address: the address lives in this row only, until
    the e-mail is sent.
    """
    email = OutgoingEmail.objects.create(
        to=to, template=template, language=language, context=context or {}
    )
    send_outgoing_email.enqueue(email_id=email.pk)
    return email
