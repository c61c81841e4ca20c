"""Source registers (KvK Handelsregister, BRP, BAG) behind one small interface each.

Pages ask a factory for a client at the moment they need one, so the choice of backend follows
the settings in force then (tests override them per test):

    try:
        profile = kvk_client().basisprofiel(kvk_nummer)
    except RegisterUnavailable as exc:
        messages.warning(request, exc.user_message)

Backends per register (`REGISTER_<NAME>_BACKEND`): `demo` (fixed data, the default), `http`
(the real API) and `demo-down` (always unavailable, to see how pages cope). An `http` register
is reached with an API key, a client certificate, an OAuth2 token or a mix (see `access`).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from profiles.registers import bag, brp, kvk
from profiles.registers.access import Access, OAuthClient
from profiles.registers.bag import BagClient, HttpBagClient
from profiles.registers.brp import BrpClient, HttpBrpClient
from profiles.registers.demo import DemoBagClient, DemoBrpClient, DemoKvkClient
from profiles.registers.errors import RegisterUnavailable
from profiles.registers.kvk import HttpKvkClient, KvkClient
from profiles.registers.records import (
    Address,
    Basisprofiel,
    Name,
    Person,
    Residence,
    Vestiging,
    normalise_postcode,
)

__all__ = [
    "Address",
    "BagClient",
    "Basisprofiel",
    "BrpClient",
    "KvkClient",
    "Name",
    "Person",
    "RegisterUnavailable",
    "Residence",
    "Vestiging",
    "bag_client",
    "brp_client",
    "kvk_client",
    "normalise_postcode",
]


_API_KEY_HEADERS = {
    "KVK": kvk.API_KEY_HEADER,
    "BRP": brp.API_KEY_HEADER,
    "BAG": bag.API_KEY_HEADER,
}


def access_for(name: str) -> Access:
    """How to reach register `name` ('KVK', 'BRP', 'BAG'), from the settings in force now."""

    def setting(part: str) -> str:
        return getattr(settings, f"REGISTER_{name}_{part}")

    token_url = setting("OAUTH_TOKEN_URL")
    return Access(
        api_key_header=_API_KEY_HEADERS[name],
        api_key=setting("API_KEY"),
        client_cert=setting("CLIENT_CERT"),
        client_key=setting("CLIENT_KEY"),
        ca_bundle=setting("CA_BUNDLE"),
        oauth=OAuthClient(
            token_url=token_url,
            client_id=setting("OAUTH_CLIENT_ID"),
            client_secret=setting("OAUTH_CLIENT_SECRET"),
            scope=setting("OAUTH_SCOPE"),
        )
        if token_url
        else None,
    )


def _client(name: str, *, http, demo):
    backend = getattr(settings, f"REGISTER_{name}_BACKEND")
    if backend == "http":
        return http(
            base_url=getattr(settings, f"REGISTER_{name}_URL"),
            access=access_for(name),
            timeout=getattr(settings, f"REGISTER_{name}_TIMEOUT"),
        )
    if backend in {"demo", "demo-down"}:
        return demo(available=backend == "demo")
    raise ImproperlyConfigured(
        f"REGISTER_{name}_BACKEND is {backend!r}: use 'demo', 'http' or 'demo-down'."
    )


def kvk_client() -> KvkClient:
    return _client("KVK", http=HttpKvkClient, demo=DemoKvkClient)


def brp_client() -> BrpClient:
    return _client("BRP", http=HttpBrpClient, demo=DemoBrpClient)


def bag_client() -> BagClient:
    return _client("BAG", http=HttpBagClient, demo=DemoBagClient)
