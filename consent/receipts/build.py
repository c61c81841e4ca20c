"""A consent receipt with the fields of ISO/IEC TS 27560 (consent record information structure).

Made from the Consent row and the DoelbindingVersion it points at, which never changes: the
receipt of an event reads the same on every day it is asked for. One receipt per event: the
consent given, and (when it happened) the consent withdrawn.
"""

import uuid
from datetime import UTC

from django.conf import settings
from django.urls import reverse

from consent.choices import DataField, LegalBasis
from consent.ldv import activity_id_for
from consent.models import Consent

RECEIPT_SCHEMA = "ISO/IEC TS 27560:2023"
GIVEN, WITHDRAWN = "given", "withdrawn"
EVENTS = (GIVEN, WITHDRAWN)
# The GDPR article of each legal basis, as the receipt names it.
_ARTICLE = {LegalBasis.CONSENT: "GDPR art. 6(1)(a)", LegalBasis.LEGAL_TASK: "GDPR art. 6(1)(e)"}


def receipt_id(consent: Consent, event: str) -> str:
    """Stable and unique per event: a name-based UUID of the consent's URL and the event."""
    name = f"{settings.SITE_URL.rstrip('/')}/toestemmingen/bewijs/{consent.pk}/{event}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def receipt_events(consent: Consent) -> list[str]:
    return [GIVEN, WITHDRAWN] if consent.withdrawn_at else [GIVEN]


def _iso(value) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def consent_receipt(consent: Consent, event: str) -> dict:
    """The receipt as JSON values. `consent` comes with doelbinding__organisation and version."""
    version = consent.version
    organisation = consent.doelbinding.organisation
    site = settings.SITE_URL.rstrip("/")
    at = consent.given_at if event == GIVEN else consent.withdrawn_at
    return {
        "schema": RECEIPT_SCHEMA,
        "record_id": receipt_id(consent, event),
        "event": event,
        "event_time": _iso(at),
        "state": "active" if consent.active else "withdrawn",
        "controller": {
            "name": organisation.name,
            "oin": organisation.oin,
            "contact_email": organisation.email,
            "website": organisation.website,
        },
        "purpose": {
            "id": activity_id_for(consent.doelbinding),
            "name": version.name,
            "text": version.description,
            "version": version.number,
            "language": settings.LANGUAGE_CODE,
        },
        "legal_basis": {
            "code": version.legal_basis,
            "article": _ARTICLE.get(version.legal_basis, ""),
            "law": version.law,
        },
        "personal_data": [field.value for field in DataField if field.value in version.fields],
        "retention": version.retention,
        "withdrawal": {
            "method": "portal",
            "url": site + reverse("consent:withdraw", args=[consent.doelbinding_id]),
        },
        "recorder": {"name": "Mijn Omgeving Zakelijk", "url": site},
        "given_at": _iso(consent.given_at),
        "withdrawn_at": _iso(consent.withdrawn_at),
        "jurisdiction": "NL",
        "links": {
            "page": site + reverse("consent:receipt", args=[consent.pk, event]),
            "json": site + reverse("consent:receipt_json", args=[consent.pk, event]),
        },
    }
