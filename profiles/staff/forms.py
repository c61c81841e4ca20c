"""The password step of the staff login: refused while locked, every failure counted."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.throttle import client_address
from profiles.choices import StaffLoginOutcome
from profiles.staff.events import staff_login_record
from profiles.staff.lockout import (
    staff_login_failure_count,
    staff_login_lock,
    staff_login_refusal_is_new,
)

NOT_STAFF = _("Enter the username and password of a staff account.")
WRONG_PASSWORD = _("The username or the password is not right. Check both and try again.")


def locked_message(retry_after: int) -> str:
    minutes = max(1, -(-retry_after // 60))
    return ngettext(
        "Too many failed attempts. Try again in %(minutes)d minute.",
        "Too many failed attempts. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def staff_login_failed(request, *, username: str, step: str, reason: str) -> None:
    """Count a failure for the account and the address, and write it in the audit trail."""
    address = client_address(request) if request is not None else ""
    lock = staff_login_failure_count(username=username, address=address)
    user = get_user_model().objects.filter(username=username).first()
    outcome = StaffLoginOutcome.LOCKED if lock.locked else StaffLoginOutcome.FAILED
    staff_login_record(user=user, outcome=outcome, step=step, reason=reason, address=address)


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": WRONG_PASSWORD,
        "not_staff": NOT_STAFF,
        "locked": "",  # with the minutes: locked_message()
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return self.cleaned_data  # the fields' own "required" errors say it
        address = client_address(self.request) if self.request is not None else ""
        lock = staff_login_lock(username=username, address=address)
        if lock.locked:
            if staff_login_refusal_is_new(username=username, address=address, lock=lock):
                staff_login_record(
                    user=get_user_model().objects.filter(username=username).first(),
                    outcome=StaffLoginOutcome.LOCKED,
                    step="password",
                    reason="locked",
                    address=address,
                )
            raise forms.ValidationError(locked_message(lock.retry_after), code="locked")
        try:
            return super().clean()
        except forms.ValidationError as error:
            reason = "not_staff" if error.code == "not_staff" else "password"
            staff_login_failed(self.request, username=username, step="password", reason=reason)
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_staff:
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")
