"""Errors as RFC 9457 problem details (application/problem+json), the NL GOV way."""

from enum import StrEnum
from http import HTTPStatus
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Schema

# RFC 3986 path characters; everything else (non-ASCII, "]", spaces) is percent-encoded.
_PATH_SAFE = "/-._~!$&'()*+,;=:@"


def path_as_uri(path: str) -> str:
    """The request path as a valid URI reference (request.path is already percent-decoded)."""
    return quote(path, safe=_PATH_SAFE)


PROBLEM_JSON = "application/problem+json"


class ProblemCode(StrEnum):
    """The `code` of a problem about the request itself: its input, its caller, the service.

    These codes live only in API answers. A code that is also kept (in the processing log or
    on a delivery) and explained to staff or the person is a consent.choices.Reason; a problem
    carries one of those when the refusal is about a person's data. The two never overlap.
    """

    INVALID = "invalid"
    INVALID_IDENTIFIER = "invalid_identifier"
    UNAUTHENTICATED = "unauthenticated"
    RATE_LIMITED = "rate_limited"
    CLIENT_NOT_CONFIRMED = "client_not_confirmed"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    DATABASE_UNAVAILABLE = "database_unavailable"
    # A callback address that is not HTTPS or leads to a private network (invalidParams: why).
    ADDRESS_REFUSED = "address_refused"


def status_title(status: int) -> str:
    """The standard reason phrase, for errors that come without a title of their own."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class InvalidParam(Schema):
    name: str
    reason: str


class Problem(Schema):
    type: str = "about:blank"
    status: int
    title: str
    detail: str
    instance: str | None = None
    code: str | None = None
    invalidParams: list[InvalidParam] | None = None


class ApiProblem(Exception):  # raised by endpoints; turned into a problem+json response
    def __init__(self, status: int, title: str, detail: str, *, code: str = "", headers=None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.code = status, title, detail, code
        self.headers = headers or {}
        self.invalid_params: list[dict] = []


def problem_response(api, request, problem: ApiProblem) -> HttpResponse:
    body = {
        "type": "about:blank",
        "status": problem.status,
        "title": problem.title,
        "detail": problem.detail,
        "instance": path_as_uri(request.path),
    }
    if problem.code:
        body["code"] = problem.code
    if problem.invalid_params:
        body["invalidParams"] = problem.invalid_params
    response = api.create_response(request, body, status=problem.status)
    response["Content-Type"] = PROBLEM_JSON
    for name, value in problem.headers.items():
        response[name] = value
    return response
