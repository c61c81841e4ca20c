"""System checks for what the portal needs beyond Django's own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Warning, register

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


@register()
def settings_are_complete(app_configs, **kwargs):
    """Every missing or invalid setting, as manage.py and the servers refuse to start with them."""
    return [Error(problem, id="portal.E001") for problem in settings_problems()]


@register(deploy=True)
def static_files_are_collected(app_configs, **kwargs):
    return [Error(problem, id="portal.E002") for problem in static_files_problems()]
