"""JSON over HTTP for the register clients: every way a call can fail ends as one error."""

import re
from typing import Any

import requests

from profiles.registers.access import Access, access_token
from profiles.registers.errors import unavailable

JSON = dict[str, Any]

# A register's error code is logged as-is only when it looks like one (problem+json `code`
# is `^[a-zA-Z0-9]{1,25}$` in the BRP's document); anything else could be text meant for a
# person, or an identifier.
_ERROR_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


def fetch_json(
    register: str,
    method: str,
    url: str,
    *,
    access: Access,
    accept: str,
    timeout: float,
    params: dict[str, str] | None = None,
    json: JSON | None = None,
    missing_means_unknown: bool = False,
) -> JSON | None:
    """The decoded JSON object; None only for a 404 where the API defines it as "not known".

    `missing_means_unknown` is for an API whose resource is the subject (the KvK's
    /basisprofielen/{kvkNummer}). The BRP and the BAG answer "nobody" and "nothing" with 200
    and an empty list and define no 404: from them a 404 means the base URL is wrong, which is
    a configuration fault, logged as an error with the register's own error code.

    Raises RegisterUnavailable for a timeout, a connection or TLS error, a refused token, a 5xx,
    an unexpected status or a body that is not a JSON object. No requests exception escapes.
    """
    request = {
        "method": method,
        "url": url,
        "params": params,
        "json": json,
        "cert": access.cert,
        "verify": access.verify,
    }
    token, kept = access_token(register, access, timeout=timeout) if access.oauth else ("", False)
    response = _send(register, request, {**access.headers(token), "Accept": accept}, timeout)
    if response.status_code == 401 and kept:
        # The register no longer takes the token we kept (revoked, or its clock runs ahead of
        # ours): one fresh token and one retry, never more.
        token, _kept = access_token(register, access, timeout=timeout, rejected=token)
        response = _send(register, request, {**access.headers(token), "Accept": accept}, timeout)

    status = response.status_code
    if status == 404 and missing_means_unknown:
        return None
    if not 200 <= status < 300:
        _raise_for(register, response)
    try:
        body = response.json()
    except ValueError:
        raise unavailable(register, "bad_json", status=status) from None
    if not isinstance(body, dict):
        raise unavailable(register, "bad_json", status=status)
    return body


def _send(register: str, request: dict, headers: dict, timeout: float) -> requests.Response:
    try:
        return requests.request(headers=headers, timeout=timeout, **request)
    except requests.Timeout:
        raise unavailable(register, "timeout") from None
    except requests.exceptions.SSLError:
        raise unavailable(register, "tls_error") from None
    except requests.ConnectionError:
        raise unavailable(register, "connection_error") from None
    except requests.RequestException:
        raise unavailable(register, "request_error") from None
    except OSError:
        # requests checks the certificate and key files itself and raises a plain OSError.
        raise unavailable(register, "client_certificate", config_fault=True) from None


def _raise_for(register: str, response: requests.Response):
    status, code = response.status_code, error_code(response)
    if status == 404:
        # Logged with the register's error code, so the operator sees whose 404 it was: the
        # register's API gateway ("notFound") or some other server at that address.
        raise unavailable(register, "wrong_url", config_fault=True, status=status, code=code)
    if status >= 500:
        raise unavailable(register, "server_error", status=status, code=code)
    # 400/401/403 mean our request or our key is wrong: for the user the register is down,
    # for the operator the status and code in the log say what to fix.
    raise unavailable(register, "unexpected_status", status=status, code=code)


def error_code(response: requests.Response) -> str:
    """The register's code for an error: problem+json `code` (BRP, BAG) or `fout[0].code`
    (KvK); empty when there is none."""
    try:
        body = response.json()
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    code = body.get("code")
    if code is None and isinstance(body.get("fout"), list) and body["fout"]:
        first = body["fout"][0]
        code = first.get("code") if isinstance(first, dict) else None
    code = str(code) if isinstance(code, str | int) else ""
    return code if _ERROR_CODE.match(code) else ""


# Registers leave fields out rather than send them empty; these read a field whatever came.


def text(data: JSON, key: str) -> str:
    value = data.get(key)
    return "" if value is None or isinstance(value, dict | list) else str(value).strip()


def obj(data: JSON, key: str) -> JSON:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def objects(data: JSON, key: str) -> list[JSON]:
    value = data.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
