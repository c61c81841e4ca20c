"""Reads for 'Berichten' (the inbox), each in a constant number of queries."""

from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from consent.models import Organisation
from notifications.models import InboxMessage
from profiles.models import Profile

PAGE_SIZE = 25
# The filter value for the portal's own messages (they have no organisation).
PORTAL = "portaal"


# --- inbox -------------------------------------------------------------------------------------


# The unread count as the request's user was loaded (see users_with_unread_count).
UNREAD_ATTRIBUTE = "unread_messages"


def unread_count(profile: Profile) -> int:
    return InboxMessage.objects.filter(profile=profile, read_at__isnull=True).count()


def users_with_unread_count(users: QuerySet) -> QuerySet:
    """The users with their profile's unread count, in the same query (a subquery on the
    inbox_unread index): registered at start-up for the query that loads the request's user
    (profiles.login.backends), so the menu's count costs no query of its own."""
    unread = (
        InboxMessage.objects.filter(profile_id=OuterRef("profile"), read_at__isnull=True)
        .order_by()
        .values("profile_id")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return users.annotate(
        **{UNREAD_ATTRIBUTE: Coalesce(Subquery(unread), Value(0), output_field=IntegerField())}
    )


def request_unread_count(user, profile: Profile) -> int:
    """The count loaded with the user when there is one, else one COUNT."""
    loaded = getattr(user, UNREAD_ATTRIBUTE, None)
    return unread_count(profile) if loaded is None else loaded


def unread_count_changed(user) -> None:
    """A message was marked (un)read in this request: the page counts again."""
    if hasattr(user, UNREAD_ATTRIBUTE):
        delattr(user, UNREAD_ATTRIBUTE)


def inbox_senders(profile: Profile) -> tuple[list[Organisation], bool]:
    """The organisations that sent this person messages (by name), and whether the portal did
    too, in one query. The organisations carry only their id and name: all the filter needs."""
    senders = (
        InboxMessage.objects.filter(profile=profile)
        .order_by("organisation__name", "organisation_id")
        .values_list("organisation_id", "organisation__name")
        .distinct()
    )
    organisations, portal = [], False
    for pk, name in senders:
        if pk is None:
            portal = True
        else:
            organisations.append(Organisation(pk=pk, name=name))
    return organisations, portal


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
