"""'Wie mag mijn gegevens gebruiken?': purposes, and the person's consent to them.

Giving or withdrawing consent is not a change of contact details, so any login level will do.
The person only ever acts on their own consents (request.user.profile); the rules live in
consent.services.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from consent.forms import GiveConsentForm
from consent.organisation_text import organisation_text, sentence_with
from consent.selectors import (
    active_consent,
    consent_history,
    purpose_open_for_consent,
    purposes_by_organisation,
)
from consent.services import NOT_OPEN_FOR_CONSENT, consent_give, consent_withdraw
from profiles.login.session import level_required

TEXT_CHANGED = _(
    "The text changed while you were reading it. We did not save your consent. "
    "Read the new text below. Do you agree? Then give consent again."
)
PAGE_OUT_OF_DATE = _(
    "This page was out of date. We did not save your consent. Read the text below and try again."
)
CONSENT_GIVEN = _("You gave consent. %(organisation)s may now use your details for “%(purpose)s”.")
CONSENT_WITHDRAWN = _(
    "You withdrew your consent. %(organisation)s may no longer use your details for “%(purpose)s”."
)
NO_CONSENT_TO_WITHDRAW = _("You have not given consent for this purpose. Nothing has changed.")


@require_safe
@level_required()
def overview(request):
    groups = purposes_by_organisation(request.user.profile)
    return render(request, "consent/overview.html", {"groups": groups})


def _give_page(request, purpose, *, problem=None, status=200):
    context = {"purpose": purpose, "form": GiveConsentForm(initial={"version": purpose.version.pk})}
    context["problem"] = problem
    return render(request, "consent/give.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@level_required()
def consent_give_view(request, doelbinding_id: int):
    profile = request.user.profile
    purpose = purpose_open_for_consent(profile, doelbinding_id)
    if purpose is None:
        raise Http404
    if request.method == "GET":
        return _give_page(request, purpose)

    form = GiveConsentForm(request.POST)
    if not form.is_valid():
        return _give_page(request, purpose, problem=PAGE_OUT_OF_DATE, status=400)
    try:
        consent_give(
            profile=profile,
            doelbinding=purpose.doelbinding,
            version_id=form.cleaned_data["version"],
        )
    except ValidationError:
        # The text changed since the page was shown, or the purpose closed meanwhile.
        current = purpose_open_for_consent(profile, doelbinding_id)
        if current is None:
            messages.warning(request, NOT_OPEN_FOR_CONSENT)
            return redirect("consent:overview")
        return _give_page(request, current, problem=TEXT_CHANGED, status=409)
    messages.success(
        request,
        sentence_with(
            CONSENT_GIVEN,
            organisation=purpose.organisation,
            purpose=organisation_text(purpose.version.name),
        ),
    )
    return redirect("consent:overview")


@require_http_methods(["GET", "HEAD", "POST"])
@level_required()
def consent_withdraw_view(request, doelbinding_id: int):
    profile = request.user.profile
    consent = active_consent(profile, doelbinding_id)
    if consent is None:
        # Already withdrawn (another tab) or never given: say so instead of a dead end.
        messages.info(request, NO_CONSENT_TO_WITHDRAW)
        return redirect("consent:overview")
    if request.method == "GET":
        return render(request, "consent/withdraw.html", {"consent": consent})

    consent_withdraw(profile=profile, doelbinding=consent.doelbinding)
    messages.success(
        request,
        sentence_with(
            CONSENT_WITHDRAWN,
            organisation=consent.doelbinding.organisation,
            purpose=organisation_text(consent.version.name),
        ),
    )
    return redirect("consent:overview")


@require_safe
@level_required()
def history(request):
    return render(request, "consent/history.html", {"rows": consent_history(request.user.profile)})
