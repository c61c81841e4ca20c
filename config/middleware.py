"""Request id and request log (one JSON line per request, findable by its id), the portal's
language, and the headers every answer carries."""

import logging
import re
import time
import uuid

from django.conf import settings
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
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
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
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


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
