"""The notifications app's part of a download and an erasure (profiles.rights.parts).

Download: channel preferences per organisation, every message in 'Berichten' and every
notification with how it was delivered. Erasure: all of these go. Retention: messages and
notifications older than RETENTION["messages"] days.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch

from notifications.choices import Channel
from notifications.models import ChannelPreference, Delivery, InboxMessage, Notification
from profiles.models import Profile
from profiles.rights.dates import iso
from profiles.rights.parts import PersonalDataPart


def notifications_export(profile: Profile) -> dict:
    preferences = ChannelPreference.objects.filter(profile=profile).select_related("organisation")
    messages = InboxMessage.objects.filter(profile=profile).select_related("organisation")
    notifications = (
        Notification.objects.filter(recipient=profile)
        .select_related("organisation")
        .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("pk")))
    )
    return {
        "channel_preferences": [
            {
                "organisation": row.organisation.name,
                "kind": row.kind,
                "kind_label": str(row.get_kind_display()),
                "channels": row.channels,
                "channel_labels": [str(Channel(channel).label) for channel in row.channels],
                "changed_at": iso(row.updated_at),
            }
            for row in preferences.order_by("organisation__name", "kind")
        ],
        "messages": [
            {
                "from": message.organisation.name if message.organisation else "",
                "kind": message.kind,
                "subject": message.subject,
                "body": message.body,
                "link": message.link,
                "received_at": iso(message.created_at),
                "read_at": iso(message.read_at),
            }
            for message in messages.order_by("-created_at", "-pk")
        ],
        "notifications": [
            {
                "from": notification.organisation.name,
                "kind": notification.kind,
                "subject": notification.subject,
                "case_reference": notification.case_reference,
                "received_at": iso(notification.created_at),
                "deliveries": [
                    {"channel": d.channel, "status": d.status, "sent_at": iso(d.sent_at)}
                    for d in notification.deliveries.all()
                ],
            }
            for notification in notifications.order_by("-created_at", "-pk")
        ],
    }


def _remove_notifications(notifications) -> int:
    """Notifications with their deliveries and inbox copies (the links between them PROTECT)."""
    deliveries = Delivery.objects.filter(notification__in=notifications)
    deliveries.exclude(fallback_for=None).update(fallback_for=None)
    removed = deliveries.delete()[0]
    removed += InboxMessage.objects.filter(notification__in=notifications).delete()[0]
    notifications.exclude(duplicate_of=None).update(duplicate_of=None)
    Notification.objects.filter(duplicate_of__in=notifications).update(duplicate_of=None)
    return removed + notifications.delete()[0]


def notifications_erase(profile: Profile) -> None:
    _remove_notifications(Notification.objects.filter(recipient=profile))
    InboxMessage.objects.filter(profile=profile).delete()
    ChannelPreference.objects.filter(profile=profile).delete()


def notifications_retain(now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(days=settings.RETENTION["messages"])
    removed = _remove_notifications(Notification.objects.filter(created_at__lt=cutoff))
    removed += InboxMessage.objects.filter(created_at__lt=cutoff).delete()[0]
    return {"messages": removed}


def notifications_size(profile: Profile) -> int:
    return InboxMessage.objects.filter(profile=profile).count()


NOTIFICATIONS_PART = PersonalDataPart(
    name="notifications",
    export=notifications_export,
    erase=notifications_erase,
    size=notifications_size,
    retain=notifications_retain,
)
