"""Messages to many people in the admin: upload numbers, see who gets it, confirm, follow it.

Staff upload a CSV file of numbers with the message (notifications.admin.batch_forms); the page
after that shows how many people would get it and by which channel (a dry run of intake's
routing, notifications.intake.preview); only the confirmation puts it on the task queue, where
the worker sends it person by person through the same intake as a single message. The batch's
page shows the progress and the result, as GET /bulkmeldingen/{id} does for the API.
"""

import uuid

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent.admin import OrganisationScopedAdmin, own_organisation_ids
from consent.choices import Reason
from notifications.admin.batch_forms import BatchUploadForm
from notifications.admin.forms import sendable_doelbindingen
from notifications.choices import BatchSource, BatchStatus, Channel, DeliveryStatus
from notifications.intake.batches import (
    batch_confirm,
    batch_create,
    batch_resume,
    batch_state,
)
from notifications.intake.preview import batch_preview_start, stored_preview
from notifications.models import NotificationBatch

CONFIRMED = _("The message will be sent. This page shows how far it is.")
ALREADY = _("This message was confirmed already.")
CHANNELS = dict(Channel.choices)
STATUSES = dict(DeliveryStatus.choices)


def reason_label(code: str) -> str:
    labels = dict(Reason.choices) | {
        "not_found": gettext("nobody with this number uses the portal"),
        "invalid_identifier": gettext("not a valid number"),
    }
    return str(labels.get(code, code))


@admin.register(NotificationBatch)
class NotificationBatchAdmin(OrganisationScopedAdmin):
    list_display = ["subject", "organisation", "source", "status", "recipient_count"]
    list_display += ["processed_count", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["subject", "case_reference"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "organisation",
        "doelbinding",
        "source",
        "requested_by",
        "status",
        "progress",
        "accepted",
        "duplicates",
        "refusals",
        "deliveries",
        "kind",
        "subject",
        "body",
        "link",
        "case_reference",
        "created_at",
        "finished_at",
    ]

    actions = ["process_again"]

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Process again (the worker stopped)"), permissions=["add"])
    def process_again(self, request, queryset):
        done = sum(batch_resume(batch=batch) for batch in queryset)
        text = gettext("Messages to many people put back in the queue: %(count)d.")
        self.message_user(request, text % {"count": done}, messages.INFO)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "doelbinding")
            .defer("numbers")
            .exclude(status=BatchStatus.DRAFT)
        )

    # --- the result, read in two queries (batch_state) -----------------------------------------

    def _state(self, obj):
        if not hasattr(obj, "_state_cache"):
            obj._state_cache = batch_state(obj)
        return obj._state_cache

    @admin.display(description=_("progress"))
    def progress(self, obj):
        return gettext("%(done)d of %(total)d numbers processed") % {
            "done": obj.processed_count,
            "total": obj.recipient_count,
        }

    @admin.display(description=_("accepted for sending"))
    def accepted(self, obj):
        return self._state(obj).accepted

    @admin.display(description=_("not sent again (same case shortly before)"))
    def duplicates(self, obj):
        return self._state(obj).duplicates

    @admin.display(description=_("refused"))
    def refusals(self, obj):
        refused = self._state(obj).refused
        if not refused:
            return "0"
        return "; ".join(f"{reason_label(r)}: {n}" for r, n in sorted(refused.items()))

    @admin.display(description=_("deliveries per channel"))
    def deliveries(self, obj):
        rows = self._state(obj).deliveries
        if not rows:
            return "-"
        return "; ".join(
            f"{CHANNELS.get(c, c)}, {STATUSES.get(s, s)}: {n}" for (c, s), n in rows.items()
        )

    # --- upload, preview, confirm ----------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:batch_id>/confirm/",
                view(self.confirm_view),
                name="notifications_notificationbatch_confirm",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = BatchUploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            doelbindingen=sendable_doelbindingen(own_organisation_ids(request)),
        )
        if form.is_valid():
            draft = self._draft(request, form)
            if draft is not None:
                url = reverse("admin:notifications_notificationbatch_confirm", args=[draft.pk])
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send one message to many people"),
            "opts": self.model._meta,
            "adminform": helpers.AdminForm(form, [(None, {"fields": form.FIELDS})], {}),
            "form": form,
            "errors": helpers.AdminErrorList(form, []),
        }
        return TemplateResponse(
            request, "admin/notifications/notificationbatch/upload.html", context
        )

    def _draft(self, request, form) -> NotificationBatch | None:
        data = form.cleaned_data
        doelbinding = data["doelbinding"]
        try:
            batch, _created = batch_create(
                organisation=doelbinding.organisation,
                doelbinding=doelbinding,
                source=BatchSource.ADMIN,
                requested_by=request.user.get_username(),
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                link=data["link"],
                case_reference=data["case_reference"],
                idempotency_key=f"admin-{uuid.uuid4()}",
                numbers=data["numbers_file"],
                status=BatchStatus.DRAFT,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return None
        batch_preview_start(batch=batch)
        return batch

    def confirm_view(self, request, batch_id: int):
        if not self.has_add_permission(request):
            raise PermissionDenied
        batch = (
            NotificationBatch.objects.filter(pk=batch_id, requested_by=request.user.get_username())
            .select_related("organisation", "doelbinding")
            .first()
        )
        if batch is None or not self.in_scope(request, batch):
            raise Http404
        change = reverse("admin:notifications_notificationbatch_change", args=[batch.pk])
        if batch.status != BatchStatus.DRAFT:
            messages.info(request, ALREADY)
            return HttpResponseRedirect(change)
        if request.method == "POST":
            if batch_confirm(batch=batch):
                self.log_addition(request, batch, [{"added": {}}])
                messages.success(request, CONFIRMED)
            else:
                messages.info(request, ALREADY)
            return HttpResponseRedirect(change)
        preview = stored_preview(batch)
        refused = batch.preview.get("purpose_refused")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Check and confirm"),
            "opts": self.model._meta,
            "batch": batch,
            "preview": preview,
            "refused": reason_label(refused) if refused else None,
            "counting": not batch.preview,
            "channels": [(CHANNELS[c], preview.channels.get(c, 0)) for c in CHANNELS if preview],
            "refusals": [(reason_label(r), n) for r, n in sorted(preview.refused.items()) if n]
            if preview
            else [],
            "channel_refusals": [
                (reason_label(r), n) for r, n in sorted(preview.channel_refusals.items())
            ]
            if preview
            else [],
        }
        return TemplateResponse(
            request, "admin/notifications/notificationbatch/confirm.html", context
        )
