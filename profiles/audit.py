"""The audit trail (django-auditlog) with who changed what and how they were logged in."""

from auditlog.middleware import AuditlogMiddleware
from auditlog.registry import auditlog

from profiles.login.session import current_login
from profiles.models import ContactDetail, PostalAddress, Profile


class PortalAuditlogMiddleware(AuditlogMiddleware):
    """Adds the login method and level (or 'staff') to every audit entry of the request."""

    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        login = current_login(request) if hasattr(request, "user") else None
        if login:
            data["additional_data"] = {"login_method": login["method"], "level": login["level"]}
        elif getattr(request, "user", None) is not None and request.user.is_staff:
            data["additional_data"] = {"actor_kind": "staff"}
        return data


# The trail keeps old and new values for the person's history page, encrypted: django-auditlog
# passes them through its mask callable, which here seals them (core.crypto).
SEAL = "core.crypto.seal_for_audit"
ADDRESS_VALUES = [
    "street",
    "house_number",
    "house_letter",
    "addition",
    "postcode",
    "city",
    "foreign_lines",
]


def register_audited_models() -> None:
    auditlog.register(
        ContactDetail,
        include_fields=["value", "verified_at"],
        mask_fields=["value"],
        mask_callable=SEAL,
    )
    auditlog.register(
        PostalAddress,
        exclude_fields=["version", "updated_at", "bag_id"],
        mask_fields=ADDRESS_VALUES,
        mask_callable=SEAL,
    )
    auditlog.register(Profile, include_fields=["contact_preference", "language"])
