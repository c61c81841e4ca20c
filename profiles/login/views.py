"""Login, step-up and logout through the OpenID Connect broker.

The flow is mozilla-django-oidc's (state, nonce, PKCE in the session); these views add the
login method, the level of assurance, a safe `next`, and a clear page for every failure.
"""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from mozilla_django_oidc.utils import (
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

from core.throttle import client_address, throttle
from profiles.choices import AssuranceLevel, LoginEventKind, LoginMethod
from profiles.login.broker import BrokerUnavailable, broker_answers, broker_endpoints
from profiles.login.claims import LoginError
from profiles.login.errors import PROBLEMS
from profiles.login.session import (
    current_login,
    seconds_left,
    session_end,
    session_login,
    session_touch,
)
from profiles.services import login_event_record, profile_language_set

logger = logging.getLogger(__name__)

# "Please try again in a few minutes" (PROBLEMS["broker_unavailable"]), for a machine.
BROKER_RETRY_AFTER = 60


def safe_next(request, candidate: str | None) -> str:
    """Only a path on this site; anything else (another host, a scheme, //) becomes home."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def login_problem(request, reason: str, *, method: str = "", detail: str = ""):
    problem = PROBLEMS.get(reason, PROBLEMS["broker_error"])
    logger.warning("login failed", extra={"reason": reason, "method": method, "detail": detail})
    login_event_record(
        kind=LoginEventKind.LOGIN_FAILED, method=method, success=False, reason=reason
    )
    response = render(
        request,
        "profiles/login_error.html",
        {"problem": problem, "reason": reason},
        status=problem.status,
    )
    if problem.status == 503:
        response["Retry-After"] = str(BROKER_RETRY_AFTER)
    return response


@never_cache
@require_safe
def login_start(request, method: str):
    """Send the browser to the broker for `method`, at a higher level when `level` asks."""
    if method not in LoginMethod.values:
        return login_problem(request, "invalid_request", detail=f"method {method!r}")
    verdict = throttle(
        "login-start",
        client_address(request),
        limit=settings.LOGIN_STARTS_PER_MINUTE,
        window=60,
    )
    if not verdict.allowed:
        # No login event and no session: a flood must not fill the database.
        logger.warning("login starts throttled", extra={"method": method})
        response = render(
            request,
            "profiles/login_error.html",
            {"problem": PROBLEMS["too_many_starts"], "reason": "too_many_starts"},
        )
        response.status_code = 429
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        endpoints = broker_endpoints()
    except BrokerUnavailable as exc:
        return login_problem(request, "broker_unavailable", method=method, detail=str(exc))
    if not broker_answers(endpoints["authorization_endpoint"]):
        # Discovery may be kept from before: without this the browser, not the portal, would
        # tell the person that the broker's site cannot be reached.
        detail = "authorization endpoint does not answer"
        return login_problem(request, "broker_unavailable", method=method, detail=detail)

    state = get_random_string(32)
    nonce = get_random_string(32)
    verifier = get_random_string(64)
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "scope": settings.OIDC_SCOPES[method],
        "redirect_uri": request.build_absolute_uri(reverse("profiles:callback")),
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
        "ui_locales": request.LANGUAGE_CODE,
    }
    level = request.GET.get("level", "")
    step_up = level in AssuranceLevel.values and current_login(request) is not None
    if step_up:
        acr = settings.OIDC_LOA_REQUEST.get(f"{method}:{level}")
        if acr:
            params["acr_values"] = acr
        params["prompt"] = "login"
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    request.session["oidc_states"][state].update(
        method=method,
        next=safe_next(request, request.GET.get("next")),
        step_up=level if step_up else "",
    )
    request.session.modified = True
    return HttpResponseRedirect(f"{endpoints['authorization_endpoint']}?{urlencode(params)}")


@never_cache
@require_safe
def callback(request):
    states = request.session.get("oidc_states", {})
    state = request.GET.get("state", "")
    # Each state is used once, whatever happens next (no replay).
    attempt = states.pop(state, None) if state else None
    request.session.modified = True
    method = (attempt or {}).get("method", "")

    if request.GET.get("error"):
        reason = "cancelled" if request.GET["error"] == "access_denied" else "broker_error"
        return login_problem(request, reason, method=method, detail=request.GET["error"][:50])
    if not state or "code" not in request.GET:
        return login_problem(request, "invalid_request", method=method)
    if attempt is None:
        return login_problem(request, "state_mismatch", method=method)

    try:
        user = auth.authenticate(
            request=request,
            nonce=attempt["nonce"],
            code_verifier=attempt.get("code_verifier"),
            method=method,
        )
    except BrokerUnavailable as exc:
        return login_problem(request, "broker_unavailable", method=method, detail=str(exc))
    except LoginError as exc:
        return login_problem(request, exc.reason, method=method, detail=str(exc))
    if user is None:
        return login_problem(request, "invalid_request", method=method)
    return _login_success(request, user, method=method, attempt=attempt)


def _login_success(request, user, *, method: str, attempt: dict):
    login = user.login_claims
    previous = current_login(request)
    identity = user.profile.identity
    if attempt["step_up"] and previous:
        if request.user.pk != user.pk:
            session_end(request, kind=LoginEventKind.LOGOUT)
            return login_problem(request, "other_identity", method=method)
        if AssuranceLevel.rank(login.level) < AssuranceLevel.rank(attempt["step_up"]):
            return login_problem(request, "level_too_low", method=method)
        kind = LoginEventKind.STEP_UP
    else:
        kind = LoginEventKind.LOGIN
    id_token = request.session.get("oidc_id_token", "")
    # auth.login gives the session a new key when another user was logged in; a fresh key on
    # every login keeps a planted session id useless.
    request.session.cycle_key()
    auth.login(request, user, backend="profiles.login.backends.BrokerBackend")
    request.session["oidc_id_token"] = id_token
    session_login(request, method=method, level=login.level, acting_person=login.acting_person)
    login_event_record(
        kind=kind,
        method=method,
        level=login.level,
        identity=identity,
        acting_person=login.acting_person,
    )
    response = redirect(attempt["next"] or "profiles:overview")
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        # A language chosen on this device: messages follow it from now on.
        profile_language_set(profile=user.profile, language=request.LANGUAGE_CODE)
    else:
        # Nothing chosen here (a new device, cookies cleared): the portal speaks the language
        # the person chose before, instead of forgetting it.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.profile.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@require_POST
def logout(request):
    """End our session first, then the broker's (with id_token_hint), then say goodbye."""
    id_token = request.session.get("oidc_id_token", "")
    if current_login(request):
        session_end(request, kind=LoginEventKind.LOGOUT)
    else:
        auth.logout(request)
    done = request.build_absolute_uri(reverse("profiles:logged_out"))
    try:
        end_session = broker_endpoints().get("end_session_endpoint", "")
    except BrokerUnavailable:
        end_session = ""
    if not (end_session and id_token):
        return redirect("profiles:logged_out")
    query = urlencode({"id_token_hint": id_token, "post_logout_redirect_uri": done})
    return HttpResponseRedirect(f"{end_session}?{query}")


@require_safe
def logged_out(request):
    return render(request, "profiles/logged_out.html")


@require_safe
def session_expired(request):
    # The warning script comes here when its timer runs out; the server's clock may be a
    # moment behind, so end the session here rather than let this visit extend it.
    if current_login(request):
        session_end(request, kind=LoginEventKind.SESSION_EXPIRED)
    return render(request, "profiles/session_expired.html")


def wants_json(request) -> bool:
    """Only a request that asks for JSON gets it: the warning script's fetch (Accept:
    application/json) or htmx. A browser's own form accepts */* too, but prefers a page."""
    preferred = request.get_preferred_type(["text/html", "application/json"])
    return bool(request.htmx) or preferred == "application/json"


@require_POST
def session_extend(request):
    """'Doorgaan' in the timeout warning: the request itself counts as activity."""
    if not current_login(request):
        if wants_json(request):
            return JsonResponse({"seconds_left": 0}, status=401)
        return redirect("profiles:session_expired")
    session_touch(request, always=True)  # asked for: the full idle time again, to the second
    if wants_json(request):
        return JsonResponse({"seconds_left": seconds_left(request)})
    return redirect(safe_next(request, request.POST.get("next")) or "profiles:overview")
