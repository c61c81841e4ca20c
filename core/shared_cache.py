"""The shared cache where it only saves time: without it the portal is slower, not broken.

Register answers, the broker's discovery document and whether the broker answers are kept in
the cache all workers share (Redis in production). A Redis that does not answer must not turn
those pages into errors: a read is then a miss and a write is skipped, with a warning in the
log, and the caller asks the remote service itself, as it would after an expiry.
"""

import logging
from typing import Any

import redis
from django.core.cache import cache

logger = logging.getLogger(__name__)

# What Django's Redis backend raises when the server cannot be reached or does not answer in
# time (redis.ConnectionError and redis.TimeoutError are RedisErrors; a refused socket an OSError).
UNREACHABLE = (redis.RedisError, OSError)


def cache_get(key: str) -> Any:
    """The value kept under `key`, or None when there is none or the cache cannot be reached."""
    try:
        return cache.get(key)
    except UNREACHABLE:
        logger.warning("cache not reachable: read skipped", extra={"cache_key": key})
        return None


def cache_set(key: str, value: Any, timeout: float) -> None:
    """Keep `value` under `key` for `timeout` seconds, if the cache can be reached."""
    try:
        cache.set(key, value, timeout)
    except UNREACHABLE:
        logger.warning("cache not reachable: write skipped", extra={"cache_key": key})
