"""The one view of the bare project; the portal's bench URLconf serves the same view."""

from django.http import HttpResponse
from django.template import loader
from django.views.decorators.http import require_safe

BARE_PATH = "/bench/page"
TEMPLATE = "bench/bare.html"


@require_safe
def small_page(request):
    """A small template, rendered without a request context: no context processors."""
    html = loader.render_to_string(TEMPLATE, {"title": "Bench", "items": ["one", "two", "three"]})
    return HttpResponse(html)
