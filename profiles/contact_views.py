"""E-mail address and phone number: enter the new value, check it, confirm with a code.

    change (new value) -> check ("Code sturen") -> code (6 digits) -> overview with a banner

Each step's form carries what the user saw (the new value and the version of the item), so two
tabs cannot mix up each other's change; the session only remembers the flow between pages, per
kind, under FLOW_KEY. The rules (versions, code limits, sending) live in contact_services.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from profiles.choices import ContactKind, ContactPreference
from profiles.contact_forms import (
    CHANGE_FORMS,
    CODE_BLOCKED,
    CODE_EXPIRED,
    CODE_USED,
    CODE_WRONG,
    EMAIL_UNCHANGED,
    PHONE_UNCHANGED,
    CodeForm,
    VersionForm,
)
from profiles.contact_services import (
    CODE_VALID_FOR,
    Conflict,
    ContactChangeError,
    contact_change_confirm,
    contact_change_request,
    contact_detail_remove,
)
from profiles.selectors import (
    contact_detail_for,
    display_phone,
    next_code_allowed_at,
    verification_for,
)
from profiles.session import level_required

FLOW_KEY = "contact_change_flow"
KINDS = {"e-mailadres": ContactKind.EMAIL, "telefoonnummer": ContactKind.PHONE}

TOO_MANY_CODES = gettext_lazy(
    "You asked for a code 3 times in 15 minutes. That is the most we allow. "
    "You can ask for a new code again from %(time)s."
)
EMAIL_CHANGED = gettext_lazy(
    "Your e-mail address has been changed. We now send messages to %(value)s."
)
PHONE_CHANGED = gettext_lazy("Your phone number has been changed to %(value)s.")
EMAIL_REMOVED = gettext_lazy("Your e-mail address has been removed.")
PHONE_REMOVED = gettext_lazy("Your phone number has been removed.")
CODE_RESENT = gettext_lazy("We sent a new code to %(value)s.")
CODE_HINT_EMAIL = gettext_lazy("We sent the code by e-mail to %(value)s.")
CODE_HINT_SMS = gettext_lazy("We sent the code by text message to %(value)s.")

_UNCHANGED = {ContactKind.EMAIL: EMAIL_UNCHANGED, ContactKind.PHONE: PHONE_UNCHANGED}
_LABELS = {
    ContactKind.EMAIL: {
        "item": gettext_lazy("E-mail address"),
        "current": gettext_lazy("Current e-mail address"),
        "new": gettext_lazy("New e-mail address"),
    },
    ContactKind.PHONE: {
        "item": gettext_lazy("Phone number"),
        "current": gettext_lazy("Current phone number"),
        "new": gettext_lazy("New phone number"),
    },
}
_CODE_PROBLEMS = {"blocked": CODE_BLOCKED, "expired": CODE_EXPIRED, "used": CODE_USED}

changes_contact_details = level_required("LOA_CHANGE_CONTACT_DETAILS")


# --- reads and the flow in the session ---------------------------------------------------------


def _shown(kind: str, value: str) -> str:
    return display_phone(value) if value and kind == ContactKind.PHONE else value


def _clock(moment) -> str:
    return date_format(timezone.localtime(moment), "H:i")


def _flow(request, kind: str) -> dict:
    return request.session.get(FLOW_KEY, {}).get(kind, {})


def _flow_save(request, kind: str, **values) -> None:
    flows = request.session.get(FLOW_KEY, {})
    flows[kind] = values
    request.session[FLOW_KEY] = flows


def _flow_end(request, kind: str) -> None:
    flows = request.session.get(FLOW_KEY, {})
    flows.pop(kind, None)
    request.session[FLOW_KEY] = flows


def _overview_url() -> str:
    # No fragment: the confirmation at the top of the page is what the person should meet first.
    return reverse("profiles:overview")


# --- pages -------------------------------------------------------------------------------------


def _render_change(request, kind, slug, form, detail):
    rows = []
    if detail:
        rows.append(
            {
                "key": _LABELS[kind]["current"],
                "value": _shown(kind, detail.value),
                "action_url": reverse("profiles:contact_remove", args=[slug]),
                "action_label": _("Remove"),
            }
        )
    context = {"kind": kind, "slug": slug, "form": form, "field": form[kind], "rows": rows}
    return render(request, "profiles/contact/change.html", context)


@require_http_methods(["GET", "POST"])
@changes_contact_details
def contact_change(request, slug):
    kind = KINDS[slug]
    detail = contact_detail_for(request.user.profile, kind)
    current = detail.value if detail else ""
    form_class = CHANGE_FORMS[kind]
    if request.method == "POST":
        form = form_class(request.POST, current=current)
        if form.is_valid():
            version = form.cleaned_data["version"]
            _flow_save(request, kind, new_value=form.new_value, version=version)
            return redirect("profiles:contact_check", slug)
    else:
        # Back from the check step: the value the user typed is still there.
        typed = _flow(request, kind).get("new_value", "")
        initial = {"version": detail.version if detail else 0, kind: _shown(kind, typed)}
        form = form_class(initial=initial, current=current)
    return _render_change(request, kind, slug, form, detail)


@require_http_methods(["GET", "POST"])
@changes_contact_details
def contact_check(request, slug):
    kind = KINDS[slug]
    profile = request.user.profile
    detail = contact_detail_for(profile, kind)
    current = detail.value if detail else ""
    if request.method == "GET":
        flow = _flow(request, kind)
        if not flow.get("new_value"):
            return redirect("profiles:contact_change", slug)
        return _render_check(request, kind, slug, current, flow["new_value"], flow["version"])

    # The value and version come from the page the user confirmed, not from the session,
    # which another tab may have changed meanwhile.
    form = CHANGE_FORMS[kind](request.POST, current=current)
    if not form.is_valid():
        return _render_change(request, kind, slug, form, detail)
    new_value, version = form.new_value, form.cleaned_data["version"]
    try:
        verification = contact_change_request(
            profile=profile,
            kind=kind,
            new_value=new_value,
            seen_version=version,
            language=request.LANGUAGE_CODE,
        )
    except Conflict as conflict:
        return _render_conflict(request, kind, slug, conflict)
    except ContactChangeError as error:
        problem, status = _request_problem(error, kind, profile)
        return _render_check(
            request, kind, slug, current, new_value, version, error=problem, status=status
        )
    _flow_save(request, kind, new_value=new_value, version=version, verification_id=verification.pk)
    return redirect("profiles:contact_code", slug)


def _request_problem(error: ContactChangeError, kind: str, profile) -> tuple[str, int]:
    """The B1 sentence for a code that cannot be sent, and the HTTP status to go with it."""
    if error.code == "too_many_codes":
        return TOO_MANY_CODES % {"time": _clock(next_code_allowed_at(profile))}, 429
    return str(_UNCHANGED[kind]), 200


def _render_check(request, kind, slug, current, new_value, version, error="", status=200):
    rows = [
        {"key": _LABELS[kind]["current"], "value": _shown(kind, current)},
        {
            "key": _LABELS[kind]["new"],
            "value": _shown(kind, new_value),
            "action_url": reverse("profiles:contact_change", args=[slug]),
        },
    ]
    context = {
        "kind": kind,
        "slug": slug,
        "rows": rows,
        "new_value": new_value,
        "new_shown": _shown(kind, new_value),
        "version": version,
        "error": error,
    }
    return render(request, "profiles/contact/check.html", context, status=status)


@require_http_methods(["GET", "POST"])
@changes_contact_details
def contact_code(request, slug):
    kind = KINDS[slug]
    profile = request.user.profile
    verification_id = _flow(request, kind).get("verification_id")
    verification = verification_for(profile=profile, kind=kind, verification_id=verification_id)
    if verification is None:
        return redirect("profiles:contact_change", slug)
    # No version field here: the verification keeps the version the user saw (base_version).
    shown = _shown(kind, verification.new_value)
    hint = (CODE_HINT_EMAIL if kind == ContactKind.EMAIL else CODE_HINT_SMS) % {"value": shown}
    form = CodeForm(hint=hint)
    if request.method == "POST" and request.POST.get("action") == "resend":
        return _resend(request, kind, slug, verification, form)
    if request.method == "POST":
        form = CodeForm(request.POST, hint=hint)
        if form.is_valid():
            try:
                check = contact_change_confirm(
                    profile=profile,
                    verification_id=verification.pk,
                    code=form.cleaned_data["code"],
                    language=request.LANGUAGE_CODE,
                )
            except Conflict as conflict:
                return _render_conflict(request, kind, slug, conflict)
            if check.ok:
                _flow_end(request, kind)
                done = EMAIL_CHANGED if kind == ContactKind.EMAIL else PHONE_CHANGED
                messages.success(request, done % {"value": shown})
                return redirect(_overview_url())
            if check.reason == "wrong":
                form.add_error("code", CODE_WRONG % {"tries": check.tries_left})
            else:
                form.add_error("code", _CODE_PROBLEMS[check.reason])
    return _render_code(request, kind, slug, verification, form)


def _resend(request, kind, slug, verification, form):
    try:
        fresh = contact_change_request(
            profile=request.user.profile,
            kind=kind,
            new_value=verification.new_value,
            seen_version=verification.base_version,
            language=request.LANGUAGE_CODE,
        )
    except Conflict as conflict:
        return _render_conflict(request, kind, slug, conflict)
    except ContactChangeError as error:
        problem, status = _request_problem(error, kind, request.user.profile)
        return _render_code(request, kind, slug, verification, form, problem, status)
    flow = _flow(request, kind)
    _flow_save(request, kind, **(flow | {"verification_id": fresh.pk}))
    messages.success(request, CODE_RESENT % {"value": _shown(kind, fresh.new_value)})
    return redirect("profiles:contact_code", slug)


def _render_code(request, kind, slug, verification, form, error="", status=200):
    context = {
        "kind": kind,
        "slug": slug,
        "form": form,
        "shown": _shown(kind, verification.new_value),
        "minutes": int(CODE_VALID_FOR.total_seconds() // 60),
        "valid_until": _clock(verification.expires_at),
        "error": error,
    }
    return render(request, "profiles/contact/code.html", context, status=status)


@require_http_methods(["GET", "POST"])
@changes_contact_details
def contact_remove(request, slug):
    kind = KINDS[slug]
    profile = request.user.profile
    detail = contact_detail_for(profile, kind)
    if detail is None:
        return redirect("profiles:contact_change", slug)
    # Messages go by e-mail while the preference is digital: say so before the user tries.
    blocked = kind == ContactKind.EMAIL and profile.contact_preference == ContactPreference.DIGITAL
    form = VersionForm(initial={"version": detail.version})
    if request.method == "POST" and not blocked:
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                contact_detail_remove(
                    profile=profile, kind=kind, seen_version=form.cleaned_data["version"]
                )
            except Conflict as conflict:
                return _render_conflict(request, kind, slug, conflict)
            except ContactChangeError:
                blocked = True  # the preference became digital meanwhile
            else:
                gone = EMAIL_REMOVED if kind == ContactKind.EMAIL else PHONE_REMOVED
                messages.success(request, gone)
                return redirect(_overview_url())
    context = {
        "kind": kind,
        "slug": slug,
        "form": form,
        "blocked": blocked,
        "rows": [
            {"key": _LABELS[kind]["item"], "value": _shown(kind, detail.value)},
        ],
    }
    return render(request, "profiles/contact/remove.html", context)


def _render_conflict(request, kind, slug, conflict: Conflict):
    """Both values side by side; the user keeps what is saved now or tries theirs again."""
    detail = contact_detail_for(request.user.profile, kind)
    removing = conflict.yours == ""
    rows = [
        {"key": _("Saved now"), "value": _shown(kind, conflict.current)},
        {
            "key": _("Your change"),
            "value": _("Remove") if removing else _shown(kind, conflict.yours),
        },
    ]
    context = {
        "kind": kind,
        "slug": slug,
        "rows": rows,
        "removing": removing,
        "yours": conflict.yours,
        "version": detail.version if detail else 0,
        "retry_url": reverse(
            "profiles:contact_remove" if removing else "profiles:contact_check", args=[slug]
        ),
    }
    return render(request, "profiles/contact/conflict.html", context, status=409)
