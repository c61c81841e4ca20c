from django.contrib import admin

from core.admin_view_only import ViewOnlyAdminMixin
from profiles.admin.search import ExactSearchAdmin
from profiles.admin.shown import ShownToStaffAdmin
from profiles.models import Identity, LoginEvent, Profile


class ReadOnlyAdmin(ViewOnlyAdminMixin, ShownToStaffAdmin):
    """Audit records are evidence: nobody adds, changes or deletes them here.

    Only superusers see them: they hold identity numbers, and municipal staff have no business
    with a person's login history.
    """

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    shown_fields = ("identity", "logins")
    list_display = ["at", "kind", "method", "level", "identity", "success", "reason"]
    list_filter = ["kind", "method", "level", "success"]
    list_select_related = ["identity"]
    date_hierarchy = "at"


@admin.register(Identity)
class IdentityAdmin(ExactSearchAdmin, ReadOnlyAdmin):
    shown_fields = ("identity",)
    # The list masks the number; the detail page shows it (and records that it did).
    list_display = ["masked", "created_at"]
    list_filter = ["type"]

    def identity_of(self, obj):
        return obj


@admin.register(Profile)
class ProfileAdmin(ExactSearchAdmin, ReadOnlyAdmin):
    shown_fields = ("identity", "name", "contact_preference", "language")
    list_display = ["__str__", "created_at", "updated_at"]
    list_select_related = ["identity"]
    identity_path = "identity"
    contact_path = "contact_details"


# Registered here because the admin's URLs are built once, from what is registered at import.
from profiles.admin import audit_trail as admin_audit_trail  # noqa: E402,F401
from profiles.admin import terugmelding as admin_terugmelding  # noqa: E402,F401
