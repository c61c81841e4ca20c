"""Liveness and readiness for the orchestrator: small JSON answers, no templates, no session.

A probe asks by address (the image's HEALTHCHECK asks 127.0.0.1, an orchestrator the pod's or
container's own address), and that address is seldom one of DJANGO_ALLOWED_HOSTS: Django would
answer 400 and the probe would restart a healthy portal. ProbeMiddleware answers the two probes
before anything reads the Host header. That is safe: the host check protects what is built from
the Host header (links in pages and e-mails, redirects, cookies for a domain), and these answers
build nothing from it, set no cookie and say nothing about anyone.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("database not reachable", extra={"error": type(exc).__name__})
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    """Answers /healthz and /readyz whatever the Host header says (see the module's docstring).

    In MIDDLEWARE after the middleware that set the security headers and before
    CommonMiddleware, the first to check the host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is None:
            return self.get_response(request)
        return probe(request)
