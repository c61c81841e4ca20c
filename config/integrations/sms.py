"""Sending SMS, configured only here and switched by one value: `SMS_BACKEND`.

`console` prints messages (the development default), `memory` keeps them for tests, `http` posts
them to the provider (the production default; its URL and key are then required).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import DEBUG, env, required

# Only the settings: a star import must not rebind DEBUG or env in config.settings.
__all__ = ["SMS_BACKEND", "SMS_GATEWAY_API_KEY", "SMS_GATEWAY_TIMEOUT", "SMS_GATEWAY_URL"]

_BACKENDS = ("console", "memory", "http")

SMS_BACKEND = env.str("SMS_BACKEND", default="console" if DEBUG else "http")
if SMS_BACKEND not in _BACKENDS:
    raise ImproperlyConfigured(
        f"SMS_BACKEND is {SMS_BACKEND!r}: set it to one of {', '.join(_BACKENDS)}."
    )
if SMS_BACKEND == "http":
    SMS_GATEWAY_URL = required("SMS_GATEWAY_URL")
    SMS_GATEWAY_API_KEY = required("SMS_GATEWAY_API_KEY")
else:
    SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
    SMS_GATEWAY_API_KEY = env.str("SMS_GATEWAY_API_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=5.0)
