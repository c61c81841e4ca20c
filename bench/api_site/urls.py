"""The portal's URLs plus /bench/bare and /bench/log, all served by one gunicorn in one run."""

from functools import cache

from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as portal
from consent.gate import Decision
from consent.ldv import Trace, processing_records_write
from consent.models import Organisation

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


@csrf_exempt
@require_POST
def bare(request):
    """The floor: the full middleware stack and a small JSON answer, no database, no auth."""
    return JsonResponse({"status": "ok"})


@csrf_exempt
@require_POST
def log(request):
    """The bare view plus what every read must do before it answers: write and commit one
    processing record (the same function and statement as the read). No token, no lookup of a
    purpose or a person: how fast any read that logs could be on this machine."""
    processing_records_write(
        trace=Trace.from_header(""),
        organisation=Organisation(pk=_organisation_id()),
        doelbinding=None,
        api_client=None,
        entries=[("bsn", "0" * 64, Decision(False, "bench_log_only"))],
        started_at=timezone.now(),
    )
    return JsonResponse({"status": "ok"})


@cache
def _organisation_id() -> int:
    return Organisation.objects.values_list("pk", flat=True).get()  # once per worker


urlpatterns = [path("bench/bare", bare), path("bench/log", log), *portal]
