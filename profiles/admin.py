from django.contrib import admin

from profiles.models import Identity, LoginEvent, Profile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Audit records are evidence: nobody adds, changes or deletes them here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "method", "level", "identity", "success", "reason"]
    list_filter = ["kind", "method", "level", "success"]
    list_select_related = ["identity"]
    date_hierarchy = "at"


@admin.register(Identity)
class IdentityAdmin(ReadOnlyAdmin):
    list_display = ["type", "value", "branch", "created_at"]
    list_filter = ["type"]
    search_fields = ["value"]


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "identity", "created_at", "updated_at"]
    list_select_related = ["identity"]
    search_fields = ["display_name", "identity__value"]
