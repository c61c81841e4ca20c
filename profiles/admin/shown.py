"""Admin pages that show people's data record that they did, before the page leaves (LDV).

A list page records every person on that page, a detail page the one person. The record is
written by whoever listens to profiles.signals.personal_data_shown (the processing log); when
it cannot be written, staff get a page that says so instead of the data.
"""

import logging

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from profiles.signals import NotRecorded, personal_data_shown

logger = logging.getLogger(__name__)


class ShownToStaffAdmin(admin.ModelAdmin):
    """shown_fields: what of the person the pages show, as the processing log names it."""

    shown_fields: tuple[str, ...] = ()

    def identity_of(self, obj):
        """The person an object is about (mind list_select_related: one query per list)."""
        return obj.identity

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is None:  # a redirect after an action, or an error page
            return response
        return self._recorded(request, response, list(changelist.result_list))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if shown is None:
            return response
        return self._recorded(request, response, [shown])

    def _recorded(self, request, response, objects: list):
        identities = [i for i in map(self.identity_of, objects) if i is not None]
        if not identities:
            return response
        try:
            recorded = personal_data_shown.send(
                sender=type(self),
                staff=request.user,
                identities=identities,
                fields=self.shown_fields,
            )
            if not recorded:  # nobody listens, so nobody wrote it down
                raise NotRecorded("no receiver")
        except NotRecorded as exc:
            logger.warning("staff view not recorded", extra={"reason": str(exc)})
            context = {
                **self.admin_site.each_context(request),
                "title": _("These details cannot be shown now"),
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/not_recorded.html", context, status=503)
        return response
