"""Failed staff logins, counted per account and per address in the shared cache.

A failure is a wrong password or a wrong second-factor code. Reaching STAFF_LOGIN_MAX_FAILURES
for one account (within STAFF_LOGIN_FAILURE_WINDOW), or STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS
from one address, locks further logins of that account or from that address for
STAFF_LOCKOUT_SECONDS, the right password included: guessing stops paying. The account is the
username as typed, so an unknown name is locked like a known one and tells nothing.

A cache that cannot be reached counts nothing (core.rate_limit): logins then go on with the
second factor and django-otp's own throttle per device as the barrier.
"""

import contextlib
from dataclasses import dataclass

import redis
from django.conf import settings
from django.core.cache import cache

from core.rate_limit import requests_counted
from profiles.login import session as portal_session


@dataclass(frozen=True)
class Lock:
    locked: bool
    retry_after: int = 0  # seconds until a login may be tried again


def _account(username: str) -> str:
    return username.strip().casefold()


def _keys(username: str, address: str) -> list[tuple[str, str, int]]:
    """(counter key, lock key, limit) for the account and for the address."""
    keys = [
        (
            f"staff-login:fail:account:{_account(username)}",
            f"staff-login:lock:account:{_account(username)}",
            settings.STAFF_LOGIN_MAX_FAILURES,
        )
    ]
    if address:
        keys.append(
            (
                f"staff-login:fail:address:{address}",
                f"staff-login:lock:address:{address}",
                settings.STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS,
            )
        )
    return keys


def staff_login_lock(*, username: str, address: str) -> Lock:
    """Whether logins for this account or from this address are locked now."""
    try:
        until = [cache.get(lock_key) for _counter, lock_key, _limit in _keys(username, address)]
    except (redis.RedisError, OSError):
        return Lock(False)
    now = portal_session.clock()  # the clock tests move
    ends = [end for end in until if end and end > now]
    if not ends:
        return Lock(False)
    return Lock(True, retry_after=max(1, int(max(ends) - now)))


def staff_login_failure_count(*, username: str, address: str) -> Lock:
    """Count one failure for the account and the address; lock what reached its limit."""
    locked = False
    for counter_key, lock_key, limit in _keys(username, address):
        failures = requests_counted(counter_key, timeout=settings.STAFF_LOGIN_FAILURE_WINDOW)
        if failures >= limit > 0:
            try:
                cache.set(
                    lock_key,
                    portal_session.clock() + settings.STAFF_LOCKOUT_SECONDS,
                    timeout=settings.STAFF_LOCKOUT_SECONDS,
                )
                cache.delete(counter_key)
            except (redis.RedisError, OSError):
                continue
            locked = True
    return Lock(locked, retry_after=settings.STAFF_LOCKOUT_SECONDS if locked else 0)


def staff_login_failures_clear(*, username: str) -> None:
    """A full login (password and second factor) wipes the account's failures, not the lock
    of the address it came from."""
    counter_key, _lock_key, _limit = _keys(username, "")[0]
    with contextlib.suppress(redis.RedisError, OSError):
        cache.delete(counter_key)


def staff_login_refusal_is_new(*, username: str, address: str, lock: Lock) -> bool:
    """True for the first refused attempt of this account from this address during a lock.

    Every failure is written down; while locked, one refusal per account and address is, so
    hammering a locked login cannot fill the audit trail."""
    key = f"staff-login:refused:{_account(username)}:{address}"
    try:
        return bool(cache.add(key, 1, timeout=max(1, lock.retry_after)))
    except (redis.RedisError, OSError):
        return True
