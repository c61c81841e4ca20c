"""Pages that belong to the portal as a whole: home, the footer pages and the error pages."""

from django.http import Http404, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET

_PAGES = {"accessibility", "privacy", "help"}


@require_GET
def home(request):
    return render(request, "pages/home.html")


@require_GET
def page(request, name: str):
    if name not in _PAGES:
        raise Http404
    return render(request, f"pages/{name}.html")


def bad_request(request, exception=None):
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
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
