"""Reads for 'Berichten' (the inbox), each in a constant number of queries."""

from urllib.parse import urlsplit

from django.core.paginator import Page, Paginator

from consent.models import Organisation
from core import sql
from notifications.models import InboxMessage
from profiles.login.request_user import PROFILE_ALIAS, UserColumn
from profiles.models import Profile

PAGE_SIZE = 25
# The filter value for the portal's own messages (they have no organisation).
PORTAL = "portaal"


# --- inbox -------------------------------------------------------------------------------------


# The unread count as the request's user was loaded (see users_with_unread_count).
UNREAD_ATTRIBUTE = "unread_messages"


def unread_count(profile: Profile) -> int:
    return InboxMessage.objects.filter(profile=profile, read_at__isnull=True).count()


def unread_count_column() -> UserColumn:
    """The profile's unread count as a column of the statement that loads the request's user (a
    subquery on the inbox_unread index; profiles.login.request_user), registered at start-up, so
    the menu's count costs no query of its own."""
    q = sql.quote
    field = InboxMessage._meta.get_field
    return UserColumn(
        attribute=UNREAD_ATTRIBUTE,
        expression=(
            f"(SELECT COUNT(*) FROM {sql.table(InboxMessage)} m "
            f"WHERE m.{q(field('profile').column)} = {PROFILE_ALIAS}.{q(Profile._meta.pk.column)} "
            f"AND m.{q(field('read_at').column)} IS NULL)"
        ),
        default=0,
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
