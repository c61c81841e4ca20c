"""Settings for the test suite: the production settings, fed test values through the environment,
with these differences from production:

- Background tasks run at once, inside the transaction that enqueues them
  (django_tasks.backends.immediate.ImmediateBackend), so most tests see a code or a delivery
  as soon as the request returns. Production queues a task as a row of that transaction
  (django_tasks_db.DatabaseBackend) and `manage.py run_worker` runs it after commit. Here a task
  sees rows its transaction has not committed, and what it sent stays sent if that transaction
  rolls back. Tests about what may leave only after commit switch to the database backend
  (tests.support.notifications.DB_TASKS) and run the worker: tests/test_tasks_after_commit.py,
  tests/test_delivery.py, tests/test_worker.py (a real worker process).
- E-mail stays in django.core.mail.outbox and text messages in core.sms.outbox, unless a test
  points them at a real SMTP server or gateway; the source registers use their demo data.
- Passwords are hashed with MD5 (fast), and static files are served from the sources.
- `client.force_login(user)` logs staff in as if they passed the second factor, through a
  backend of the tests (tests/support/staff_login.py) that checks no password; the staff login
  page asks for the password and the second factor as in production.
- Values a test run cannot have (a secret, a database) get test defaults.
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
os.environ.setdefault("PERSONAL_DATA_KEYS", "test1:dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTMyYnk=")
os.environ.setdefault("BLIND_INDEX_KEY", "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0zMi1ieXQ=")
# The live server and the test client speak plain HTTP.
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# Text messages stay in core.sms.outbox; the source registers use their demo data.
os.environ.setdefault("SMS_BACKEND", "memory")
os.environ.setdefault("EMAIL_URL", "smtp://127.0.0.1:25")
os.environ.setdefault("DEFAULT_FROM_EMAIL", "Mijn Omgeving Zakelijk <noreply@test.example>")
# Tasks run at once, inside the transaction that enqueues them (see the docstring).
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
for register in ("KVK", "BRP", "BAG"):
    os.environ.setdefault(f"REGISTER_{register}_BACKEND", "demo")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# `client.force_login(user)` counts as two factors; the login page asks for both as always
# (tests/support/staff_login.py). Tests of the login itself log in through the page.
AUTHENTICATION_BACKENDS = [
    "tests.support.staff_login.ForcedLoginBackend",
    *AUTHENTICATION_BACKENDS,  # noqa: F405
]
MAYKIN_2FA_ALLOW_MFA_BYPASS_BACKENDS = ["tests.support.staff_login.ForcedLoginBackend"]
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
