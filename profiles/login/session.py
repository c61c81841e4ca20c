"""The login session: who logged in how, at which level, and for how long it stays valid.

The method, level and acting person live in the session (and the audit trail), never on the
profile: the next login may be someone else acting for the same company.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.shortcuts import redirect
from django.urls import reverse

from profiles.choices import AssuranceLevel, LoginEventKind
from profiles.services import login_event_record

SESSION_KEY = "portal_login"
# Paths that are no user activity: probes, static files, and the page the warning script
# opens when the time is up (it must not extend the session it announces the end of).
PASSIVE_PREFIXES = ("/static/", "/healthz", "/readyz", "/sessie-verlopen")
# The time of the last activity is written to the session at most this often (seconds). Writing
# it on every page view cost every page an UPDATE of the session in a transaction of its own.
# The stored time is then up to a minute behind the last page view, so the idle timeout counts
# from up to a minute earlier: a session ends 14 to 15 minutes after the last page view, never
# later. Each page tells the warning script the time counted from the stored value, so the
# warning still comes two minutes before the end.
ACTIVITY_PRECISION = 60


def clock() -> float:
    """Seconds since the epoch. Tests move this clock instead of sleeping."""
    return time.time()


def session_login(request, *, method: str, level: str, acting_person: str) -> None:
    now = clock()
    request.session[SESSION_KEY] = {
        "method": method,
        "level": level,
        "acting_person": acting_person,
        "login_at": now,
        "last_activity": now,
    }


def current_login(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return request.session.get(SESSION_KEY)


def seconds_left(request) -> int:
    """How long the session lasts without further activity (idle and absolute limits)."""
    login = current_login(request)
    if not login:
        return 0
    now = clock()
    idle_end = login["last_activity"] + settings.SESSION_IDLE_TIMEOUT
    absolute_end = login["login_at"] + settings.SESSION_ABSOLUTE_TIMEOUT
    return max(0, int(min(idle_end, absolute_end) - now))


def session_touch(request, *, always: bool = False) -> None:
    """Record activity: at most once per ACTIVITY_PRECISION, unless `always` ('Doorgaan')."""
    login = current_login(request)
    if not login:
        return
    now = clock()
    if always or now - login["last_activity"] >= ACTIVITY_PRECISION:
        login["last_activity"] = now
        request.session.modified = True


def session_end(request, *, kind: str) -> None:
    """End the local session and audit why."""
    login = current_login(request) or {}
    profile = getattr(request.user, "profile", None)
    login_event_record(
        kind=kind,
        method=login.get("method", ""),
        level=login.get("level", ""),
        identity=profile.identity if profile else None,
        acting_person=login.get("acting_person", ""),
    )
    auth.logout(request)


class SessionTimeoutMiddleware:
    """Ends a portal session after idle time or its absolute length; keeps a live one alive."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is logged in: no need to load the user to know.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        if current_login(request) and not request.path.startswith(PASSIVE_PREFIXES):
            if seconds_left(request) <= 0:
                session_end(request, kind=LoginEventKind.SESSION_EXPIRED)
                if request.htmx:
                    response = self.get_response(request)
                    response["HX-Redirect"] = reverse("profiles:session_expired")
                    return response
                return redirect("profiles:session_expired")
            session_touch(request)
        return self.get_response(request)


def level_required(level_setting: str | None = None):
    """A view needs a logged-in user at the level the named setting gives, or higher.

    Below it the user steps up at the broker and comes back here. Without a setting, any level
    the login method allows will do. The setting is read per request, so it stays configurable.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            login = current_login(request)
            if not login:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('profiles:login')}?{query}")
            needed = getattr(settings, level_setting) if level_setting else ""
            if needed and AssuranceLevel.rank(login["level"]) < AssuranceLevel.rank(needed):
                query = urlencode({"next": request.get_full_path(), "level": needed})
                start = reverse("profiles:login_start", args=[login["method"]])
                return redirect(f"{start}?{query}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
