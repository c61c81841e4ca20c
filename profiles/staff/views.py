"""maykin-2fa's login views with the portal's lockout and audit trail around them.

The wizard asks the password (StaffAuthenticationForm), then the second factor: a code from an
authenticator app, a passkey, or a backup code (the recovery view). A wrong code counts as a
failure like a wrong password; a lock that starts between the steps sends the login back to
the start. Both views share one wizard storage (maykin-2fa's prefix), as upstream does.
"""

from maykin_2fa.views import AdminLoginView, RecoveryTokenView
from two_factor.forms import AuthenticationTokenForm, BackupTokenForm

from core.throttle import client_address
from profiles.choices import StaffLoginOutcome
from profiles.staff.events import staff_login_record
from profiles.staff.forms import StaffAuthenticationForm, locked_message, staff_login_failed
from profiles.staff.lockout import staff_login_failures_clear, staff_login_lock

STEP_NAMES = {"auth": "password", "token": "second_factor", "backup": "backup_code"}


class StaffLoginMixin:
    form_list = (
        ("auth", StaffAuthenticationForm),
        ("token", AuthenticationTokenForm),
        ("backup", BackupTokenForm),
    )
    lock_error = ""

    def get_prefix(self, request, *args, **kwargs):
        return "admin_login_view"  # maykin-2fa's recovery view reads the same storage

    def post(self, *args, **kwargs):
        user = self.get_user()
        if self.steps.current != self.AUTH_STEP and user:
            lock = staff_login_lock(
                username=user.get_username(), address=client_address(self.request)
            )
            if lock.locked:
                self.storage.reset()
                self.lock_error = locked_message(lock.retry_after)
                return self.render_goto_step(self.FIRST_STEP)
        return super().post(*args, **kwargs)

    def get_form(self, step=None, **kwargs):
        form = super().get_form(step=step, **kwargs)
        if self.lock_error and (step or self.steps.current) == self.AUTH_STEP:
            form.cleaned_data = getattr(form, "cleaned_data", {})
            form.add_error(None, self.lock_error)
        return form

    def render(self, form=None, **kwargs):
        step = self.steps.current
        user = self.get_user()
        failed = form is not None and form.is_bound and not form.is_valid()
        if step != self.AUTH_STEP and user and failed:
            staff_login_failed(
                self.request,
                username=user.get_username(),
                step=STEP_NAMES.get(step, step),
                reason="code",
            )
        return super().render(form, **kwargs)

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)
        user = self.get_user()
        device = getattr(user, "otp_device", None)
        staff_login_record(
            user=user,
            outcome=StaffLoginOutcome.SUCCESS,
            step=STEP_NAMES.get(self.steps.current, self.steps.current),
            reason=type(device).__name__ if device else "second_factor_to_set_up",
            address=client_address(self.request),
        )
        if device:
            staff_login_failures_clear(username=user.get_username())
        return response


class StaffLoginView(StaffLoginMixin, AdminLoginView):
    pass


class StaffRecoveryView(StaffLoginMixin, RecoveryTokenView):
    pass
