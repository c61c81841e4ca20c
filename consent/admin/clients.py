"""API clients in the admin: made by one person, confirmed by another, tied to purposes, and
their daily volumes with the unusual days flagged. Each step is its own permission:
add_apiclient, add_apiclientpurpose, show_token_apiclient, confirm_apiclient."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent.admin import forms as admin_forms
from consent.admin.scoping import OrganisationScopedAdmin, _nobody, own_organisation_ids
from consent.clients import services
from consent.models import (
    ApiClient,
    ApiClientPurpose,
    ApiVolumeDay,
    Doelbinding,
    DoelbindingVersion,
)

TOKEN_LATER = _(
    "The API client is made. Someone who may see tokens shows its token once, on the page of "
    "the client. Someone else must also confirm the client before it works."
)
CONFIRM_NEEDED = _(
    "The API client is made. It works only after someone else of your organisation confirms it."
)
TEST_TOKEN_LATER = _(
    "The test client is made. Someone who may see tokens shows its token once, on the page of "
    "the client. It needs no confirmation."
)
TEST_CLIENT_READY = _(
    "The test client is made and works now. It only reads and sends to the test persons."
)


def _purposes(queryset):
    # str(doelbinding) reads its versions: prefetched, so a list of checkboxes costs 2 queries.
    return queryset.prefetch_related(
        Prefetch("versions", queryset=DoelbindingVersion.objects.order_by("number"))
    )


class ClientPurposeInline(admin.TabularInline):
    """The purposes this client may use. Adding one is its own permission; the API refuses
    every purpose not listed here."""

    model = ApiClientPurpose
    fields = ["doelbinding", "added_by", "added_at", "confirmed_by", "confirmed_at"]
    readonly_fields = ["added_by", "added_at", "confirmed_by", "confirmed_at"]
    extra = 0
    has_change_permission = _nobody

    def has_add_permission(self, request, obj=None):
        return (
            super().has_add_permission(request, obj) and obj is not None and obj.revoked_at is None
        )

    def get_formset(self, request, obj=None, **kwargs):
        request._client_organisation_id = obj.organisation_id if obj else None
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "doelbinding":
            kwargs["queryset"] = _purposes(
                Doelbinding.objects.filter(organisation_id=request._client_organisation_id)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ApiClient)
class ApiClientAdmin(OrganisationScopedAdmin):
    list_display = ["name", "organisation", "token_prefix", "kind", "state", "created_at"]
    list_display += ["revoked_at"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "is_test", "revoked_at"]
    list_select_related = ["organisation"]
    search_fields = ["name", "token_prefix"]
    actions = ["confirm", "revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("purpose_links")

    inlines = [ClientPurposeInline]
    change_form_template = "admin/consent/apiclient/change_form.html"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = admin_forms.ApiClientAddForm
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "purposes" in form.base_fields:
            ids = own_organisation_ids(request)
            purposes = (
                Doelbinding.objects.all()
                if ids is None
                else Doelbinding.objects.filter(organisation__in=ids)
            )
            form.base_fields["purposes"].queryset = _purposes(purposes)
        return form

    def get_fields(self, request, obj=None):
        if obj is None:
            may_tie = request.user.has_perm("consent.add_apiclientpurpose")
            return ["organisation", "name", "is_test", *(["purposes"] if may_tie else [])]
        return [
            "organisation",
            "name",
            "kind",
            "token_prefix",
            "state",
            "created_by",
            "created_at",
            "confirmed_by",
            "confirmed_at",
            "token_shown_at",
            "revoked_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else [f for f in self.get_fields(request, obj) if f != "name"]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    # A revoked client stays, so the processing log can still name it.
    has_delete_permission = _nobody

    def has_confirm_permission(self, request):
        return request.user.has_perm("consent.confirm_apiclient")

    @admin.display(description=_("kind"), ordering="is_test")
    def kind(self, obj):
        return gettext("test") if obj.is_test else gettext("live")

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.revoked_at:
            return gettext("revoked")
        if obj.confirmed_at is None:
            return gettext("waiting for confirmation by someone else")
        if any(link.confirmed_at is None for link in obj.purpose_links.all()):
            return gettext("confirmed; a purpose waits for confirmation by someone else")
        return gettext("confirmed")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        shown = request.user.has_perm("consent.show_token_apiclient")
        client, token = services.api_client_create(
            organisation=form.cleaned_data["organisation"],
            name=form.cleaned_data["name"],
            created_by=request.user,
            purposes=form.cleaned_data.get("purposes") or (),
            token_shown=shown,
            is_test=form.cleaned_data.get("is_test", False),
        )
        # The admin goes on with `obj` (log entry, response): make it the row just created.
        for field in ApiClient._meta.concrete_fields:
            setattr(obj, field.attname, getattr(client, field.attname))
        obj._state.adding = False
        request._new_api_token = token if shown else None

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        # Through the service: it checks that each purpose is the client's own organisation's.
        for link in formset.save(commit=False):
            services.api_client_purpose_add(
                client=form.instance, doelbinding=link.doelbinding, actor=request.user
            )
        for link in formset.deleted_objects:
            link.delete()

    def response_add(self, request, obj, post_url_continue=None):
        if request._new_api_token is None:
            self.message_user(
                request, TEST_TOKEN_LATER if obj.is_test else TOKEN_LATER, messages.WARNING
            )
            return HttpResponseRedirect(reverse("admin:consent_apiclient_change", args=[obj.pk]))
        if obj.is_test:
            self.message_user(request, TEST_CLIENT_READY, messages.SUCCESS)
        else:
            self.message_user(request, CONFIRM_NEEDED, messages.WARNING)
        return self._token_page(request, obj, request._new_api_token)

    def _token_page(self, request, obj, token):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Token for %(name)s") % {"name": obj.name},
            "opts": self.model._meta,
            "client": obj,
            "token": token,
        }
        # Rendered in the answer to the POST, not after a redirect: then the token never has
        # to wait in a session or a message cookie. admin_view already sends no-store.
        return TemplateResponse(request, "admin/consent/apiclient/token.html", context)

    def get_urls(self):
        token = path(
            "<path:object_id>/token/",
            self.admin_site.admin_view(self.token_view),
            name="consent_apiclient_token",
        )
        return [token, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {
            "may_show_token": obj.token_shown_at is None
            and obj.revoked_at is None
            and request.user.has_perm("consent.show_token_apiclient"),
        }
        return super().change_view(request, object_id, form_url, extra | (extra_context or {}))

    def token_view(self, request, object_id):
        """Show the token once, for a client whose maker could not see it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, object_id)
        if not (
            self.has_view_permission(request, obj)
            and request.user.has_perm("consent.show_token_apiclient")
        ):
            raise PermissionDenied
        try:
            token = services.api_client_token_issue(client=obj)
        except ValidationError as error:
            self.message_user(request, error.messages[0], messages.ERROR)
            return HttpResponseRedirect(reverse("admin:consent_apiclient_change", args=[obj.pk]))
        obj.refresh_from_db()
        return self._token_page(request, obj, token)

    @admin.action(description=_("Confirm (second person)"), permissions=["confirm"])
    def confirm(self, request, queryset):
        done = 0
        for client in queryset:
            try:
                services.api_client_confirm(client=client, actor=request.user)
                done += 1
            except ValidationError as error:
                self.message_user(request, f"{client.name}: {error.messages[0]}", messages.ERROR)
        if done:
            self.message_user(
                request,
                gettext("API clients confirmed: %(count)d.") % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Revoke"), permissions=["change"])
    def revoke(self, request, queryset):
        for client in queryset:
            services.api_client_revoke(client=client)
        self.message_user(
            request,
            gettext("API clients revoked: %(count)d.") % {"count": len(queryset)},
            messages.SUCCESS,
        )


class UnusualFilter(admin.SimpleListFilter):
    title = _("unusual day")
    parameter_name = "unusual"

    def lookups(self, request, model_admin):
        return [("yes", _("flagged as unusual"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(flagged_at__isnull=False)
        return queryset


@admin.register(ApiVolumeDay)
class ApiVolumeDayAdmin(OrganisationScopedAdmin):
    """How many people each client asked about per purpose per day; the operator watches the
    flagged days (also sent by e-mail to API_VOLUME_ALERT_EMAIL)."""

    scope_lookup = "api_client__organisation"
    list_display = ["day", "organisation", "api_client", "purpose", "volume", "usual", "flagged"]
    list_filter = [UnusualFilter, "day"]
    list_select_related = ["api_client__organisation", "doelbinding"]
    fields = readonly_fields = list_display
    has_add_permission = has_change_permission = has_delete_permission = _nobody

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "doelbinding__versions", queryset=DoelbindingVersion.objects.order_by("number")
                )
            )
        )

    @admin.display(description=_("organisation"))
    def organisation(self, obj):
        return obj.api_client.organisation.name

    @admin.display(description=_("purpose"))
    def purpose(self, obj):
        return str(obj.doelbinding)

    @admin.display(description=_("unusual"), boolean=True)
    def flagged(self, obj):
        return obj.flagged_at is not None
