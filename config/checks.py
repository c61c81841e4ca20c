"""Deployment checks (`manage.py check --deploy`) for what the portal needs beyond Django's own."""

import os

from django.conf import settings
from django.core.checks import Warning, register

LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(deploy=True)
def shared_cache_for_several_workers(app_configs, **kwargs):
    """The API's rate limit counts in the cache: a cache per process multiplies the limit."""
    workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
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
