"""Source registers (KvK Handelsregister, BRP, BAG), configured only here.

Each register is switched by one value, `REGISTER_<NAME>_BACKEND`: `demo` (built-in fixed data,
the default in development), `http` (the real API, the default in production: its URL and key
are then required) or `demo-down` (a register that never answers, to see how pages cope).
Production never shows demo data by accident: it must ask for it.
"""

from config.env import DEBUG, env, one_of, required

# Only the settings: a star import must not rebind env or required in config.settings.
__all__ = [
    "REGISTER_BAG_API_KEY",
    "REGISTER_BAG_BACKEND",
    "REGISTER_BAG_TIMEOUT",
    "REGISTER_BAG_URL",
    "REGISTER_BRP_API_KEY",
    "REGISTER_BRP_BACKEND",
    "REGISTER_BRP_TIMEOUT",
    "REGISTER_BRP_URL",
    "REGISTER_KVK_API_KEY",
    "REGISTER_KVK_BACKEND",
    "REGISTER_KVK_TIMEOUT",
    "REGISTER_KVK_URL",
]

_BACKENDS = ("demo", "http", "demo-down")
_TITLES = {"KVK": "KvK Basisprofiel API", "BRP": "BRP bevragen API", "BAG": "BAG bevragen API"}


def _register(name: str) -> tuple[str, str, str, float]:
    backend = one_of(f"REGISTER_{name}_BACKEND", _BACKENDS, default="demo" if DEBUG else "http")
    demo = f"REGISTER_{name}_BACKEND=demo for built-in test data"
    if backend == "http":
        url = required(
            f"REGISTER_{name}_URL",
            remedy=f"set the base URL of the {_TITLES[name]} (REGISTER_{name}_BACKEND is http)",
            alternative=demo,
        )
        key = required(
            f"REGISTER_{name}_API_KEY",
            remedy=f"set the API key of the {_TITLES[name]} (REGISTER_{name}_BACKEND is http)",
            alternative=demo,
        )
    else:
        url = env.str(f"REGISTER_{name}_URL", default="")
        key = env.str(f"REGISTER_{name}_API_KEY", default="")
    return backend, url, key, env.float(f"REGISTER_{name}_TIMEOUT", default=3.0)


# Base URLs, e.g.: KvK https://api.kvk.nl/api (the client adds /v1/basisprofielen/...);
# BRP https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp (the client adds /personen);
# BAG https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2 (the client adds /adressen).
_kvk, _brp, _bag = _register("KVK"), _register("BRP"), _register("BAG")
REGISTER_KVK_BACKEND, REGISTER_KVK_URL, REGISTER_KVK_API_KEY, REGISTER_KVK_TIMEOUT = _kvk
REGISTER_BRP_BACKEND, REGISTER_BRP_URL, REGISTER_BRP_API_KEY, REGISTER_BRP_TIMEOUT = _brp
REGISTER_BAG_BACKEND, REGISTER_BAG_URL, REGISTER_BAG_API_KEY, REGISTER_BAG_TIMEOUT = _bag
