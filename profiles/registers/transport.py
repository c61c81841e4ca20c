"""JSON over HTTP for the register clients: every way a call can fail ends as one error."""

from typing import Any

import requests

from profiles.registers.errors import unavailable

JSON = dict[str, Any]


def fetch_json(
    register: str,
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    timeout: float,
    params: dict[str, str] | None = None,
    json: JSON | None = None,
) -> JSON | None:
    """The decoded JSON object, or None when the register says it does not know the subject.

    Raises RegisterUnavailable for a timeout, a connection error, a 5xx, an unexpected status
    or a body that is not a JSON object. No requests exception escapes.
    """
    try:
        response = requests.request(
            method, url, headers=headers, params=params, json=json, timeout=timeout
        )
    except requests.Timeout:
        raise unavailable(register, "timeout") from None
    except requests.ConnectionError:
        raise unavailable(register, "connection_error") from None
    except requests.RequestException:
        raise unavailable(register, "request_error") from None

    status = response.status_code
    if status == 404:
        return None
    if status >= 500:
        raise unavailable(register, "server_error", status=status)
    if not 200 <= status < 300:
        # 400/401/403 mean our request or our key is wrong: for the user the register is down,
        # for the operator the status in the log says what to fix.
        raise unavailable(register, "unexpected_status", status=status)
    try:
        body = response.json()
    except ValueError:
        raise unavailable(register, "bad_json", status=status) from None
    if not isinstance(body, dict):
        raise unavailable(register, "bad_json", status=status)
    return body


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
