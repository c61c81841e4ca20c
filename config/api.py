"""The organisation API, /api/profielen/v1: one versioned document, bearer auth, problem+json.

The apps bring their own routers (consent/api/endpoints.py, notifications/api.py); this module
only puts them together. notifications' router uses consent's API pieces (the identification
schema, the refusal log) along the arrows, never the other way round.
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from config.api_body import JsonBodyParser
from config.api_openapi import nl_gov_openapi
from consent.services import api_client_for_token
from core.api_problems import ApiProblem, ProblemCode, problem_response, status_title
from core.rate_limit import requests_counted

logger = logging.getLogger(__name__)

API_VERSION = "1.0.0"


class BearerToken(HttpBearer):
    """An organisation's API client; every request is scoped to its organisation."""

    def authenticate(self, request, token):
        client = api_client_for_token(token)
        if client is None or not client.organisation.active:
            return None
        if client.confirmed_at is None:
            # Four eyes: a second person has not confirmed this client yet.
            raise ApiProblem(
                403,
                "Client not confirmed",
                "This API client is not confirmed yet. Someone else of your organisation must "
                "confirm it in the admin before it can be used.",
                code=ProblemCode.CLIENT_NOT_CONFIRMED,
            )
        _rate_limit(client)
        request.api_client = client
        return client


def _rate_limit(client) -> None:
    """A fixed window per client per minute; past the limit a 429 with Retry-After."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    window = int(time.time() // 60)
    count = requests_counted(f"api-rate:{client.pk}:{window}", timeout=120)
    if count > limit:
        retry_after = 60 - int(time.time() % 60)
        raise ApiProblem(
            429,
            "Too many requests",
            f"This client may make {limit} requests per minute. Try again in {retry_after} s.",
            code=ProblemCode.RATE_LIMITED,
            headers={"Retry-After": str(retry_after)},
        )


class ProfileApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Paths are relative to the server URL, which already ends in /api/profielen/v1: with
        # ninja's default prefix a client would call /api/profielen/v1/api/profielen/v1/...
        schema = super().get_openapi_schema(path_prefix="", path_params=path_params)
        return nl_gov_openapi(schema, api_version=API_VERSION)


api = ProfileApi(
    title="Mijn Omgeving Zakelijk: profielen",
    version=API_VERSION,
    description=(
        "Contact details of ondernemers and burgers for government organisations, only for a "
        "registered purpose (doelbinding) with a legal basis, and only with consent where that "
        "basis is consent. Every read is logged per Logboek Dataverwerkingen."
    ),
    urls_namespace="api_profielen",
    openapi_url="/openapi.json",
    docs_url=None,  # the readable documentation is our own page: /api/profielen/v1/docs
    auth=BearerToken(),
    parser=JsonBodyParser(),
    servers=[{"url": f"{settings.SITE_URL.rstrip('/')}/api/profielen/v1"}],
)


@api.exception_handler(ApiProblem)
def _problem(request, exc: ApiProblem):
    return problem_response(api, request, exc)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    problem = ApiProblem(
        401,
        "Not authenticated",
        "Send a valid bearer token in the Authorization header.",
        code=ProblemCode.UNAUTHENTICATED,
        headers={"WWW-Authenticate": 'Bearer realm="profielen"'},
    )
    return problem_response(api, request, problem)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc: NinjaValidationError):
    problem = ApiProblem(
        400, "Invalid input", "The request has invalid input.", code=ProblemCode.INVALID
    )
    problem.invalid_params = [
        {
            "name": _param_name(error.get("loc", ())),
            "reason": error.get("msg", "invalid"),
        }
        for error in exc.errors
    ]
    return problem_response(api, request, problem)


def _param_name(loc) -> str:
    """The name a caller knows: a body's field path, or a path or query parameter's name."""
    loc = [str(part) for part in loc]
    if loc[:1] == ["body"]:
        return ".".join(loc[2:]) or "body"  # ("body", <argument>, field, ...)
    return ".".join(loc[1:]) or (loc[0] if loc else "request")


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, ApiProblem):
        # Our body parser's answer (config.api_body), which ninja wraps in a plain 400.
        return problem_response(api, request, exc.__cause__)
    problem = ApiProblem(exc.status_code, status_title(exc.status_code), str(exc))
    if exc.status_code == 400:
        # ninja raises this for a body that is not JSON: the whole body is the invalid part.
        problem.code = ProblemCode.INVALID
        problem.invalid_params = [{"name": "body", "reason": str(exc)}]
    return problem_response(api, request, problem)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem_response(api, request, ApiProblem(404, "Not found", "No such resource."))


@api.exception_handler(DatabaseError)
def _database_unavailable(request, exc: DatabaseError):
    if not isinstance(exc, OperationalError | InterfaceError):
        return _unexpected(request, exc)
    # The database is down or dropped the connection (Django replaces it after this request).
    logger.warning("api database unavailable", extra={"path": request.path})
    problem = ApiProblem(
        503,
        "Service unavailable",
        "The service cannot reach its database. Try again in a minute.",
        code=ProblemCode.DATABASE_UNAVAILABLE,
        headers={"Retry-After": "60"},
    )
    return problem_response(api, request, problem)


@api.exception_handler(Exception)
def _unexpected(request, exc):
    logger.exception("api error", extra={"path": request.path})
    problem = ApiProblem(500, "Internal error", "Something went wrong on our side.")
    return problem_response(api, request, problem)


from consent.api.endpoints import router as consent_router  # noqa: E402 - routers need `api` defined first
from notifications.api import router as notifications_router  # noqa: E402
from notifications.api_bulk import router as bulk_router  # noqa: E402
from notifications.callbacks.api import router as callbacks_router  # noqa: E402

api.add_router("", consent_router)
api.add_router("", notifications_router)
api.add_router("", bulk_router)
api.add_router("", callbacks_router)
