"""Every staff login, failed or not, and every end of a staff session in the audit trail.

Written as django-auditlog entries about the user account (action "access"), so they sit with
the rest of the audit trail and share its protection. What is in one: the outcome, the step
(password or second factor), the reason, and the address it came from (staff are employees
acting for the portal; an investigation of guessing needs where it came from). Never a
password, and never a username that matches no account: that may be a password typed in the
wrong field.
"""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from profiles.choices import StaffLoginOutcome

UNKNOWN_ACCOUNT = "(unknown account)"
# Events the account holder did themselves; a failure may be anyone's.
BY_THE_ACCOUNT = (
    StaffLoginOutcome.SUCCESS,
    StaffLoginOutcome.LOGOUT,
    StaffLoginOutcome.SESSION_EXPIRED,
)


def staff_login_record(
    *, user, outcome: str, step: str, reason: str = "", address: str = ""
) -> LogEntry:
    """One audit entry for one staff login event; `user` is None for an unknown username."""
    account = get_user_model()
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(account),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=user.get_username() if user else UNKNOWN_ACCOUNT,
        action=LogEntry.Action.ACCESS,
        actor=user if outcome in BY_THE_ACCOUNT else None,
        additional_data={
            "staff_login": outcome,
            "step": step,
            "reason": reason,
            "address": address,
        },
    )
    # bulk_create sends no pre_save: auditlog's request context (profiles.audit) would
    # otherwise put its own additional_data over this entry's.
    return LogEntry.objects.bulk_create([entry])[0]
