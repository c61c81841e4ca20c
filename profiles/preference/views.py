"""The general contact preference: choose, check, save."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from profiles.choices import ContactPreference
from profiles.errors import Conflict, ContactChangeError
from profiles.flow import form_data, overview_redirect
from profiles.login.session import level_required
from profiles.preference import forms
from profiles.preference.services import contact_preference_update
from profiles.selectors import has_confirmed_email

CHANGE_LEVEL = "LOA_CHANGE_CONTACT_DETAILS"
PREFERENCE_KEY = "preference_change"

PREFERENCE_SAVED = gettext_lazy("We saved how you want to receive messages.")
PREFERENCE_UNCHANGED = gettext_lazy("You chose what was already set. Nothing has changed.")

changing = level_required(CHANGE_LEVEL)
get_or_post = require_http_methods(["GET", "HEAD", "POST"])


def _preference_page(request, form):
    context = {
        "form": form,
        "has_email": has_confirmed_email(request.user.profile),
        "email_url": reverse("profiles:contact_change", args=["e-mailadres"]),
        "back_url": reverse("profiles:overview"),
    }
    return render(request, "profiles/preference/change.html", context)


def _preference_rows(now: str, new: str, *, new_key, action_url: str = "") -> list[dict]:
    label = forms.PREFERENCE_LABELS.get
    return [
        {"key": _("Contact preference now"), "value": label(now, "")},
        {"key": new_key, "value": label(new, ""), "action_url": action_url},
    ]


@changing
@get_or_post
def preference_change(request):
    profile = request.user.profile
    pending = request.session.get(PREFERENCE_KEY) or {}
    initial = {
        "preference": pending.get("preference") or profile.contact_preference or None,
        "seen_version": profile.contact_preference_version,
    }
    form = forms.PreferenceForm(form_data(request), initial=initial)
    if not form.is_valid():
        return _preference_page(request, form)
    choice = form.cleaned_data["preference"]
    seen = form.cleaned_data["seen_version"]
    if choice == profile.contact_preference and seen == profile.contact_preference_version:
        request.session.pop(PREFERENCE_KEY, None)
        messages.info(request, PREFERENCE_UNCHANGED)
        return overview_redirect()
    if choice == ContactPreference.DIGITAL and not has_confirmed_email(profile):
        form.add_error("preference", forms.EMAIL_NEEDED)
        return _preference_page(request, form)
    request.session[PREFERENCE_KEY] = {"preference": choice, "seen_version": seen}
    return redirect("profiles:preference_check")


@changing
@get_or_post
def preference_check(request):
    profile = request.user.profile
    pending = request.session.get(PREFERENCE_KEY)
    form = forms.PreferenceCheckForm(form_data(request), initial=pending)
    if form.is_valid():
        choice = form.cleaned_data["preference"]
        try:
            contact_preference_update(
                profile=profile, preference=choice, seen_version=form.cleaned_data["seen_version"]
            )
        except Conflict:
            return _preference_conflict(request, choice)
        except ContactChangeError as exc:
            if exc.code != "email_needed_for_digital":
                raise
            # The e-mail address went away after the choice was made (another tab, a removal).
            seen = form.cleaned_data["seen_version"]
            retry = forms.PreferenceForm({"preference": choice, "seen_version": seen})
            retry.is_valid()
            retry.add_error("preference", forms.EMAIL_NEEDED)
            return _preference_page(request, retry)
        request.session.pop(PREFERENCE_KEY, None)
        messages.success(request, PREFERENCE_SAVED)
        return overview_redirect()
    if request.method == "POST" or not pending:
        # Nothing chosen yet in this session, or tampered hidden fields: ask the question again.
        return redirect("profiles:preference")
    rows = _preference_rows(
        profile.contact_preference,
        pending["preference"],
        new_key=_("New contact preference"),
        action_url=reverse("profiles:preference"),
    )
    return render(
        request,
        "profiles/preference/check.html",
        {"form": form, "rows": rows, "back_url": reverse("profiles:preference")},
    )


def _preference_conflict(request, choice: str):
    profile = request.user.profile
    profile.refresh_from_db(fields=["contact_preference", "contact_preference_version"])
    rows = _preference_rows(profile.contact_preference, choice, new_key=_("Your change"))
    form = forms.PreferenceCheckForm(
        initial={"preference": choice, "seen_version": profile.contact_preference_version}
    )
    return render(
        request,
        "profiles/preference/conflict.html",
        {"form": form, "rows": rows},
        status=409,
    )
