"""Request id and request log (one JSON line per request, findable by its id), the portal's
language, and the headers every answer carries."""

import logging
import re
import time
import uuid
from functools import cache

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from config.api_middleware import API_PREFIX
from core.request_context import reset_request_id, set_request_id

logger = logging.getLogger("portal.request")

# Accept an id from a trusted proxy only when it looks like one; never echo arbitrary input.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # META, not request.headers: that builds a dictionary of every header on first use.
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if incoming and _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            if logger.isEnabledFor(logging.INFO):  # below INFO nothing to make
                logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            reset_request_id(token)


class LanguageMiddleware:
    """Dutch unless the visitor chose English on the site.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a Dutch government
    portal speaks Dutch first and offers English as a choice, so only the cookie counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in _languages() else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if response.has_header("Vary"):
            patch_vary_headers(response, ["Cookie"])
        else:
            response.headers["Vary"] = "Cookie"  # the same, without parsing an empty header
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


@cache
def _languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the policy built once instead of for every answer.

    The portal's policy is the same for every answer: no nonce, no per-view changes. Whenever
    an answer or request does have something of its own (a view decorated with django-csp's
    decorators, a nonce used, a report-only policy or excluded paths in the settings), django-csp
    builds the header as before. Built again when the setting changes (tests).
    """

    def process_response(self, request, response):
        if _per_answer(request, response):
            return super().process_response(request, response)
        if CSP_HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[CSP_HEADER] = _policy()
        return response


# What django-csp's decorators leave on an answer.
_PER_ANSWER = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
)


def _per_answer(request, response) -> bool:
    return (
        _policy_varies()
        or getattr(request, "_csp_nonce", None) is not None
        or any(getattr(response, name, None) for name in _PER_ANSWER)
    )


@cache
def _policy() -> str:
    return build_policy()


@cache
def _policy_varies() -> bool:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return bool(
        getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or policy.get("EXCLUDE_URL_PREFIXES")
        or settings.DEBUG  # django-csp leaves DEBUG's error pages without a policy
    )


@receiver(setting_changed)
def _settings_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policy.cache_clear()
        _policy_varies.cache_clear()
    if setting == "LANGUAGES":
        _languages.cache_clear()


# No page uses these browser features; saying so stops an injected script or frame from asking.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
# The API's documents are the same for everyone; every other API answer is about someone.
_PUBLIC_API = (f"{API_PREFIX}/openapi.json", f"{API_PREFIX}/docs")


class ResponseHeadersMiddleware:
    """Permissions-Policy on every answer; no-store on every answer with personal data.

    Personal data is on every page for a logged-in person or staff member (anyone with a
    session), and in every API answer but the published documents: no browser, proxy or shared
    computer may keep a copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if _personal(request):
            add_never_cache_headers(response)
        return response


def _personal(request) -> bool:
    path = request.path
    if path == API_PREFIX or path.startswith(f"{API_PREFIX}/"):
        return path not in _PUBLIC_API
    # Whoever has a session may be logged in. Asking the session itself would cost a query on
    # every answer, and fail with the database; a public page not kept costs little.
    return settings.SESSION_COOKIE_NAME in request.COOKIES
