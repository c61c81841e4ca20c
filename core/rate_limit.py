"""Counting API requests per client per minute, in the cache all workers share.

Through Django's cache API, so the cache's KEY_PREFIX and VERSION keep two sites that share a
Redis apart, and the cache's own connection pool and options (timeouts) apply. The count is
incremented first; only the first request of a window finds no key and adds it, with its
expiry. The key carries the minute, so that expiry is the only one it needs.
"""

import logging

import redis
from django.core.cache import cache

logger = logging.getLogger(__name__)


def requests_counted(key: str, *, timeout: int) -> int:
    """Count one request under `key` (kept `timeout` seconds); the count so far, this one
    included. 0 when the cache cannot be reached: the API keeps answering without a limit."""
    try:
        return _counted(key, timeout)
    except (redis.RedisError, OSError):
        logger.warning("rate limit not counted: the cache cannot be reached")
        return 0


def _counted(key: str, timeout: int) -> int:
    try:
        return cache.incr(key)
    except ValueError:  # Django's answer for a key that is not there: a new window
        if cache.add(key, 1, timeout=timeout):
            return 1
        return cache.incr(key)  # another worker added it in between
