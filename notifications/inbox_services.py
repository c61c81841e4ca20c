"""Writes to 'Berichten': new messages, and read / unread."""

from django.db import transaction
from django.utils import timezone

from consent.models import Organisation
from notifications.models import InboxMessage, Notification
from profiles.models import Profile


@transaction.atomic
def inbox_message_create(
    *,
    profile: Profile,
    kind: str,
    subject: str,
    body: str,
    organisation: Organisation | None = None,
    link: str = "",
    notification: Notification | None = None,
) -> InboxMessage:
    """A message in the person's inbox; without an organisation it is the portal's own."""
    return InboxMessage.objects.create(
        profile=profile,
        organisation=organisation,
        notification=notification,
        kind=kind,
        subject=subject,
        body=body,
        link=link,
    )


def inbox_messages_create(*, notifications: list[Notification]) -> list[InboxMessage]:
    """The inbox copy of each notification, in one insert (delivery in batches).

    The caller loaded each notification with its recipient and organisation. A second copy of
    one notification is refused by the database (one message per notification).
    """
    return InboxMessage.objects.bulk_create(
        InboxMessage(
            profile=notification.recipient,
            organisation=notification.organisation,
            notification=notification,
            kind=notification.kind,
            subject=notification.subject,
            body=notification.body,
            link=notification.link,
        )
        for notification in notifications
    )


def inbox_message_mark_read(*, profile: Profile, message: InboxMessage) -> InboxMessage:
    """Read once: the first time counts, opening it again changes nothing."""
    if message.read_at is None:
        now = timezone.now()
        # Filtered on the profile too, so a message of someone else is never touched.
        InboxMessage.objects.filter(pk=message.pk, profile=profile, read_at__isnull=True).update(
            read_at=now
        )
        message.read_at = now
    return message


def inbox_message_mark_unread(*, profile: Profile, message: InboxMessage) -> InboxMessage:
    InboxMessage.objects.filter(pk=message.pk, profile=profile).update(read_at=None)
    message.read_at = None
    return message
