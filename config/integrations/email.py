"""Outgoing e-mail (SMTP in production, the console in development), from one EMAIL_URL."""

from config.env import env, parsed, required

__all__ = [
    "DEFAULT_FROM_EMAIL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "EMAIL_TIMEOUT",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
    "SERVER_EMAIL",
]

# e.g. smtp+tls://user:password@smtp.example.nl:587 ; consolemail:// ; filemail:///path
_example = "smtp+tls://user:password@smtp.example.nl:587"
_email = parsed(
    "EMAIL_URL",
    required(
        "EMAIL_URL",
        remedy=f"set the mail server, e.g. {_example}",
        dev_default="consolemail://",
        alternative="EMAIL_URL=consolemail:// to print mail instead of sending it",
    ),
    env.email_url_config,
    example=_example,
    stand_in={"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"},
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = required(
    "DEFAULT_FROM_EMAIL",
    remedy="set the sender of the portal's e-mails, e.g. "
    "Mijn Omgeving Zakelijk <noreply@gemeente.example.nl>",
    dev_default="Mijn Omgeving Zakelijk <noreply@mijnomgevingzakelijk.example>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
