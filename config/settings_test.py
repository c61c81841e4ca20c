"""Settings for the test suite: the production settings, fed test values through the environment.

Only values a test run cannot have (a secret, a database) are given defaults here; everything
else is exactly what production runs.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("OIDC_RP_CLIENT_ID", "mijn-omgeving-dev")
os.environ.setdefault("OIDC_RP_CLIENT_SECRET", "dev-broker-secret")
os.environ.setdefault(
    "OIDC_OP_DISCOVERY_URL", "http://127.0.0.1:8090/.well-known/openid-configuration"
)
os.environ.setdefault("PSEUDONYM_KEY", "test-only-pseudonym-key")
os.environ.setdefault("LDV_SUBJECT_KEY", "test-only-ldv-key")
# The live server and the test client speak plain HTTP.
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Text messages stay in profiles.sms.outbox; the source registers use their demo data.
os.environ.setdefault("SMS_BACKEND", "memory")
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:25")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "Mijn Omgeving Zakelijk <noreply@test.example>")
# Tasks run at once, inside the request that enqueues them; the worker has its own tests.
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
for register in ("KVK", "BRP", "BAG"):
    os.environ.setdefault(f"REGISTER_{register}_BACKEND", "demo")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Hashed static names need collectstatic; tests serve the source files.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Mail stays in django.core.mail.outbox unless a test sends it to a real SMTP server.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files straight from the sources (no collectstatic before a test run).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

from config.env import env  # noqa: E402
from config.startup import problems_message  # noqa: E402

# A test run on stand-in values would prove nothing: stop as the portal would.
if env.problems:
    raise SystemExit(problems_message([str(p) for p in env.problems.values()]))
