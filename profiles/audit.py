"""The audit trail (django-auditlog) with who changed what and how they were logged in."""

from contextvars import ContextVar

from auditlog.cid import set_cid
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models.signals import pre_save

from profiles.login.session import current_login
from profiles.models import ContactDetail, PostalAddress, Profile

_request: ContextVar = ContextVar("portal_audit_request", default=None)


class PortalAuditlogMiddleware:
    """Adds the actor and the login method and level (or 'staff') to every audit entry of the
    request.

    django-auditlog's own middleware connects a signal receiver at the start of every request
    and disconnects it at the end (a lock and a cleared receiver cache each time), and reads
    the user up front: a third of the middleware's cost for a page that writes nothing. Here
    one receiver is connected at start-up (audit_entry_context) and the request is only
    remembered; the user and the login are read when an audit entry is written, the same
    fields django-auditlog's middleware fills.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_cid(request)  # the correlation id header, as django-auditlog's middleware does
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def audit_entry_context(sender, instance, **kwargs):
    request = _request.get()
    if request is None:
        return  # not in a request: a task, a command, the shell
    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    if authenticated and instance.actor_id is None:
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    port = request.META.get("HTTP_X_FORWARDED_PORT", "")
    instance.remote_port = int(port) if port.isdigit() else None
    login = current_login(request) if authenticated else None
    if login:
        instance.additional_data = {"login_method": login["method"], "level": login["level"]}
    elif authenticated and user.is_staff:
        instance.additional_data = {"actor_kind": "staff"}


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
    pre_save.connect(audit_entry_context, sender=LogEntry, dispatch_uid="profiles.audit")
