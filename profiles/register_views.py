"""Source register data ('Klopt dit niet?') and the history of changes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from profiles.contact_services import terugmelding_create
from profiles.history import history_page
from profiles.register_forms import TerugmeldingForm
from profiles.register_selectors import register_item
from profiles.registers import RegisterUnavailable
from profiles.session import level_required

REPORT_SENT = _(
    "Thank you for your report. We pass it on to %(keeper)s. They check the details. "
    "We cannot change details in a register ourselves."
)


@require_GET
@level_required()
def history(request):
    profile = request.user.profile
    context = history_page(profile, request.GET.get("pagina"))
    return render(request, "profiles/history.html", context)


@require_http_methods(["GET", "POST"])
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
            terugmelding_create(
                profile=profile,
                register=register,
                item=item_id,
                shown_value=item["value"],
                note=form.cleaned_data["note"],
            )
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
