"""Every answer of the organisation API carries its full version and every error is a problem.

NL GOV API Design Rules: an API-Version header on every response, errors as
application/problem+json. The endpoints' own errors already are; this catches the ones Django
answers before an endpoint runs (an unknown path, a wrong method), which would otherwise be the
portal's HTML error pages. It also refuses a body over the upload limit (413) before anything
runs: it cannot even be read. What else a body must be is checked by config.api_body.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse

from config.api import API_VERSION
from core.api_problems import PROBLEM_JSON, path_as_uri, status_title

API_PREFIX = "/api/profielen/v1"
_DETAILS = {
    404: "There is nothing at this address in this API; see openapi.json for its paths.",
    405: "This address does not take this method; the Allow header says which it takes.",
}


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_api = request.path == API_PREFIX or request.path.startswith(f"{API_PREFIX}/")
        refused = _refused_body(request) if in_api else None
        response = refused or self.get_response(request)
        if in_api:
            if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
                PROBLEM_JSON
            ):
                response = _as_problem(request, response)
            response["API-Version"] = API_VERSION
        return response


def _as_problem(request, original: HttpResponse) -> HttpResponse:
    status = original.status_code
    title = status_title(status)
    body = {
        "type": "about:blank",
        "status": status,
        "title": title,
        "detail": _DETAILS.get(status, title),
        "instance": path_as_uri(request.path),
    }
    problem = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
    # Keep what the original said besides its body: Allow, WWW-Authenticate, security headers.
    for name, value in original.items():
        if name.lower() not in ("content-type", "content-length", "content-language"):
            problem[name] = value
    return problem


def _refused_body(request) -> HttpResponse | None:
    """A body over the upload limit cannot even be read: refuse it before anything runs."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    try:
        request.body  # noqa: B018 - reading it is the check
    except RequestDataTooBig:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return _problem(request, 413, f"The body is too large. Send at most {limit} bytes.")
    return None


def _problem(request, status: int, detail: str) -> HttpResponse:
    body = {
        "type": "about:blank",
        "status": status,
        "title": status_title(status),
        "detail": detail,
        "instance": path_as_uri(request.path),
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
