"""Sending SMS, configured only here and switched by one value: `SMS_BACKEND`.

`console` prints messages (the development default), `memory` keeps them for tests, `http` posts
them to the provider (the production default; its URL and key are then required).
"""

from config.env import DEBUG, env, one_of, required

# Only the settings: a star import must not rebind DEBUG or env in config.settings.
__all__ = ["SMS_BACKEND", "SMS_GATEWAY_API_KEY", "SMS_GATEWAY_TIMEOUT", "SMS_GATEWAY_URL"]

_BACKENDS = ("console", "memory", "http")
_CONSOLE = "SMS_BACKEND=console to print text messages instead of sending them"

SMS_BACKEND = one_of("SMS_BACKEND", _BACKENDS, default="console" if DEBUG else "http")
if SMS_BACKEND == "http":
    SMS_GATEWAY_URL = required(
        "SMS_GATEWAY_URL",
        remedy="set the SMS provider's endpoint (SMS_BACKEND is http)",
        alternative=_CONSOLE,
    )
    SMS_GATEWAY_API_KEY = required(
        "SMS_GATEWAY_API_KEY",
        remedy="set the SMS provider's API key (SMS_BACKEND is http)",
        alternative=_CONSOLE,
    )
else:
    SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
    SMS_GATEWAY_API_KEY = env.str("SMS_GATEWAY_API_KEY", default="")
SMS_GATEWAY_TIMEOUT = env.float("SMS_GATEWAY_TIMEOUT", default=5.0)
