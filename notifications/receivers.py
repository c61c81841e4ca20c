"""Security notices in 'Berichten' when a confirmed e-mail address or phone number changes.

Written in the same transaction as the change itself: no change without its notice, and no
notice for a change that was rolled back. The text is in the language of the page on which the
person made the change: only they change their own details, and that page's language is the one
their profile keeps for messages (Profile.language, stored by the language switch and at login).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from notifications.choices import MessageKind
from notifications.inbox_services import inbox_message_create
from profiles.choices import ContactKind
from profiles.selectors import contact_detail_for, display_phone

_TEXTS = {
    (ContactKind.EMAIL, "added"): (
        gettext_lazy("An e-mail address was added"),
        gettext_lazy(
            "On %(date)s at %(time)s the e-mail address %(new)s was added to your details."
        ),
    ),
    (ContactKind.EMAIL, "changed"): (
        gettext_lazy("Your e-mail address was changed"),
        gettext_lazy("On %(date)s at %(time)s your e-mail address was changed to %(new)s."),
    ),
    (ContactKind.EMAIL, "removed"): (
        gettext_lazy("Your e-mail address was removed"),
        gettext_lazy(
            "On %(date)s at %(time)s the e-mail address %(old)s was removed from your details."
        ),
    ),
    (ContactKind.PHONE, "added"): (
        gettext_lazy("A phone number was added"),
        gettext_lazy("On %(date)s at %(time)s the phone number %(new)s was added to your details."),
    ),
    (ContactKind.PHONE, "changed"): (
        gettext_lazy("Your phone number was changed"),
        gettext_lazy("On %(date)s at %(time)s your phone number was changed to %(new)s."),
    ),
    (ContactKind.PHONE, "removed"): (
        gettext_lazy("Your phone number was removed"),
        gettext_lazy(
            "On %(date)s at %(time)s the phone number %(old)s was removed from your details."
        ),
    ),
}
WAS_IT_YOU = gettext_lazy("Did you do this yourself? Then you do not need to do anything.")
NOT_YOU = gettext_lazy(
    "Was this not you? Then check your details straight away. Or call us on %(phone)s."
)


def security_notice(sender, *, profile, kind: str, old_value: str = "", **kwargs) -> None:
    """Receiver of profiles.signals.contact_detail_changed."""
    if (kind, "added") not in _TEXTS:
        return
    detail = contact_detail_for(profile, kind)
    # The signal carries no new value: after a removal the detail is gone.
    new_value = detail.value if detail else ""
    change = "removed" if not new_value else "changed" if old_value else "added"
    show = display_phone if kind == ContactKind.PHONE else str
    subject, first = _TEXTS[(kind, change)]
    now = timezone.localtime()
    body = "\n\n".join(
        [
            first
            % {
                "date": date_format(now, "j F Y"),
                "time": date_format(now, "H:i"),
                "new": show(new_value) if new_value else "",
                "old": show(old_value) if old_value else "",
            },
            str(WAS_IT_YOU),
            NOT_YOU % {"phone": settings.HELP_PHONE},
        ]
    )
    inbox_message_create(
        profile=profile, kind=MessageKind.SECURITY, subject=str(subject), body=body
    )
