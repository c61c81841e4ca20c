"""Source registers (KvK Handelsregister, BRP, BAG) behind one small interface each.

Pages ask a factory for a client at the moment they need one, so the choice of backend follows
the settings in force then (tests override them per test):

    try:
        profile = kvk_client().basisprofiel(kvk_nummer)
    except RegisterUnavailable as exc:
        messages.warning(request, exc.user_message)

Backends per register (`REGISTER_<NAME>_BACKEND`): `demo` (fixed data, the default), `http`
(the real API) and `demo-down` (always unavailable, to see how pages cope).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

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
    "Vestiging",
    "bag_client",
    "brp_client",
    "kvk_client",
    "normalise_postcode",
]


def _client(name: str, *, http, demo):
    backend = getattr(settings, f"REGISTER_{name}_BACKEND")
    if backend == "http":
        return http(
            base_url=getattr(settings, f"REGISTER_{name}_URL"),
            api_key=getattr(settings, f"REGISTER_{name}_API_KEY"),
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
