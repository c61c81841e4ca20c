"""How the portal proves who it is to a register: an API key, a client certificate (mutual TLS)
and an OAuth2 access token (client credentials), alone or together, the same for every register.

The BRP in production sits behind a gateway that wants a PKIoverheid client certificate and a
token; the proefomgeving, the BAG and the KvK want an API key. Which one a register gets follows
its settings (`config/integrations/registers.py`), never the code.

Tokens are kept in this process until shortly before they expire. A register that still says
401 to a kept token gets one fresh token and one retry (see `transport.fetch_json`).
"""

import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import requests

from profiles.registers.errors import unavailable

# Asked for again this long before the token server says it expires (at most a tenth of its
# lifetime, so a short-lived token is still used for most of its life).
REFRESH_BEFORE_SECONDS = 30.0
# For a token server that does not say how long its tokens last (RFC 6749 only recommends it).
DEFAULT_LIFETIME_SECONDS = 300.0

# RFC 6749 error codes are short ASCII words; anything else is not logged.
_OAUTH_ERROR = re.compile(r"^[a-z_]{1,40}$")

# Read through the module, so tests can move time by hand.
clock = time.monotonic


@dataclass(frozen=True)
class OAuthClient:
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str = ""


@dataclass(frozen=True)
class Access:
    # The header the register reads its key from: KvK `apikey`, BRP `X-API-KEY`, BAG `X-Api-Key`.
    api_key_header: str = ""
    api_key: str = field(default="", repr=False)
    # PEM files of the client certificate (with its chain) and its private key, for mutual TLS.
    client_cert: str = ""
    client_key: str = ""
    # A CA bundle to check the register's certificate with (PKIoverheid Private Root is in no
    # default bundle); empty: requests' default, which honours REQUESTS_CA_BUNDLE.
    ca_bundle: str = ""
    oauth: OAuthClient | None = None

    @property
    def cert(self) -> tuple[str, str] | None:
        return (self.client_cert, self.client_key) if self.client_cert else None

    @property
    def verify(self) -> str | bool:
        return self.ca_bundle or True

    def headers(self, token: str = "") -> dict[str, str]:
        headers = {self.api_key_header: self.api_key} if self.api_key else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers


@dataclass
class _Kept:
    token: str
    refresh_at: float


_kept: dict[tuple[str, str, str], _Kept] = {}
_locks: dict[tuple[str, str, str], threading.Lock] = {}
_locks_lock = threading.Lock()


def _key(oauth: OAuthClient) -> tuple[str, str, str]:
    return (oauth.token_url, oauth.client_id, oauth.scope)


def access_token(
    register: str, access: Access, *, timeout: float, rejected: str = ""
) -> tuple[str, bool]:
    """A valid bearer token for this client, and whether it is one kept from before.

    The kept token while it is valid, else a new one from the token server. `rejected` is a
    token the register just refused: it is not handed out again (another thread may already
    have fetched its successor, which is then used). Raises RegisterUnavailable when the
    token server cannot give one.
    """
    oauth = access.oauth
    key = _key(oauth)
    with _locks_lock:
        lock = _locks.setdefault(key, threading.Lock())
    # One request to the token server per client at a time; the others wait and take its token.
    with lock:
        kept = _kept.get(key)
        if kept and kept.token != rejected and clock() < kept.refresh_at:
            return kept.token, True
        token, lifetime = _request_token(register, access, timeout=timeout)
        margin = min(REFRESH_BEFORE_SECONDS, lifetime / 10)
        _kept[key] = _Kept(token=token, refresh_at=clock() + lifetime - margin)
        return token, False


def forget_tokens() -> None:
    """Drop every kept token (between tests)."""
    _kept.clear()


def _request_token(register: str, access: Access, *, timeout: float) -> tuple[str, float]:
    oauth = access.oauth
    form = {"grant_type": "client_credentials"}
    if oauth.scope:
        form["scope"] = oauth.scope
    # client_secret_basic, which every token server must support (RFC 6749, 2.3.1): id and
    # secret form-encoded first, so a ':' in either survives.
    credentials = (quote(oauth.client_id, safe=""), quote(oauth.client_secret, safe=""))
    try:
        response = requests.post(
            oauth.token_url,
            data=form,
            auth=credentials,
            headers={"Accept": "application/json"},
            cert=access.cert,
            verify=access.verify,
            timeout=timeout,
        )
    except requests.Timeout:
        raise unavailable(register, "token_timeout") from None
    except requests.exceptions.SSLError:
        raise unavailable(register, "token_tls_error") from None
    except (requests.RequestException, OSError):
        raise unavailable(register, "token_connection_error") from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    if status >= 500:
        raise unavailable(register, "token_server_error", status=status)
    if status != 200:
        # The OAuth error code (invalid_client, invalid_scope) says the operator what to fix.
        error = body.get("error")
        code = error if isinstance(error, str) and _OAUTH_ERROR.match(error) else ""
        raise unavailable(register, "token_refused", config_fault=True, status=status, code=code)
    token, kind = body.get("access_token"), str(body.get("token_type", "")).lower()
    if not isinstance(token, str) or not token or kind != "bearer":
        raise unavailable(register, "token_bad_answer", status=response.status_code)
    lifetime = body.get("expires_in")
    valid = isinstance(lifetime, int | float) and not isinstance(lifetime, bool) and lifetime > 0
    return token, float(lifetime) if valid else DEFAULT_LIFETIME_SECONDS
