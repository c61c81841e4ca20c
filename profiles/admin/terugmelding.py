"""Staff handle reports of wrong register data ('terugmeldingen') here.

What the user reported stays as they sent it; staff only move the status and keep a note.
Only the portal operator's handlers (profiles.staff.roles) see them: a report holds a person's
BRP name, and no organisation's staff have any business with it.
Imported from profiles/admin.py so that the registration runs with the admin's autodiscovery.
"""

from django.contrib import admin

from profiles.admin.shown import ShownToStaffAdmin
from profiles.models import Terugmelding
from profiles.staff.roles import handles_register_reports

USER_FIELDS = ["profile", "register", "item", "shown_value", "note", "created_at", "updated_at"]


@admin.register(Terugmelding)
class TerugmeldingAdmin(ShownToStaffAdmin):
    shown_fields = ("register_report",)
    list_display = ["created_at", "register", "item", "status", "profile"]
    list_filter = ["status", "register"]
    search_fields = ["item"]
    list_select_related = ["profile__identity"]
    date_hierarchy = "created_at"
    fields = [*USER_FIELDS, "status", "staff_note"]
    readonly_fields = USER_FIELDS

    def identity_of(self, obj):
        return obj.profile.identity

    def has_module_permission(self, request):
        return handles_register_reports(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return handles_register_reports(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return handles_register_reports(request.user) and super().has_change_permission(
            request, obj
        )

    def has_add_permission(self, request):
        # A report only ever comes from the user who saw the data.
        return False

    def has_delete_permission(self, request, obj=None):
        # Reports are evidence of what the user told us.
        return False
