"""The one environment reader that settings and the integration modules share."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV", default=False):
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def required(name: str, *, dev_default: str = "") -> str:
    """Read a value production must set; only development (DEBUG) may fall back to a default."""
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG and dev_default:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set: set it in the environment before starting the portal "
        f"(see the table in README.md)."
    )
