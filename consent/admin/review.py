"""The reviewer's pages: purpose texts waiting for four-eyes review, approved or rejected with
a reason (consent.review.services). For the portal operator's privacy staff (the group
"Toetser doelbinding"); staff of organisations read the decisions on their own purpose's page.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consent.admin.scoping import _nobody
from consent.choices import LegalBasis, ReviewStatus
from consent.models import DoelbindingProposal
from consent.review import services
from consent.review.law import is_law_url
from consent.selectors import Purpose

DECISIONS = {"approve": services.proposal_approve, "reject": services.proposal_reject}


class ReviewStatusFilter(admin.SimpleListFilter):
    """Waiting texts first: the list opens on them."""

    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return ReviewStatus.choices

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        # "All" is the list without a filter; the default below is "waiting".
        choices[0]["display"] = _("waiting for review")
        return choices

    def queryset(self, request, queryset):
        return queryset.filter(review_status=self.value() or ReviewStatus.PROPOSED)


@admin.register(DoelbindingProposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "number", "legal_basis", "review_status", "created_at"]
    list_filter = [ReviewStatusFilter]
    list_select_related = ["doelbinding__organisation"]
    ordering = ["created_at"]
    search_fields = ["name"]
    has_add_permission = has_change_permission = has_delete_permission = _nobody

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("doelbinding__organisation", "proposed_by", "reviewed_by")
        )

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("consent.review_doelbindingproposal")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("organisation"), ordering="doelbinding__organisation__name")
    def organisation(self, obj):
        return obj.doelbinding.organisation.name

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        version = self.get_object(request, object_id)  # None for a wrong or unknown id
        if version is None:
            raise Http404
        problem = None
        if request.method == "POST":
            decide = DECISIONS.get(request.POST.get("decision", ""))
            if decide is None:
                problem = gettext("Choose approve or reject.")
            else:
                try:
                    decide(
                        version=version,
                        reviewer=request.user,
                        reason=request.POST.get("reason", ""),
                    )
                except ValidationError as error:
                    problem = error.messages[0]
                else:
                    self.message_user(request, gettext("Your decision is saved."), messages.SUCCESS)
                    return HttpResponseRedirect(
                        reverse("admin:consent_doelbindingproposal_changelist")
                    )
        legal_task = version.legal_basis == LegalBasis.LEGAL_TASK
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review: %(name)s") % {"name": version.name},
            "opts": self.model._meta,
            "version": version,
            # The portal's own rendering of a purpose (templates/consent/_purpose_details.html).
            "purpose": Purpose(version.doelbinding, version),
            "law_url_ok": is_law_url(version.law_url),
            "legal_task": legal_task,
            "may_decide": version.review_status == ReviewStatus.PROPOSED
            and services.may_review(request.user, version),
            "problem": problem,
            "reason": request.POST.get("reason", ""),
        }
        return TemplateResponse(request, "admin/consent/doelbindingproposal/review.html", context)
