"""The portal's URLs plus /bench/bare, so both are served by the same gunicorn in the same run."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as portal

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@csrf_exempt
@require_POST
def bare(request):
    """The floor: the full middleware stack and a small JSON answer, no database, no auth."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare), *portal]
