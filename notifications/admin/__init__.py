"""Notifications in the admin at /beheer/: what an organisation sent and how each channel went.

Staff see only their own organisations' notifications and deliveries (the scope of
consent.admin.OrganisationScopedAdmin), send one message from a form, decide about deliveries
whose outcome is uncertain, and download the daily batch of letters. Notifications are never
changed or deleted here: they are what the organisation said to a person.
"""

import io
import tempfile
from datetime import date

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from consent.admin import OrganisationScopedAdmin, own_organisation_ids
from consent.choices import LegalBasis, Reason
from consent.ldv import LogUnavailable
from core.api_problems import ProblemCode
from notifications.admin.forms import NO_PROFILE, NotificationSendForm, sendable_doelbindingen
from notifications.choices import Channel, DeliveryStatus, Transport
from notifications.delivery import post as post_batch
from notifications.delivery.breaker import paused_code
from notifications.delivery.render import message_id_for
from notifications.delivery.services import SENDING, delivery_mark_sent, delivery_send_again
from notifications.intake.services import (
    IntakeRefused,
    IntakeResult,
    notification_submit,
)
from notifications.models import Delivery, Notification
from profiles.models import Identity, Profile

STATUS_LABELS = dict(DeliveryStatus.choices) | {SENDING: _("uncertain: being sent or stopped")}
ACCEPTED = _("The message has been accepted for sending.")
LOG_DOWN = _("The download could not be logged, so it was stopped. Try again later.")
STILL_OPEN = _("Letters of today can be marked as sent from tomorrow.")
ERROR_LABELS = {
    paused_code(Transport.SMTP): _("waiting: the mail server does not answer"),
    paused_code(Transport.SMS): _("waiting: the SMS service does not answer"),
}


def _nobody(self, request, obj=None) -> bool:
    return False


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in STATUS_LABELS else queryset


class DuplicateFilter(admin.SimpleListFilter):
    title = _("duplicate")
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(duplicate_of__isnull=self.value() == "no")
        return queryset


def _error_label(code: str) -> str:
    # The gate's refusals and the pauses read as sentences; gateway codes (smtp_550) stay as
    # they are.
    return str(ERROR_LABELS.get(code) or dict(Reason.choices).get(code, code)) if code else "-"


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = readonly_fields = [
        "channel",
        "status_label",
        "attempts",
        "error",
        "next_attempt_at",
        "sent_at",
    ]
    extra = 0
    can_delete = False
    has_add_permission = has_change_permission = has_delete_permission = _nobody

    @admin.display(description=_("status"))
    def status_label(self, obj):
        return STATUS_LABELS.get(obj.status, obj.status)

    @admin.display(description=_("last error"))
    def error(self, obj):
        return _error_label(obj.last_error)


@admin.register(Notification)
class NotificationAdmin(OrganisationScopedAdmin):
    list_display = ["subject", "channels", "kind", "person", "case_reference", "organisation"]
    list_display += ["test", "created_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "kind", DuplicateFilter]
    list_filter += [("recipient__is_test", admin.BooleanFieldListFilter)]
    # The person's number is not searchable: staff could otherwise probe who uses the portal.
    search_fields = ["case_reference"]  # the subject is encrypted
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    fields = readonly_fields = [
        "organisation",
        "purpose",
        "person",
        "kind",
        "subject",
        "body",
        "link",
        "case_reference",
        "created_at",
        "duplicate",
        "idempotency_key",
        "test",
    ]

    has_change_permission = has_delete_permission = _nobody

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "recipient__identity")
            .prefetch_related(Prefetch("deliveries", queryset=Delivery.objects.order_by("pk")))
        )

    @admin.display(description=_("person"))
    def person(self, obj):
        return obj.recipient.identity.masked  # tells people apart, never the full number

    @admin.display(description=_("purpose"))
    def purpose(self, obj):
        return str(obj.doelbinding)

    # A test API client's message to a test person (profiles.test_persons): sent to a sink.
    @admin.display(description=_("test"), boolean=True)
    def test(self, obj):
        return obj.recipient.is_test

    @admin.display(description=_("channels"))
    def channels(self, obj):
        if obj.duplicate_of_id:
            return gettext("none: duplicate")
        return ", ".join(
            f"{d.get_channel_display()}: {STATUS_LABELS.get(d.status, d.status)}"
            for d in obj.deliveries.all()
        )

    @admin.display(description=_("duplicate"))
    def duplicate(self, obj):
        # Not a link: the first message may be another organisation's.
        if obj.duplicate_of_id is None:
            return gettext("no")
        return gettext("yes: this case was sent to this person shortly before; nothing was sent")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        doelbindingen = sendable_doelbindingen(own_organisation_ids(request))
        form = NotificationSendForm(
            request.POST if request.method == "POST" else None, doelbindingen=doelbindingen
        )
        result = self._submit(request, form) if form.is_valid() else None
        if result is not None:
            if result.created:  # not when the same form came in twice
                self.log_addition(request, result.notification, [{"added": {}}])
            messages.success(request, ACCEPTED)
            url = reverse("admin:notifications_notification_change", args=[result.notification.pk])
            return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send a message"),
            "opts": self.model._meta,
            "adminform": helpers.AdminForm(form, [(None, {"fields": form.FIELDS})], {}),
            "form": form,
            "errors": helpers.AdminErrorList(form, []),
        }
        return TemplateResponse(request, "admin/notifications/notification/send.html", context)

    def _submit(self, request, form) -> IntakeResult | None:
        data = form.cleaned_data
        recipient = Profile.objects.filter(
            identity__lookup_key=Identity.lookup_key_for(data["identity_type"], data["number"]),
            is_test=False,  # test persons are only for test API clients (profiles.test_persons)
        ).first()
        doelbinding = data["doelbinding"]
        if recipient is None:
            current = doelbinding.current_version
            if current is not None and current.legal_basis == LegalBasis.CONSENT:
                # Whether someone uses the portal is theirs to share: the same answer as for a
                # person who gave no consent (the intake refuses that one likewise).
                form.add_error(None, _refusal_text(Reason.NO_CONSENT))
            else:
                form.add_error("number", NO_PROFILE)
            return None
        try:
            return notification_submit(
                organisation=doelbinding.organisation,
                doelbinding=doelbinding,
                recipient=recipient,
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                link=data["link"],
                case_reference=data["case_reference"],
                idempotency_key=data["idempotency_key"],
            )
        except IntakeRefused as refused:
            form.add_error(None, _refusal_text(refused.code))
        except ValidationError as error:
            form.add_error(None, error)
        return None


def _refusal_text(code: str) -> str:
    if code == ProblemCode.IDEMPOTENCY_KEY_REUSED:
        return gettext("This form was already sent with other content. Open a new form.")
    label = dict(Reason.choices).get(code, code)
    return gettext("This message cannot be sent: %(reason)s.") % {"reason": label}


@admin.register(Delivery)
class DeliveryAdmin(OrganisationScopedAdmin):
    scope_lookup = "notification__organisation"
    list_display = ["notification", "organisation", "channel", "status_label", "attempts"]
    list_display += ["error", "next_attempt_at", "sent_at"]
    list_filter = [StatusFilter, "channel"]
    search_fields = ["notification__case_reference"]  # the subject is encrypted
    actions = ["send_again", "mark_sent"]
    fields = readonly_fields = [
        "notification",
        "organisation",
        "channel",
        "status_label",
        "attempts",
        "error",
        "next_attempt_at",
        "sent_at",
        "fallback_for",
        "message_id",
    ]

    has_add_permission = has_change_permission = has_delete_permission = _nobody

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("notification__organisation", "fallback_for")
            .order_by("-pk")
        )

    def has_decide_permission(self, request):
        return request.user.has_perm("notifications.change_delivery")

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return obj.notification.organisation.name

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return STATUS_LABELS.get(obj.status, obj.status)

    @admin.display(description=_("last error"))
    def error(self, obj):
        return _error_label(obj.last_error)

    @admin.display(description=_("Message-ID (to look up in the mail server's log)"))
    def message_id(self, obj):
        return message_id_for(obj) if obj.channel == Channel.EMAIL else "-"

    @admin.action(description=_("Send again"), permissions=["decide"])
    def send_again(self, request, queryset):
        done = sum(delivery_send_again(delivery=d) for d in queryset)
        self.message_user(
            request, gettext("Deliveries sent again: %(count)d.") % {"count": done}, messages.INFO
        )

    @admin.action(
        description=_("Mark as sent (found in the mail server's log)"), permissions=["decide"]
    )
    def mark_sent(self, request, queryset):
        done = sum(delivery_mark_sent(delivery=d) for d in queryset)
        text = gettext("Deliveries marked as sent: %(count)d.") % {"count": done}
        self.message_user(request, text, messages.INFO)

    # --- the daily batch of letters ---------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("post/", view(self.post_batch_view), name="notifications_delivery_post"),
            path(
                "post/<str:day>/csv/",
                view(self.post_batch_download),
                name="notifications_delivery_post_csv",
            ),
            path(
                "post/<str:day>/sent/",
                view(require_POST(self.post_batch_sent)),
                name="notifications_delivery_post_sent",
            ),
            *super().get_urls(),
        ]

    def _day(self, request, day: str) -> date:
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            return date.fromisoformat(day)
        except ValueError:
            raise Http404 from None

    def post_batch_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Letters for the print and mail service"),
            "opts": self.model._meta,
            "days": post_batch.post_batch_days(organisation_ids=own_organisation_ids(request)),
            "can_mark": self.has_decide_permission(request),
        }
        return TemplateResponse(request, "admin/notifications/delivery/post_batch.html", context)

    def post_batch_download(self, request, day):
        day = self._day(request, day)
        spool = tempfile.SpooledTemporaryFile(max_size=2**20)  # noqa: SIM115 - FileResponse closes it
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        try:
            post_batch.post_batch_csv_write(
                text, day=day, organisation_ids=own_organisation_ids(request)
            )
        except LogUnavailable:
            text.close()
            messages.error(request, LOG_DOWN)
            return HttpResponseRedirect(reverse("admin:notifications_delivery_post"))
        text.flush()
        text.detach()
        spool.seek(0)
        return FileResponse(
            spool,
            as_attachment=True,
            filename=f"brieven-{day:%Y-%m-%d}.csv",
            content_type="text/csv; charset=utf-8",
        )

    def post_batch_sent(self, request, day):
        day = self._day(request, day)
        if not self.has_decide_permission(request):
            raise PermissionDenied
        try:
            sent, refused = post_batch.post_batch_mark_sent(
                day=day, organisation_ids=own_organisation_ids(request)
            )
        except post_batch.BatchStillOpen:
            messages.error(request, STILL_OPEN)
        else:
            messages.success(
                request,
                gettext("Letters marked as sent: %(sent)d. Not allowed any more: %(refused)d.")
                % {"sent": sent, "refused": refused},
            )
        return HttpResponseRedirect(reverse("admin:notifications_delivery_post"))


# Registered at import too: the message to many people, the status callbacks' lists, and the
# task workers' list (a concept of its own: operations, not messages).
from notifications.admin import batches, workers  # noqa: E402,F401
from notifications.admin import callbacks as admin_callbacks  # noqa: E402,F401
