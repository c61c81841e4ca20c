"""Source registers (KvK Handelsregister, BRP, BAG), configured only here.

Each register is switched by one value, `REGISTER_<NAME>_BACKEND`: `demo` (built-in fixed data,
the default in development), `http` (the real API, the default in production: its URL and a
way in are then required) or `demo-down` (a register that never answers, to see how pages cope).
Production never shows demo data by accident: it must ask for it.

The way in is the same for every register (`profiles/registers/access.py`): an API key, a client
certificate for mutual TLS, an OAuth2 client-credentials token, or a mix. The BRP in production
wants a PKIoverheid certificate and a token; the proefomgeving, the BAG and the KvK a key.
A way in given by halves (a certificate without its key, a token URL without a secret) stops
start-up with one sentence saying what is missing.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import DEBUG, env, required

_NAMES = ("KVK", "BRP", "BAG")
_OAUTH_REQUIRED = ("OAUTH_TOKEN_URL", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET")
_WAY_IN = ("API_KEY", "CLIENT_CERT", "CLIENT_KEY", "CA_BUNDLE", *_OAUTH_REQUIRED, "OAUTH_SCOPE")
_FILES = ("CLIENT_CERT", "CLIENT_KEY", "CA_BUNDLE")
_BACKENDS = ("demo", "http", "demo-down")

# Only the settings: a star import must not rebind env or required in config.settings.
# REGISTER_<NAME>_<PART> for every register and part, set at the end of this module.
__all__ = [
    f"REGISTER_{name}_{part}" for name in _NAMES for part in ("BACKEND", "URL", "TIMEOUT", *_WAY_IN)
]


def _text(name: str, part: str) -> str:
    return env.str(f"REGISTER_{name}_{part}", default="")


def _way_in(name: str) -> dict[str, str]:
    """API key, certificate, CA bundle and OAuth client of an `http` register, checked whole."""
    values = {part: _text(name, part) for part in _WAY_IN}
    if any(values[part] for part in (*_OAUTH_REQUIRED, "OAUTH_SCOPE")):
        for part in _OAUTH_REQUIRED:
            values[part] = required(f"REGISTER_{name}_{part}")
        if not DEBUG and not values["OAUTH_TOKEN_URL"].startswith("https://"):
            raise ImproperlyConfigured(
                f"REGISTER_{name}_OAUTH_TOKEN_URL must start with https:// outside development: "
                "the client secret must not travel unencrypted."
            )
    if values["CLIENT_CERT"] or values["CLIENT_KEY"]:
        values["CLIENT_CERT"] = required(f"REGISTER_{name}_CLIENT_CERT")
        values["CLIENT_KEY"] = required(f"REGISTER_{name}_CLIENT_KEY")
    if not (values["OAUTH_TOKEN_URL"] or values["CLIENT_CERT"]):
        # Without another way in, the key is what lets the portal in.
        values["API_KEY"] = required(f"REGISTER_{name}_API_KEY")
    for part in _FILES:
        if values[part] and not Path(values[part]).is_file():
            raise ImproperlyConfigured(
                f"REGISTER_{name}_{part} is {values[part]!r}, which is not a readable file: "
                "give the path of the PEM file."
            )
    return values


def _register(name: str) -> dict[str, object]:
    backend = env.str(f"REGISTER_{name}_BACKEND", default="demo" if DEBUG else "http")
    if backend not in _BACKENDS:
        raise ImproperlyConfigured(
            f"REGISTER_{name}_BACKEND is {backend!r}: set it to one of {', '.join(_BACKENDS)}."
        )
    if backend == "http":
        values = {"URL": required(f"REGISTER_{name}_URL"), **_way_in(name)}
    else:
        values = {part: _text(name, part) for part in ("URL", *_WAY_IN)}
    timeout = env.float(f"REGISTER_{name}_TIMEOUT", default=3.0)
    return {"BACKEND": backend, "TIMEOUT": timeout, **values}


# Base URLs, e.g.: KvK https://api.kvk.nl/api (the client adds /v1/basisprofielen/...);
# BRP https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp (the client adds /personen);
# BAG https://api.bag.kadaster.nl/lvbag/individuelebevragingen/v2 (the client adds /adressen).
for _name in _NAMES:
    for _part, _value in _register(_name).items():
        globals()[f"REGISTER_{_name}_{_part}"] = _value
