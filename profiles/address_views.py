"""Postal address (Dutch from BAG, or foreign) and the general contact preference.

The address steps keep their answers in the session per change, under a token in the query
string (`?wijziging=`): two tabs changing the address at once each keep their own answers, and
the later save meets a Conflict instead of quietly saving the other tab's address.
"""

import secrets
from dataclasses import asdict
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from profiles import address_forms as forms
from profiles.choices import ContactPreference
from profiles.contact_services import (
    Conflict,
    ContactChangeError,
    contact_preference_update,
    postal_address_update,
)
from profiles.countries import country_name
from profiles.models import PostalAddress
from profiles.registers import Address, RegisterUnavailable, bag_client
from profiles.selectors import has_confirmed_email, postal_address_for
from profiles.session import level_required

CHANGE_LEVEL = "LOA_CHANGE_CONTACT_DETAILS"
FLOWS_KEY = "address_change"
FLOW_PARAM = "wijziging"
# One unfinished change per open tab is plenty; older abandoned ones are dropped first.
MAX_FLOWS = 5
PREFERENCE_KEY = "preference_change"

ADDRESS_SAVED = gettext_lazy("We saved your new postal address.")
PREFERENCE_SAVED = gettext_lazy("We saved how you want to receive messages.")
PREFERENCE_UNCHANGED = gettext_lazy("You chose what was already set. Nothing has changed.")

changing = level_required(CHANGE_LEVEL)
get_or_post = require_http_methods(["GET", "POST"])


def _overview():
    # No fragment: the confirmation at the top of the page is what the person should meet first.
    return redirect("profiles:overview")


def _data(request):
    return request.POST if request.method == "POST" else None


# --- address: state of one change ---------------------------------------------------------


def _step_url(name: str, token: str) -> str:
    return f"{reverse(name)}?{urlencode({FLOW_PARAM: token})}"


def _flow(request) -> tuple[str, dict | None]:
    token = request.GET.get(FLOW_PARAM, "")
    return token, request.session.get(FLOWS_KEY, {}).get(token)


def _save_flow(request, token: str, state: dict) -> None:
    flows = request.session.get(FLOWS_KEY, {})
    flows[token] = state
    while len(flows) > MAX_FLOWS:
        flows.pop(next(iter(flows)))
    request.session[FLOWS_KEY] = flows


def _drop_flow(request, token: str) -> None:
    flows = request.session.get(FLOWS_KEY, {})
    flows.pop(token, None)
    request.session[FLOWS_KEY] = flows


def _in_flow(view):
    """A step after the first needs the answers so far; without them the user starts again."""

    @wraps(view)
    def wrapper(request):
        token, state = _flow(request)
        if state is None:
            return redirect("profiles:address_where")
        return view(request, token, state)

    return wrapper


def _lines(address: PostalAddress | dict | None) -> list[str]:
    """The address as written on an envelope, with the country's name instead of its code."""
    if address is None:
        return []
    if isinstance(address, dict):
        address = PostalAddress(**address)
    lines = address.lines
    if address.country != "NL":
        lines[-1] = country_name(address.country)
    return lines


def _address_rows(current, new: dict, *, new_key, action_url: str = "") -> list[dict]:
    return [
        {"key": _("Postal address now"), "value": "\n".join(_lines(current))},
        {"key": new_key, "value": "\n".join(_lines(new)), "action_url": action_url},
    ]


def _bag_fields(address: Address) -> dict:
    return {**asdict(address), "country": "NL"}


# --- address: the steps -------------------------------------------------------------------


@changing
@get_or_post
def address_where(request):
    token, state = _flow(request)
    current = postal_address_for(request.user.profile)
    initial = {
        "seen_version": state["seen_version"] if state else (current.version if current else 0),
        "where": state.get("where") if state else None,
    }
    form = forms.WhereForm(_data(request), initial=initial)
    if form.is_valid():
        where = form.cleaned_data["where"]
        if state is None:
            token = secrets.token_urlsafe(9)
        if state is None or state["where"] != where:
            # Answers for the other kind of address no longer apply.
            state = {"seen_version": form.cleaned_data["seen_version"], "where": where}
        _save_flow(request, token, state)
        step = "profiles:address_nl" if where == forms.IN_NL else "profiles:address_foreign"
        return redirect(_step_url(step, token))
    return render(
        request,
        "profiles/address/where.html",
        {"form": form, "current": _lines(current), "back_url": reverse("profiles:overview")},
    )


@changing
@get_or_post
@_in_flow
def address_nl(request, token, state):
    form = forms.DutchAddressForm(_data(request), initial=state.get("lookup"))
    register_down = False
    if form.is_valid():
        data = form.cleaned_data
        postcode = data["postcode"]
        state["lookup"] = {
            "postcode": f"{postcode[:4]} {postcode[4:]}",
            "huisnummer": str(data["huisnummer"]),
            "huisletter": data["huisletter"],
            "toevoeging": data["toevoeging"],
        }
        try:
            found = bag_client().address_lookup(
                postcode, data["huisnummer"], data["huisletter"], data["toevoeging"]
            )
        except RegisterUnavailable:
            register_down = True
        else:
            if not found:
                extra = data["huisletter"] or data["toevoeging"]
                form.add_error("postcode", forms.NOT_FOUND_WITH_EXTRA if extra else forms.NOT_FOUND)
            else:
                state["candidates"] = [_bag_fields(address) for address in found]
                state.pop("new", None)
                if len(found) == 1:
                    state["new"], state["from"] = state["candidates"][0], "profiles:address_nl"
                _save_flow(request, token, state)
                step = "profiles:address_check" if len(found) == 1 else "profiles:address_choose"
                return redirect(_step_url(step, token))
    return render(
        request,
        "profiles/address/nl.html",
        {
            "form": form,
            "register_down": forms.BAG_DOWN if register_down else "",
            "back_url": _step_url("profiles:address_where", token),
        },
    )


@changing
@get_or_post
@_in_flow
def address_choose(request, token, state):
    candidates = state.get("candidates") or []
    if len(candidates) < 2:
        return redirect(_step_url("profiles:address_nl", token))
    choices = [(str(i), ", ".join(_lines(c))) for i, c in enumerate(candidates)]
    chosen = state.get("new")
    initial = {"address": str(candidates.index(chosen))} if chosen in candidates else None
    form = forms.ChooseAddressForm(_data(request), choices=choices, initial=initial)
    if form.is_valid():
        state["new"] = candidates[int(form.cleaned_data["address"])]
        state["from"] = "profiles:address_choose"
        _save_flow(request, token, state)
        return redirect(_step_url("profiles:address_check", token))
    return render(
        request,
        "profiles/address/choose.html",
        {"form": form, "back_url": _step_url("profiles:address_nl", token)},
    )


@changing
@get_or_post
@_in_flow
def address_foreign(request, token, state):
    new = state.get("new")
    initial = None
    if new and new["country"] != "NL":
        initial = {"lines": new["foreign_lines"], "country": new["country"]}
    form = forms.ForeignAddressForm(_data(request), initial=initial)
    if form.is_valid():
        state["new"] = {
            "country": form.cleaned_data["country"],
            "foreign_lines": form.cleaned_data["lines"],
        }
        state["from"] = "profiles:address_foreign"
        _save_flow(request, token, state)
        return redirect(_step_url("profiles:address_check", token))
    return render(
        request,
        "profiles/address/foreign.html",
        {"form": form, "back_url": _step_url("profiles:address_where", token)},
    )


@changing
@get_or_post
@_in_flow
def address_check(request, token, state):
    new = state.get("new")
    if not new:
        return redirect(_step_url("profiles:address_where", token))
    profile = request.user.profile
    form = forms.AddressCheckForm(_data(request), initial={"seen_version": state["seen_version"]})
    if form.is_valid():
        try:
            postal_address_update(
                profile=profile, seen_version=form.cleaned_data["seen_version"], **new
            )
        except Conflict:
            return _address_conflict(request, token, new)
        _drop_flow(request, token)
        messages.success(request, ADDRESS_SAVED)
        return _overview()
    back_url = _step_url(state["from"], token)
    current = postal_address_for(profile)
    rows = _address_rows(current, new, new_key=_("New postal address"), action_url=back_url)
    return render(
        request,
        "profiles/address/check.html",
        {"form": form, "rows": rows, "back_url": back_url},
    )


def _address_conflict(request, token: str, new: dict):
    """Both addresses side by side; saving again means: yes, replace the one there is now."""
    current = postal_address_for(request.user.profile)
    rows = _address_rows(current, new, new_key=_("Your change"))
    form = forms.AddressCheckForm(initial={"seen_version": current.version if current else 0})
    return render(
        request,
        "profiles/address/conflict.html",
        {"form": form, "rows": rows, "action": _step_url("profiles:address_check", token)},
        status=409,
    )


# --- general contact preference -----------------------------------------------------------


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
    form = forms.PreferenceForm(_data(request), initial=initial)
    if not form.is_valid():
        return _preference_page(request, form)
    choice = form.cleaned_data["preference"]
    seen = form.cleaned_data["seen_version"]
    if choice == profile.contact_preference and seen == profile.contact_preference_version:
        request.session.pop(PREFERENCE_KEY, None)
        messages.info(request, PREFERENCE_UNCHANGED)
        return _overview()
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
    form = forms.PreferenceCheckForm(_data(request), initial=pending)
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
        return _overview()
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
