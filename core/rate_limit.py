"""Counting API requests per client per minute, in the cache all workers share.

With Django's Redis cache, add() and incr() are three round trips to Redis on every API
request; a pipeline of INCR and EXPIRE is one. Any other cache (in memory in development and
tests) goes through Django's cache API.
"""

import functools
import logging

import redis
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

_DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"


def requests_counted(key: str, *, timeout: int) -> int:
    """Count one request under `key` (kept `timeout` seconds); the count so far, this one
    included. 0 when the cache cannot be reached: the API keeps answering without a limit."""
    config = settings.CACHES["default"]
    try:
        if config["BACKEND"] == _DJANGO_REDIS:
            pipe = _client(str(config["LOCATION"])).pipeline(transaction=False)
            pipe.incr(f"moz:{key}")
            pipe.expire(f"moz:{key}", timeout)
            count, _expiry_set = pipe.execute()
            return count
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except (redis.RedisError, OSError):
        logger.warning("rate limit not counted: the cache cannot be reached")
        return 0


@functools.cache
def _client(location: str) -> redis.Redis:
    # One connection pool per process (and per location, so a test may point elsewhere).
    return redis.Redis.from_url(location.split(",")[0], socket_timeout=1, socket_connect_timeout=1)
