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


# The inbox's reads are written as SQL (core/sql.py): through the ORM, building its three queries
# cost about 1 ms of CPU on a page every person opens after a message arrives.


def inbox_senders(profile: Profile) -> tuple[list[Organisation], bool]:
    """The organisations that sent this person messages (by name), and whether the portal did
    too, in one query. The organisations carry only their id and name: all the filter needs."""
    senders = sql.fetch(
        f"SELECT DISTINCT m.organisation_id, o.name FROM {sql.table(InboxMessage)} m "
        f"LEFT JOIN {sql.table(Organisation)} o ON o.id = m.organisation_id "
        "WHERE m.profile_id = %s ORDER BY 2, 1",
        [profile.pk],
    )
    organisations, portal = [], False
    for pk, name in senders:
        if pk is None:
            portal = True
        else:
            organisations.append(Organisation(pk=pk, name=name))
    return organisations, portal


class _InboxRows:
    """The person's messages as the Paginator asks for them: a COUNT, then one page's rows with
    their organisation, newest first."""

    def __init__(self, profile: Profile, sender: str):
        self.where, self.params = "m.profile_id = %s", [profile.pk]
        if sender == PORTAL:
            self.where += " AND m.organisation_id IS NULL"
        elif sender:
            self.where += " AND m.organisation_id = %s"
            self.params.append(int(sender))

    def count(self) -> int:
        statement = f"SELECT COUNT(*) FROM {sql.table(InboxMessage)} m WHERE {self.where}"
        return sql.fetch(statement, self.params)[0][0]

    def __getitem__(self, part: slice) -> list[InboxMessage]:
        rows = sql.fetch(
            f"SELECT {sql.columns(InboxMessage, 'm')}, {sql.columns(Organisation, 'o')} "
            f"FROM {sql.table(InboxMessage)} m "
            f"LEFT JOIN {sql.table(Organisation)} o ON o.id = m.organisation_id "
            f"WHERE {self.where} ORDER BY m.created_at DESC, m.id DESC LIMIT %s OFFSET %s",
            [*self.params, part.stop - part.start, part.start],
        )
        # A page holds messages of a few organisations: one instance each, not one per row.
        organisations: dict[int | None, Organisation | None] = {None: None}
        return [_message(row, organisations) for row in rows]


def _message(row, organisations: dict | None = None) -> InboxMessage:
    message = sql.instance(InboxMessage, row)
    known = {} if organisations is None else organisations
    if message.organisation_id not in known:
        known[message.organisation_id] = sql.instance(Organisation, row, sql.width(InboxMessage))
    message.organisation = known[message.organisation_id]
    return message


def inbox_page(profile: Profile, *, sender: str = "", page: str | None = None) -> Page:
    """One page of the person's messages, newest first; `sender` is an organisation id (digits,
    as the filter form checks) or PORTAL."""
    return Paginator(_InboxRows(profile, sender), PAGE_SIZE).get_page(page)


def inbox_message_for(profile: Profile, message_id: int) -> InboxMessage | None:
    """Only ever the person's own message: another person's id finds nothing."""
    rows = sql.fetch(
        f"SELECT {sql.columns(InboxMessage, 'm')}, {sql.columns(Organisation, 'o')} "
        f"FROM {sql.table(InboxMessage)} m "
        f"LEFT JOIN {sql.table(Organisation)} o ON o.id = m.organisation_id "
        "WHERE m.profile_id = %s AND m.id = %s",
        [profile.pk, message_id],
    )
    return _message(rows[0]) if rows else None


def safe_link(link: str) -> str:
    """The message's link if it is a web address; anything else (javascript:, data:) is dropped."""
    return link if urlsplit(link).scheme in ("http", "https") else ""
