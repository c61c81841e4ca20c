"""A staff session ends after STAFF_SESSION_IDLE_TIMEOUT without activity, and after
SESSION_ABSOLUTE_TIMEOUT in any case, as a person's does (profiles/login/session.py).

The times live in the session, set when a staff member logs in; the ends are in the audit
trail. A staff member whose time is up is logged out and sent to the login page, told why,
and comes back to the page they asked for after logging in again.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.throttle import client_address
from profiles.choices import StaffLoginOutcome
from profiles.login import session as portal_session
from profiles.staff.events import staff_login_record

SESSION_KEY = "staff_session"
TOUCH_EVERY = 60  # seconds: the idle timeout is exact to the minute
EXPIRED = _("You have been logged out because you did nothing for a while. Log in again.")


def _is_staff_session(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def staff_seconds_left(request) -> int:
    times = request.session.get(SESSION_KEY)
    if not times:
        return 0
    idle_end = times["last_activity"] + settings.STAFF_SESSION_IDLE_TIMEOUT
    absolute_end = times["login_at"] + settings.SESSION_ABSOLUTE_TIMEOUT
    return max(0, int(min(idle_end, absolute_end) - portal_session.clock()))


def staff_session_touch(request) -> None:
    """Note the activity; saved at most once a minute, so a page is not also a session write."""
    times = request.session[SESSION_KEY]
    now = portal_session.clock()
    if now - times["last_activity"] >= TOUCH_EVERY:
        times["last_activity"] = now
        request.session.modified = True


@receiver(user_logged_in, dispatch_uid="profiles.staff.session.started")
def staff_session_start(sender, request, user, **kwargs):
    if request is not None and user.is_staff:
        now = portal_session.clock()
        request.session[SESSION_KEY] = {"login_at": now, "last_activity": now}


@receiver(user_logged_out, dispatch_uid="profiles.staff.session.ended")
def staff_session_logged_out(sender, request, user, **kwargs):
    if request is None or user is None or not user.is_staff:
        return
    if getattr(request, "staff_session_expired", False):
        return  # recorded as an expiry
    staff_login_record(
        user=user,
        outcome=StaffLoginOutcome.LOGOUT,
        step="",
        address=client_address(request),
    )


class StaffSessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is logged in: asking would load the user (and, through
        # django-otp, verify its device) on every visitor's request, about 20 µs.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        if _is_staff_session(request) and not request.path.startswith(
            portal_session.PASSIVE_PREFIXES
        ):
            if SESSION_KEY not in request.session:
                # A session from before this check: its times start now.
                staff_session_start(None, request, request.user)
            elif staff_seconds_left(request) <= 0:
                return self._expired(request)
            staff_session_touch(request)
        return self.get_response(request)

    def _expired(self, request):
        staff_login_record(
            user=request.user,
            outcome=StaffLoginOutcome.SESSION_EXPIRED,
            step="",
            address=client_address(request),
        )
        request.staff_session_expired = True
        auth.logout(request)
        messages.info(request, EXPIRED)
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('admin:login')}?{query}")
