"""What of this app is in the audit trail (django-auditlog), with the staff user as actor."""

from auditlog.registry import auditlog

from consent.models import (
    ApiClient,
    ApiClientPurpose,
    Consent,
    Doelbinding,
    DoelbindingVersion,
    Organisation,
)


def register_audited_models() -> None:
    auditlog.register(Organisation, m2m_fields={"staff"})
    auditlog.register(Doelbinding)
    auditlog.register(DoelbindingVersion)
    auditlog.register(Consent)
    auditlog.register(ApiClient, exclude_fields=["token_hash"])
    auditlog.register(ApiClientPurpose)
