"""Callback addresses that cannot be turned against the portal's own network (SSRF).

An address is checked when it is registered and again at every send: HTTPS only, and every
address its host name resolves to must be a public one (no private, loopback, link-local,
shared, reserved or multicast range, also not inside an IPv6 mapping). The send then connects to
exactly the address that passed the check, so a name that resolves elsewhere a moment later
(DNS rebinding) changes nothing; redirects are never followed.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


class AddressRefused(Exception):
    """Why an address may not receive callbacks, in words an organisation's developer can use."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    ip: str


def _public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            return _public(inner)
    return ip.is_global and not ip.is_multicast


def check_address(url: str) -> Target:
    """The target to connect to, or AddressRefused. Resolves the host name now."""
    parts = urlsplit(url)
    allow_local = settings.CALLBACKS_ALLOW_LOCAL
    if parts.scheme != "https" and not (allow_local and parts.scheme == "http"):
        raise AddressRefused("Use an https:// address.")
    if parts.username or parts.password:
        raise AddressRefused("Leave the user name and password out of the address.")
    if not parts.hostname:
        raise AddressRefused("The address has no host name.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("The port in the address is not a number.") from None
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise AddressRefused(f"The host name {parts.hostname} cannot be found.") from None
    ips = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    if not allow_local and not all(_public(ip) for ip in ips):
        raise AddressRefused(
            f"{parts.hostname} leads to a private or local network address. "
            "Use an address that can be reached from the internet."
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, parts.hostname, port, path, str(ips[0]))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked IP address; TLS still verifies the certificate for the name."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout, context=_tls_context())
        self._ip = target.ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._ip = target.ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the checked address; the HTTP status. A redirect is an answer, not followed."""
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)  # the answer is not used; read a little so the socket closes
        return response.status
    finally:
        connection.close()
