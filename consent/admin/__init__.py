"""The admin at /beheer/ for staff of organisations: doelbindingen, consent records, API clients.

Staff see and change only what belongs to their own organisations (user.organisations);
superusers see everything. The scope is enforced in the querysets and in every permission check,
so a direct URL or a tampered form cannot reach another organisation's rows.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent import services
from consent.admin import clients, review  # noqa: F401 - they register their pages
from consent.admin import forms as admin_forms
from consent.admin.export import consent_counts_csv
from consent.admin.scoping import (  # noqa: F401 - notifications.admin uses them too
    OrganisationScopedAdmin,
    _nobody,
    _superuser_only,
    own_organisation_ids,
)
from consent.choices import DataField, LegalBasis, ReviewStatus
from consent.models import Consent, Doelbinding, DoelbindingVersion, Organisation


def _approved(field: str) -> Subquery:
    """A field of the version in force: the newest approved one."""
    approved = DoelbindingVersion.objects.filter(
        doelbinding=OuterRef("pk"), review_status=ReviewStatus.APPROVED
    ).order_by("-number")
    return Subquery(approved.values(field)[:1])


def _current(field: str) -> Coalesce:
    """A field of the version in force, else of the newest proposal (a purpose's first text)."""
    newest = DoelbindingVersion.objects.filter(doelbinding=OuterRef("pk")).order_by("-number")
    return Coalesce(_approved(field), Subquery(newest.values(field)[:1]))


class VersionInline(admin.TabularInline):
    """Every text proposed, with the reviewer's decision and reason. Read-only: versions are
    never edited; only an approved one is ever shown to the ondernemer."""

    model = DoelbindingVersion
    fields = readonly_fields = [
        "number",
        "name",
        "legal_basis",
        "data_used",
        "created_at",
        "review_status",
        "decided_at",
        "review_reason",
    ]
    ordering = ["-number"]
    extra = 0
    can_delete = False

    has_add_permission = has_change_permission = has_delete_permission = _nobody

    @admin.display(description=_("data this purpose may use"))
    def data_used(self, version):
        return ", ".join(
            str(label) for value, label in DataField.choices if value in version.fields
        )


PROPOSED_FOR_REVIEW = _(
    "The new text waits for review by the website. Until a reviewer approves it, nobody uses it: "
    "the approved text (if there is one) stays in force."
)


@admin.register(Doelbinding)
class DoelbindingAdmin(OrganisationScopedAdmin):
    form = admin_forms.DoelbindingForm
    inlines = [VersionInline]
    list_display = ["name", "organisation", "status", "legal_basis", "valid_from", "valid_until"]
    list_filter = [
        "status",
        admin_forms.LegalBasisFilter,
        ("organisation", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["organisation"]
    search_fields = ["versions__name", "versions__description"]
    readonly_fields = ["status", "current_version_number", "withdrawn_reason"]
    actions = ["activate", "withdraw", "export_consent_counts"]
    fieldsets = admin_forms.DOELBINDING_FIELDSETS

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_name=_current("name"),
                current_legal_basis=_current("legal_basis"),
                current_number=_approved("number"),
            )
            # str(doelbinding) reads the versions (the list's checkbox labels use it).
            .prefetch_related(
                Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
            )
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # The text fields live on the form only; a viewer reads the texts in the versions below.
        if self.has_change_permission(request, obj):
            return fieldsets
        return [(title, opts) for title, opts in fieldsets if "data" not in opts["fields"]]

    def get_readonly_fields(self, request, obj=None):
        # Consents were given to this organisation: moving the purpose would hand them to another.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "organisation"] if obj else fields

    def get_urls(self):
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="consent_doelbinding_export",
        )
        return [export, *super().get_urls()]

    # Versions and consents are evidence: a purpose is withdrawn, never deleted.
    has_delete_permission = _nobody

    @admin.display(description=_("name"), ordering="current_name")
    def name(self, obj):
        return obj.current_name or f"#{obj.pk}"

    @admin.display(description=_("legal basis"), ordering="current_legal_basis")
    def legal_basis(self, obj):
        return dict(LegalBasis.choices).get(obj.current_legal_basis, "-")

    @admin.display(description=_("current version"))
    def current_version_number(self, obj):
        return getattr(obj, "current_number", None) or "-"

    def save_model(self, request, obj, form, change):
        if not change or form.working_copy_changed():
            obj.save()
        version = services.doelbinding_version_save(
            doelbinding=obj, fields=form.chosen_fields(), author=request.user, **form.version_text()
        )
        if version.review_status == ReviewStatus.PROPOSED:
            self.message_user(request, PROPOSED_FOR_REVIEW, messages.WARNING)

    @admin.action(description=_("Activate"), permissions=["change"])
    def activate(self, request, queryset):
        done = 0
        for doelbinding in queryset:
            try:
                services.doelbinding_activate(doelbinding=doelbinding)
                done += 1
            except ValidationError as error:
                self.message_user(request, error.messages[0], messages.ERROR)
        self.message_user(
            request, gettext("Purposes made active: %(count)d.") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("Withdraw"), permissions=["change"])
    def withdraw(self, request, queryset):
        form = admin_forms.WithdrawForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            for doelbinding in queryset:
                services.doelbinding_withdraw(
                    doelbinding=doelbinding, reason=form.cleaned_data["reason"]
                )
            self.message_user(
                request,
                gettext("Purposes withdrawn: %(count)d.") % {"count": len(queryset)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Withdraw purposes"),
            "opts": self.model._meta,
            "doelbindingen": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/consent/doelbinding/withdraw.html", context)

    @admin.action(description=_("Download consent counts (CSV)"), permissions=["view"])
    def export_consent_counts(self, request, queryset):
        return consent_counts_csv(queryset)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return consent_counts_csv(self.get_queryset(request))


@admin.register(Consent)
class ConsentAdmin(OrganisationScopedAdmin):
    """Consent is given and withdrawn by the person only: here it is evidence to read."""

    scope_lookup = "doelbinding__organisation"
    list_display = ["purpose", "version_number", "person", "given_at", "withdrawn_at", "channel"]
    list_filter = [admin_forms.ConsentStateFilter, "channel"]
    # The person's number is not searchable: staff could otherwise probe who consented.
    search_fields = ["version__name"]
    fields = readonly_fields = [
        "purpose",
        "organisation",
        "version_number",
        "person",
        "channel",
        "given_at",
        "withdrawn_at",
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("doelbinding__organisation", "version", "profile__identity")
        )

    has_add_permission = has_change_permission = has_delete_permission = _nobody

    @admin.display(description=_("purpose"), ordering="version__name")
    def purpose(self, obj):
        return obj.version.name

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return obj.doelbinding.organisation.name

    @admin.display(description=_("version read"), ordering="version__number")
    def version_number(self, obj):
        return obj.version.number

    @admin.display(description=_("person"))
    def person(self, obj):
        return str(obj.profile)  # display name, or the masked number


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    """Superusers manage organisations; staff may look at their own."""

    scope_lookup = "pk"
    form = admin_forms.OrganisationForm
    list_display = ["name", "oin", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "oin"]
    filter_horizontal = ["staff"]

    def organisation_id_of(self, obj) -> int:
        return obj.pk

    has_add_permission = has_change_permission = has_delete_permission = _superuser_only

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "staff":
            # Portal users are only session shells; staff come from the staff accounts.
            kwargs["queryset"] = get_user_model().objects.filter(is_staff=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
