"""System checks for what the portal needs beyond Django's own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connection

from config.env import env
from config.startup import settings_problems, static_files_problems

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(deploy=True)
def shared_cache_for_several_workers(app_configs, **kwargs):
    """The API's rate limit counts in the cache: a cache per process multiplies the limit."""
    workers = env.int("GUNICORN_WORKERS", default=3)
    backend = settings.CACHES["default"]["BACKEND"]
    if workers > 1 and backend in LOCAL_CACHES:
        return [
            Warning(
                f"The cache is kept per process, and gunicorn runs {workers} workers: each "
                "counts the API's rate limit on its own, so a client may make up to "
                f"{workers} times API_RATE_LIMIT_PER_MINUTE requests.",
                hint="Set CACHE_URL to a shared cache, for example redis://host:6379/0.",
                id="portal.W001",
            )
        ]
    return []


@register(Tags.database, deploy=True)
def portal_role_cannot_empty_the_log(app_configs, databases=None, **kwargs):
    """The logs hold against the portal only when it runs as a role that owns nothing."""
    if connection.vendor != "postgresql" or not databases:
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper, t.tableowner = current_user FROM pg_roles r "
                "LEFT JOIN pg_tables t ON t.tablename = 'consent_processingrecord' "
                "WHERE r.rolname = current_user"
            )
            superuser, owner = cursor.fetchone()
    except DatabaseError:
        return []
    if superuser or owner:
        return [
            Warning(
                "The portal connects to PostgreSQL as a superuser or as the owner of its "
                "tables, so it could switch off the guards of the processing log.",
                hint="Run `manage.py db_roles` and connect as the runtime role it makes "
                "(moz_portal); run migrate as the owner role (moz_owner).",
                id="portal.W002",
            )
        ]
    return []


@register()
def settings_are_complete(app_configs, **kwargs):
    """Every missing or invalid setting, as manage.py and the servers refuse to start with them."""
    return [Error(problem, id="portal.E001") for problem in settings_problems()]


@register(deploy=True)
def static_files_are_collected(app_configs, **kwargs):
    return [Error(problem, id="portal.E002") for problem in static_files_problems()]


# The one place a staff login may skip the second factor: the test suite's forced login
# (tests/support/staff_login.py), which the image does not hold.
TEST_BYPASS_PREFIX = "tests.support."


@register()
def second_factor_not_bypassed(app_configs, **kwargs):
    """Two factors for every staff login: no real login backend may skip the second one."""
    bypassed = [
        backend
        for backend in getattr(settings, "MAYKIN_2FA_ALLOW_MFA_BYPASS_BACKENDS", [])
        if not backend.startswith(TEST_BYPASS_PREFIX)
    ]
    return [
        Error(
            f"Staff logging in through {backend} skip the second factor.",
            hint="Remove it from MAYKIN_2FA_ALLOW_MFA_BYPASS_BACKENDS: every staff login "
            "needs two factors.",
            id="portal.E003",
        )
        for backend in bypassed
    ]
