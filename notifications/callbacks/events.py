"""A delivery's status change as a CloudEvents 1.0 event, signed as Standard Webhooks do.

CloudEvents per the NL GOV profile: `source` the portal as an OIN URN, `type` in reverse-DNS
form, `subject` the message id, `dataref` the message's GET resource. Structured content mode
(application/cloudevents+json), so the whole event is the body the signature covers.

Signature (Standard Webhooks): headers webhook-id, webhook-timestamp and webhook-signature
"v1,<base64 HMAC-SHA256 of '<id>.<timestamp>.<body>'>", keyed with the base64 part of the
endpoint's secret "whsec_<base64>". The receiver recomputes it and compares; the timestamp lets
it refuse old replays, the id lets it ignore an event it already has.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.conf import settings

EVENT_TYPE = "nl.mijn-omgeving-zakelijk.melding.bezorging-gewijzigd"
SECRET_PREFIX = "whsec_"  # noqa: S105 - the scheme's prefix, not a secret


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def source() -> str:
    return f"urn:nld:oin:{settings.PORTAL_OIN}:systeem:mijn-omgeving-zakelijk"


def cloud_event(*, event_id: str, notification_id: int, channel: str, status: str, at) -> dict:
    site = settings.SITE_URL.rstrip("/")
    return {
        "specversion": "1.0",
        "id": event_id,
        "source": source(),
        "type": EVENT_TYPE,
        "subject": str(notification_id),
        "time": at.isoformat().replace("+00:00", "Z"),
        "datacontenttype": "application/json",
        "dataref": f"{site}/api/profielen/v1/meldingen/{notification_id}",
        "data": {"melding": notification_id, "kanaal": channel, "status": status},
    }


def signed(event: dict, secret: str, *, now: int | None = None) -> tuple[bytes, dict[str, str]]:
    """The body and the headers to send it with."""
    body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(now if now is not None else int(time.time()))
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed_content = f"{event['id']}.{timestamp}.".encode() + body
    signature = base64.b64encode(hmac.new(key, signed_content, hashlib.sha256).digest()).decode()
    return body, {
        "Content-Type": "application/cloudevents+json; charset=utf-8",
        "webhook-id": event["id"],
        "webhook-timestamp": timestamp,
        "webhook-signature": f"v1,{signature}",
        "User-Agent": "MijnOmgevingZakelijk-Callbacks/1",
    }
