"""Where the OpenID Connect broker's endpoints are: explicit settings, else its discovery document.

The discovery document is fetched when first needed (not at start-up, so a broker that is down
does not stop the portal) and kept for an hour.
"""

import requests
from django.conf import settings
from django.core.cache import cache

DISCOVERY_TTL = 60 * 60
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
    discovered = cache.get(key)
    if discovered is None:
        discovered = _fetch_discovery(url)
        cache.set(key, discovered, DISCOVERY_TTL)
    return {**discovered, **explicit}


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
