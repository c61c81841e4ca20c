"""Source registers (KvK Handelsregister, BRP, BAG), configured only here.

Each register is switched by one value, `REGISTER_<NAME>_BACKEND`: `demo` (built-in fixed data,
the default in development), `http` (the real API, the default in production: its URL and a
way in are then required) or `demo-down` (a register that never answers, to see how pages cope).
Production never shows demo data by accident: it must ask for it.

The way in is the same for every register (`profiles/registers/access.py`): an API key, a client
certificate for mutual TLS, an OAuth2 client-credentials token, or a mix. The BRP in production
wants a PKIoverheid certificate and a token; the proefomgeving, the BAG and the KvK a key.
A way in given by halves (a certificate without its key, a token URL without a secret) is
reported at start-up with every other missing setting, saying what to set.
"""

from pathlib import Path

from config.env import DEBUG, env, one_of, required

_NAMES = ("KVK", "BRP", "BAG")
_OAUTH_REQUIRED = ("OAUTH_TOKEN_URL", "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET")
_WAY_IN = ("API_KEY", "CLIENT_CERT", "CLIENT_KEY", "CA_BUNDLE", *_OAUTH_REQUIRED, "OAUTH_SCOPE")
_FILES = ("CLIENT_CERT", "CLIENT_KEY", "CA_BUNDLE")
_BACKENDS = ("demo", "http", "demo-down")
_TITLES = {"KVK": "KvK Basisprofiel API", "BRP": "BRP bevragen API", "BAG": "BAG bevragen API"}

# Only the settings: a star import must not rebind env or required in config.settings.
# REGISTER_<NAME>_<PART> for every register and part, set at the end of this module.
__all__ = [
    f"REGISTER_{name}_{part}" for name in _NAMES for part in ("BACKEND", "URL", "TIMEOUT", *_WAY_IN)
]


def _text(name: str, part: str) -> str:
    return env.str(f"REGISTER_{name}_{part}", default="")


def _need(name: str, part: str, what: str) -> str:
    return required(
        f"REGISTER_{name}_{part}",
        remedy=f"set {what} of the {_TITLES[name]} (REGISTER_{name}_BACKEND is http)",
        alternative=f"REGISTER_{name}_BACKEND=demo for built-in test data",
    )


def _way_in(name: str) -> dict[str, str]:
    """API key, certificate, CA bundle and OAuth client of an `http` register, checked whole.
    A way in given by halves is noted as a problem, with the others (config.env)."""
    values = {part: _text(name, part) for part in _WAY_IN}
    if any(values[part] for part in (*_OAUTH_REQUIRED, "OAUTH_SCOPE")):
        for part in _OAUTH_REQUIRED:
            values[part] = _need(name, part, f"the {part.lower().replace('_', ' ')}")
        if (
            not DEBUG
            and values["OAUTH_TOKEN_URL"]
            and not values["OAUTH_TOKEN_URL"].startswith("https://")
        ):
            env.note(
                f"REGISTER_{name}_OAUTH_TOKEN_URL",
                "does not start with https://",
                "use https outside development: the client secret must not travel unencrypted.",
            )
    if values["CLIENT_CERT"] or values["CLIENT_KEY"]:
        values["CLIENT_CERT"] = _need(name, "CLIENT_CERT", "the client certificate (PEM file)")
        values["CLIENT_KEY"] = _need(name, "CLIENT_KEY", "the client certificate's key (PEM file)")
    if not (values["OAUTH_TOKEN_URL"] or values["CLIENT_CERT"]):
        # Without another way in, the key is what lets the portal in.
        values["API_KEY"] = _need(name, "API_KEY", "the API key")
    for part in _FILES:
        if values[part] and not Path(values[part]).is_file():
            env.note(
                f"REGISTER_{name}_{part}",
                f"is {values[part]!r}, which is not a readable file",
                "give the path of the PEM file.",
            )
    return values


def _register(name: str) -> dict[str, object]:
    backend = one_of(f"REGISTER_{name}_BACKEND", _BACKENDS, default="demo" if DEBUG else "http")
    if backend == "http":
        values = {"URL": _need(name, "URL", "the base URL"), **_way_in(name)}
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
