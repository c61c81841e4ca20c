"""What of this app is in the audit trail (django-auditlog), with the staff user as actor."""


def register_audited_models() -> None:
    from auditlog.registry import auditlog

    from consent.models import ApiClient, Consent, Doelbinding, DoelbindingVersion, Organisation

    auditlog.register(Organisation, m2m_fields={"staff"})
    auditlog.register(Doelbinding)
    auditlog.register(DoelbindingVersion)
    auditlog.register(Consent)
    auditlog.register(ApiClient, exclude_fields=["token_hash"])
