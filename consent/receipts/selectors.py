"""Reads for receipts: only the person's own consents."""

from consent.models import Consent
from profiles.models import Profile


def consent_for_receipt(profile: Profile, consent_id: int) -> Consent | None:
    return (
        Consent.objects.filter(profile=profile, pk=consent_id)
        .select_related("doelbinding__organisation", "version")
        .first()
    )
