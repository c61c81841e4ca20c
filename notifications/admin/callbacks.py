"""Staff of an organisation see its callback addresses and every attempt to reach them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from consent.admin import OrganisationScopedAdmin
from core.admin_view_only import ViewOnlyAdminMixin
from notifications.callbacks.models import CallbackEndpoint, CallbackMessage


class ReadOnly(ViewOnlyAdminMixin, OrganisationScopedAdmin):
    """Addresses are registered through the API by the client itself, with its secret shown
    there once; staff follow what happens and never see the secret."""


@admin.register(CallbackEndpoint)
class CallbackEndpointAdmin(ReadOnly):
    scope_lookup = "api_client__organisation"
    list_display = ["url", "api_client", "active", "created_at"]
    list_filter = ["active"]
    list_select_related = ["api_client"]
    fields = ["url", "api_client", "active", "created_at"]
    readonly_fields = fields


@admin.register(CallbackMessage)
class CallbackMessageAdmin(ReadOnly):
    scope_lookup = "endpoint__api_client__organisation"
    list_display = [
        "created_at",
        "message",
        "status",
        "endpoint",
        "state",
        "attempts",
        "last_result",
        "next_attempt_at",
    ]
    list_filter = ["state"]
    list_select_related = ["endpoint", "event__delivery"]
    date_hierarchy = "created_at"
    fields = list_display
    readonly_fields = list_display

    @admin.display(description=_("message"))
    def message(self, obj):
        return obj.event.delivery.notification_id

    @admin.display(description=_("status"))
    def status(self, obj):
        return f"{obj.event.delivery.get_channel_display()}: {obj.event.status}"
