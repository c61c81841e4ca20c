"""The scope every admin page of this app keeps: staff see and change only their own
organisations' rows; superusers see everything."""

from django.contrib import admin
from django.http import Http404

from consent.models import Organisation


def _nobody(self, request, obj=None) -> bool:
    return False


def _superuser_only(self, request, obj=None) -> bool:
    return request.user.is_superuser


def own_organisation_ids(request) -> frozenset[int] | None:
    """The organisations this user works for; None for a superuser, who sees them all."""
    if request.user.is_superuser:
        return None
    if not hasattr(request, "_own_organisation_ids"):
        request._own_organisation_ids = frozenset(
            request.user.organisations.values_list("pk", flat=True)
        )
    return request._own_organisation_ids


class OrganisationScopedAdmin(admin.ModelAdmin):
    scope_lookup = "organisation"  # the path from this model to its Organisation

    def organisation_id_of(self, obj) -> int:
        *hops, last = self.scope_lookup.split("__")
        for hop in hops:
            obj = getattr(obj, hop)
        return getattr(obj, f"{last}_id")

    def in_scope(self, request, obj) -> bool:
        ids = own_organisation_ids(request)
        return obj is None or ids is None or self.organisation_id_of(obj) in ids

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = own_organisation_ids(request)
        if ids is None:
            return queryset
        return queryset.filter(**{f"{self.scope_lookup}__in": ids})

    def get_object(self, request, object_id, from_field=None):
        # Django would redirect to the index with a message; a plain 404 says nothing about
        # whether another organisation's object exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_add_permission(self, request):
        ids = own_organisation_ids(request)
        return super().has_add_permission(request) and (ids is None or bool(ids))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = own_organisation_ids(request)
        if db_field.related_model is Organisation and ids is not None:
            kwargs["queryset"] = Organisation.objects.filter(pk__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
