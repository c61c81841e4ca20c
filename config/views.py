"""Pages that belong to the portal as a whole: home, the footer pages and the error pages."""

import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_safe

_PAGES = {"accessibility", "privacy", "help"}


@require_safe
def home(request):
    return render(request, "pages/home.html")


@require_safe
def page(request, name: str):
    if name not in _PAGES:
        raise Http404
    context = _privacy_context() if name == "privacy" else {}
    return render(request, f"pages/{name}.html", context)


def _privacy_context() -> dict:
    """The retention periods the privacy page names: the settings that enforce them."""
    days = settings.RETENTION
    return {
        "log_years": days["processing_log"] // 365,
        "message_years": days["messages"] // 365,
        "unused_years": days["unused_profiles"] // 365,
        "login_days": days["login_events"],
    }


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        # Over DATA_UPLOAD_MAX_MEMORY_SIZE: say what is wrong and what to do about it.
        return render(request, "errors/413.html", status=413)
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    # Mostly a form left open too long, or cookies switched off: say what to do, not "CSRF".
    return render(request, "errors/403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No request context: the page must render even when what broke is a context processor.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # The database is down or dropped the connection (Django replaces it after this
        # request): not a fault in the page, and trying again soon will work.
        response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
