"""The audit trail's own admin page (django-auditlog), without people's data in it.

An entry about a person's data (a contact detail, an address, a profile, a consent) names the
person in its description and holds the old and new values. Looking at those would be a look
at a person's data without a record in the processing log; this page shows what changed, when
and by whom, and masks the values and the description instead. Only entries about the portal's
own things (organisations, purposes, API clients, staff accounts and their logins) show values:
a model not on that list is masked, so a model registered later is masked until it is added.
The search looks in neither values nor descriptions, so it cannot tell whether a value is there.
"""

import copy

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from auditlog.render import render_logentry_changes_html
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# app_label.model of the entries that hold no person's data.
VALUES_SHOWN = frozenset(
    {
        "consent.organisation",
        "consent.doelbinding",
        "consent.doelbindingversion",
        "consent.apiclient",
        "auth.user",
        "auth.group",
    }
)
MASK = "•••"


def about_a_person(entry: LogEntry) -> bool:
    content_type = entry.content_type
    return f"{content_type.app_label}.{content_type.model}" not in VALUES_SHOWN


def masked(entry: LogEntry) -> LogEntry:
    """A copy to show, never to save: the description and every value masked."""
    shown = copy.copy(entry)
    shown.object_repr = f"{entry.content_type.name} #{entry.object_pk}"
    shown.changes = {field: [MASK, MASK] for field in (entry.changes_dict or {})}
    return shown


class PortalLogEntryAdmin(LogEntryAdmin):
    search_fields = ["actor__username", "actor__first_name", "actor__last_name"]

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        return masked(entry) if entry is not None and about_a_person(entry) else entry

    @admin.display(description=_("Resource"))
    def resource_url(self, obj):
        if about_a_person(obj):
            return masked(obj).object_repr
        return super().resource_url(obj)

    @admin.display(description=_("Changes"))
    def msg(self, obj):
        return render_logentry_changes_html(masked(obj) if about_a_person(obj) else obj)

    @admin.display(description=_("Changes"))
    def msg_short(self, obj):
        staff_login = (obj.additional_data or {}).get("staff_login")
        if obj.action == LogEntry.Action.ACCESS and staff_login:
            step = obj.additional_data.get("step") or "-"
            return format_html("{}: {} ({})", _("Staff login"), staff_login, step)
        return super().msg_short(obj)


admin.site.unregister(LogEntry)
admin.site.register(LogEntry, PortalLogEntryAdmin)
