"""Where the OpenID Connect broker's endpoints are: explicit settings, else its discovery document,
and whether the broker answers before a person is sent there.

The discovery document is fetched when first needed (not at start-up, so a broker that is down
does not stop the portal) and kept for an hour. Because it is kept, a broker that stopped
answering would not be noticed until the browser tried to reach it ("This site can't be
reached"); `broker_answers` asks the authorization endpoint first, briefly, and keeps the verdict
a few seconds (see its docstring for why that is enough).
"""

from urllib.parse import urlsplit

import requests
from django.conf import settings

from core.shared_cache import cache_get, cache_set

DISCOVERY_TTL = 60 * 60
# How long "it answers" or "it does not" is believed. Short: a broker that went down sends at
# most these seconds of people to a dead host; one that came back is used again as soon.
REACHABILITY_TTL = 5
# What a gateway in front of a broker answers when the broker behind it is down or in maintenance.
DOWN = {502, 503, 504}
ENDPOINTS = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "jwks_uri",
    "end_session_endpoint",
)


class BrokerUnavailable(Exception):
    """The broker did not answer, answered too slowly, or answered nonsense."""


def broker_endpoints() -> dict[str, str]:
    explicit = settings.OIDC_OP_EXPLICIT_ENDPOINTS
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        return dict(explicit)
    key = f"oidc-discovery:{url}"
    discovered = cache_get(key)
    if discovered is None:
        discovered = _fetch_discovery(url)
        cache_set(key, discovered, DISCOVERY_TTL)
    return {**discovered, **explicit}


def broker_answers(url: str) -> bool:
    """Whether the server at `url` (the authorization endpoint) answers HTTP within
    OIDC_CHECK_TIMEOUT, as the person's browser would need it to.

    What matters is that the host is reachable and its server runs, so nearly any answer
    counts: a HEAD without parameters gets a 400 or 405 at most brokers, and at some a 500 or
    501, which must not stop every login. No answer in time, a refused connection, or 502, 503
    or 504 (a gateway without its server, or maintenance) count as down. The verdict is kept
    REACHABILITY_TTL seconds in the shared cache, so a busy portal asks at most once per few
    seconds, not once per login.
    The browser's own network may still differ from ours; this catches what is most common,
    a broker that is down or unreachable for everyone.
    """
    parts = urlsplit(url)
    key = f"oidc-answers:{parts.scheme}://{parts.netloc}"
    known = cache_get(key)
    if known is not None:
        return known
    try:
        response = requests.head(url, timeout=settings.OIDC_CHECK_TIMEOUT, allow_redirects=False)
        answers = response.status_code not in DOWN
    except requests.RequestException:
        answers = False
    cache_set(key, answers, REACHABILITY_TTL)
    return answers


def _fetch_discovery(url: str) -> dict[str, str]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise BrokerUnavailable(f"discovery failed: {type(exc).__name__}") from exc
    missing = [k for k in ENDPOINTS[:5] if not document.get(k)]
    if missing:
        raise BrokerUnavailable(f"discovery document lacks {', '.join(missing)}")
    return {k: document[k] for k in ENDPOINTS if document.get(k)}
