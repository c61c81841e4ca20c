"""Throttling what anyone can start without logging in, per client address, in the shared cache.

A client's address is REMOTE_ADDR, unless that is a proxy we trust (TRUSTED_PROXIES): then the
address the proxy put last in X-Forwarded-For. Behind a proxy every request would otherwise
come from the proxy, and one visitor's throttle would stop everyone.
"""

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings

from core.rate_limit import requests_counted


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # seconds until the window ends


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def throttle(scope: str, key: str, *, limit: int, window: int) -> Verdict:
    """Count one more under (scope, key) in a fixed window of `window` seconds."""
    now = int(time.time())
    start = now - now % window
    count = requests_counted(f"throttle:{scope}:{key}:{start}", timeout=window * 2)
    if count > limit:
        return Verdict(False, retry_after=start + window - now)
    return Verdict(True)
