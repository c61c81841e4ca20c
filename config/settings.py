"""Settings for Mijn Omgeving Zakelijk.

Every value comes from the environment (see the table in README.md). Outside DEBUG nothing
secret has a default. A missing or invalid value is noted, not raised (config/env.py): the entry
points stop with one message that lists every problem at once (config/startup.py).
"""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import DEBUG, env, parsed, required

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = required(
    "DJANGO_SECRET_KEY",
    remedy="set a long random value, e.g. the output of "
    '`python -c "import secrets; print(secrets.token_urlsafe(50))"`',
    dev_default="development-only-not-a-secret",
)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
# Proxies whose X-Forwarded-For names the visitor (for throttling per visitor).
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
# Reports of wrong register data per person per day: each is work for a register keeper.
TERUGMELDINGEN_PER_DAY = env.int("TERUGMELDINGEN_PER_DAY", default=10)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# Where users get help: shown on the help, privacy and accessibility pages.
HELP_EMAIL = env.str("HELP_EMAIL", default="help@mijnomgevingzakelijk.example")
HELP_PHONE = env.str("HELP_PHONE", default="020 123 45 67")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "mozilla_django_oidc",
    "django_htmx",
    "auditlog",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    # Two factors for staff (config/integrations/staff.py).
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    "two_factor.plugins.webauthn",
    "maykin_2fa",
    "config",
    "profiles",
    "profiles.rights",
    "consent",
    "notifications",
]

MIDDLEWARE = [
    "config.middleware.RequestIdMiddleware",
    "config.middleware.ResponseHeadersMiddleware",
    "config.api_middleware.ApiVersionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The probes answer before CommonMiddleware checks the Host header (config/health.py).
    "config.health.ProbeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "maykin_2fa.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "profiles.login.session.SessionTimeoutMiddleware",
    "profiles.staff.session.StaffSessionTimeoutMiddleware",
    "profiles.audit.PortalAuditlogMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "config.context_processors.portal",
                "notifications.context_processors.unread",
            ],
        },
    },
]
# Django's form renderer, with the widget templates the portal's forms use written out in
# Python: core/form_renderer.py says why.
FORM_RENDERER = "core.form_renderer.PortalFormRenderer"

# --- Database: config/integrations/database.py --------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- Static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
# Where `collectstatic` puts the files whitenoise serves, with the manifest of their hashed names.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- Security ------------------------------------------------------------------------------
# HTTPS is assumed everywhere but on a developer's machine and in the live-server tests.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS and env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Probes speak plain HTTP inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"  # Lax: the broker's redirect back must carry the session.
SESSION_COOKIE_NAME = "moz_session"
# Encrypted before it is stored: the session holds the ID token and a change in progress.
SESSION_SERIALIZER = "core.crypto.SealedSessionSerializer"
# Django's database sessions, read with one hand-written statement (every page reads one).
SESSION_ENGINE = "profiles.login.session_store"
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

SILENCED_SYSTEM_CHECKS = env.list("DJANGO_SILENCED_SYSTEM_CHECKS", default=[])

# --- Integrations --------------------------------------------------------------------------
from config.integrations.callbacks import *  # noqa: E402,F403
from config.integrations.csp import content_security_policy  # noqa: E402
from config.integrations.database import *  # noqa: E402,F403
from config.integrations.email import *  # noqa: E402,F403
from config.integrations.logging import logging_config  # noqa: E402
from config.integrations.notifications import *  # noqa: E402,F403
from config.integrations.oidc import *  # noqa: E402,F403
from config.integrations.oidc import OIDC_BROKER_ORIGIN  # noqa: E402
from config.integrations.personal_data import *  # noqa: E402,F403
from config.integrations.registers import *  # noqa: E402,F403
from config.integrations.rights import *  # noqa: E402,F403
from config.integrations.sms import *  # noqa: E402,F403
from config.integrations.staff import *  # noqa: E402,F403
from config.integrations.tasks import *  # noqa: E402,F403
from config.integrations.worker import *  # noqa: E402,F403

CONTENT_SECURITY_POLICY = content_security_policy(form_targets=[OIDC_BROKER_ORIGIN])
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
LOGGING = logging_config(level=env.str("LOG_LEVEL", default="INFO"))

API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)
# Per API client and purpose, people asked about per day (a bulk read counts each person);
# above it the API answers 429. A day above FACTOR x the client's usual day (and above FLOOR)
# is flagged to the operator in the admin and by e-mail (consent.clients.volume).
API_DAILY_VOLUME_PER_PURPOSE = env.int("API_DAILY_VOLUME_PER_PURPOSE", default=5000)
API_UNUSUAL_VOLUME_FACTOR = env.float("API_UNUSUAL_VOLUME_FACTOR", default=5.0)
API_UNUSUAL_VOLUME_FLOOR = env.int("API_UNUSUAL_VOLUME_FLOOR", default=200)
API_VOLUME_ALERT_EMAIL = env.str("API_VOLUME_ALERT_EMAIL", default="")
# The API's rate limit and the register answers live in this cache. In memory it belongs to one
# process: with several gunicorn workers set CACHE_URL=redis://..., so they count together
# (`manage.py check --deploy` warns).
CACHES = {
    "default": parsed(
        "CACHE_URL",
        env.str("CACHE_URL", default="locmemcache://"),
        env.cache_url_config,
        example="redis://cache.example.nl:6379/0",
        stand_in=env.cache_url_config("locmemcache://"),
    )
}
# Sites that share one Redis (acceptance beside production) keep their keys apart. Its own
# variable: django-environ passes a key_prefix in CACHE_URL's query on in lower case, unread.
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that does not answer must not hold up a request: after a second it counts as
    # unreachable (the API then answers without its rate limit). CACHE_URL's query may say else.
    _redis_options = CACHES["default"].setdefault("OPTIONS", {})
    _redis_options.setdefault("socket_connect_timeout", 1)
    _redis_options.setdefault("socket_timeout", 1)

AUTH_USER_MODEL = "auth.User"
AUDITLOG_DISABLE_REMOTE_ADDR = True  # an IP address is personal data we do not need
AUTHENTICATION_BACKENDS = [
    "profiles.login.backends.BrokerBackend",
    "django.contrib.auth.backends.ModelBackend",  # staff in the admin
]
