"""Reporting that data from a source register is wrong ('Klopt dit niet?')."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from profiles.login.session import level_required
from profiles.registers import RegisterUnavailable
from profiles.registers.forms import TOO_MANY_REPORTS, TerugmeldingForm
from profiles.registers.selectors import register_item
from profiles.registers.services import TooManyReports, terugmelding_create

REPORT_SENT = _(
    "Thank you for your report. We pass it on to %(keeper)s. They check the details. "
    "We cannot change details in a register ourselves."
)


@require_http_methods(["GET", "HEAD", "POST"])
@level_required()
def terugmelding(request):
    profile = request.user.profile
    register, item_id = request.GET.get("register", ""), request.GET.get("item", "")
    try:
        # Looked up again here: the value to report never comes from the browser.
        item = register_item(profile, register=register, item=item_id)
    except RegisterUnavailable as exc:
        # Not a 5xx: the register module has logged it, and this page is an answer the user
        # can act on.
        context = {"unavailable": exc.user_message}
        return render(request, "profiles/terugmelding_unavailable.html", context)
    if item is None:
        raise Http404
    changed = False
    if request.method == "POST":
        form = TerugmeldingForm(request.POST)
        if form.is_valid() and form.cleaned_data["seen"] != item["fingerprint"]:
            # The register changed it after the page was shown: show the new value first.
            changed = True
            form = TerugmeldingForm(
                initial={"note": form.cleaned_data["note"], "seen": item["fingerprint"]}
            )
        elif form.is_valid():
            try:
                terugmelding_create(
                    profile=profile,
                    register=register,
                    item=item_id,
                    shown_value=item["value"],
                    note=form.cleaned_data["note"],
                )
            except TooManyReports:
                # The note stays in the form: nothing the person wrote is lost.
                limit = settings.TERUGMELDINGEN_PER_DAY
                form.add_error("note", TOO_MANY_REPORTS % {"limit": limit})
            else:
                messages.success(request, REPORT_SENT % {"keeper": item["keeper"]})
                return redirect("profiles:overview")
    else:
        form = TerugmeldingForm(initial={"seen": item["fingerprint"]})
    return render(
        request,
        "profiles/terugmelding.html",
        {
            "form": form,
            "item": item,
            "rows": [
                {
                    "key": item["label"],
                    "value": item["value"],
                    "explanation": item["explanation"],
                    "hint": item["source"],
                }
            ],
            "changed": changed,
        },
    )
