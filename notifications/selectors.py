"""Reads for 'Berichten' (the inbox), each in a constant number of queries."""

from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator

from consent.models import Organisation
from notifications.models import InboxMessage
from profiles.models import Profile

PAGE_SIZE = 25
# The filter value for the portal's own messages (they have no organisation).
PORTAL = "portaal"


# --- inbox -------------------------------------------------------------------------------------


def unread_count(profile: Profile) -> int:
    return InboxMessage.objects.filter(profile=profile, read_at__isnull=True).count()


def inbox_senders(profile: Profile) -> tuple[list[Organisation], bool]:
    """The organisations that sent this person messages, and whether the portal did too."""
    senders = list(
        InboxMessage.objects.filter(profile=profile)
        .values_list("organisation", flat=True)
        .distinct()
        .order_by()
    )
    organisations = list(Organisation.objects.filter(pk__in=[s for s in senders if s]))
    return organisations, None in senders


def inbox_page(profile: Profile, *, sender: str = "", page: str | None = None) -> Page:
    """One page of the person's messages, newest first; `sender` is an organisation id or PORTAL."""
    messages = InboxMessage.objects.filter(profile=profile)
    if sender == PORTAL:
        messages = messages.filter(organisation__isnull=True)
    elif sender:
        messages = messages.filter(organisation_id=sender)
    messages = messages.select_related("organisation").order_by("-created_at", "-pk")
    return Paginator(messages, PAGE_SIZE).get_page(page)


def inbox_message_for(profile: Profile, message_id: int) -> InboxMessage | None:
    """Only ever the person's own message: another person's id finds nothing."""
    return (
        InboxMessage.objects.filter(profile=profile, pk=message_id)
        .select_related("organisation")
        .first()
    )


def safe_link(link: str) -> str:
    """The message's link if it is a web address; anything else (javascript:, data:) is dropped."""
    return link if urlsplit(link).scheme in ("http", "https") else ""
