"""'Berichten' (the inbox) and the channel preferences per organisation and kind of message.

Reading messages and marking them (un)read is no change of contact details: any login level.
Choosing channels decides where the government reaches you, so that page needs the level for
changing contact details, for viewing too: a person below it steps up before filling in the
tables, instead of after pressing save (the step-up comes back with a GET, so input would be lost).
"""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from consent.organisation_text import organisation_text, sentence_with
from core.dates import date_text
from notifications.choices import OUTSIDE_PORTAL, Channel, MessageKind
from notifications.forms import (
    CHANNEL_LABELS,
    PORTAL_NAME,
    ChannelChoicesForm,
    InboxFilterForm,
    SubmittedOrganisationForm,
)
from notifications.inbox_services import inbox_message_mark_read, inbox_message_mark_unread
from notifications.preferences import services as rules
from notifications.preferences.selectors import (
    CHOOSABLE_KINDS,
    active_organisation,
    channel_preference_overview,
)
from notifications.selectors import (
    inbox_message_for,
    inbox_page,
    inbox_senders,
    safe_link,
    unread_count_changed,
)
from profiles.login.session import level_required

PREFERENCES_SAVED = _("We saved how you want to receive messages from %(organisation)s.")
PREFERENCES_UNCHANGED = _("You did not change anything for %(organisation)s. Nothing was saved.")
ORGANISATION_GONE = _(
    "This organisation no longer sends messages through this website. Nothing was saved."
)
ACTION_NEEDED_NEEDS_CHANNEL = _(
    "Choose at least one way for “action needed” from %(organisation)s: e-mail, text message "
    "or post. Then you will not miss anything you need to do."
)
EMAIL_NOT_POSSIBLE = _(
    "You do not have a confirmed e-mail address. Add one first, or choose another way."
)
SMS_NOT_POSSIBLE = _(
    "You do not have a confirmed phone number. Add one first, or choose another way."
)
POST_NOT_POSSIBLE = _("You do not have a postal address. Add one first, or choose another way.")
RECEIVED_AT = _("%(date)s at %(time)s")
MARKED_UNREAD = _("We marked the message “%(subject)s” as unread.")

_PROBLEMS = {
    rules.ACTION_NEEDED_OUTSIDE_INBOX: ACTION_NEEDED_NEEDS_CHANNEL,
    rules.EMAIL_NOT_POSSIBLE: EMAIL_NOT_POSSIBLE,
    rules.SMS_NOT_POSSIBLE: SMS_NOT_POSSIBLE,
    rules.POST_NOT_POSSIBLE: POST_NOT_POSSIBLE,
}
_UNAVAILABLE = {
    str(Channel.EMAIL): (
        _("You cannot choose e-mail yet: you do not have a confirmed e-mail address."),
        _("Add an e-mail address"),
        ("profiles:contact_change", ["e-mailadres"]),
    ),
    str(Channel.SMS): (
        _("You cannot choose text message yet: you do not have a confirmed phone number."),
        _("Add a phone number"),
        ("profiles:contact_change", ["telefoonnummer"]),
    ),
    str(Channel.POST): (
        _("You cannot choose post yet: you do not have a postal address."),
        _("Add a postal address"),
        ("profiles:address_where", []),
    ),
}

_KIND_TEXTS = {
    MessageKind.RECEIPT: _("The organisation has received your application or form."),
    MessageKind.STATUS: _("News about how your application is going."),
    MessageKind.DECISION: _("The decision about your application."),
    MessageKind.ACTION_NEEDED: _(
        "You need to do something, for example send a document. "
        "Choose at least one way besides the message box for this."
    ),
}

changes_contact_details = level_required("LOA_CHANGE_CONTACT_DETAILS")


# --- inbox -------------------------------------------------------------------------------------


@require_safe
@level_required()
def inbox(request):
    profile = request.user.profile
    organisations, portal = inbox_senders(profile)
    form = InboxFilterForm(request.GET or None, organisations=organisations, portal=portal)
    sender = form.sender
    if form.is_bound and not form.is_valid():
        # An old bookmark or a sender whose messages are gone: show everything, no error.
        form = InboxFilterForm(organisations=organisations, portal=portal)
    page = inbox_page(profile, sender=sender, page=request.GET.get("pagina"))
    return render(
        request,
        "notifications/inbox.html",
        {
            "form": form,
            "page": page,
            "sender": sender,
            "sender_name": dict(form.fields["organisatie"].choices).get(sender, ""),
            "filter_query": urlencode({"organisatie": sender}) if sender else "",
            "has_messages": bool(organisations or portal),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@level_required()
def message(request, message_id: int):
    profile = request.user.profile
    item = inbox_message_for(profile, message_id)
    if item is None:
        raise Http404
    if request.method == "POST":
        # Back to the list: showing the message again would mark it read again.
        inbox_message_mark_unread(profile=profile, message=item)
        subject = organisation_text(item.subject) if item.organisation else item.subject
        messages.success(request, sentence_with(MARKED_UNREAD, subject=subject))
        return redirect("notifications:inbox")
    if item.read_at is None:
        inbox_message_mark_read(profile=profile, message=item)
        unread_count_changed(request.user)  # the menu shows the count after this one
    link = safe_link(item.link)
    host = urlsplit(link).netloc
    received = timezone.localtime(item.created_at)
    rows = [
        {"key": _("From"), "value": item.organisation.name if item.organisation else PORTAL_NAME},
        {
            "key": _("Received on"),
            "value": RECEIVED_AT
            % {"date": date_text(received, "j F Y"), "time": date_text(received, "H:i")},
        },
        {"key": _("Kind of message"), "value": capfirst(item.get_kind_display())},
    ]
    return render(
        request,
        "notifications/message.html",
        {
            "message": item,
            "rows": rows,
            "link": link,
            "link_host": host,
            "link_external": bool(link) and host != request.get_host(),
            "is_security": item.kind == MessageKind.SECURITY,
        },
    )


# --- channel preferences -----------------------------------------------------------------------


def _prefix(organisation) -> str:
    return f"org{organisation.pk}"


def _rows(form, shown: dict[str, set[str]], reachable: set[str]) -> list[dict]:
    """The table's rows: what the person submitted (kept on an error), else what is in use now.

    The first enabled check box of a row gets the id ending in `_0`: the error summary links
    there, and a disabled one cannot take focus.
    """
    rows = []
    for kind in CHOOSABLE_KINDS:
        field = form[kind]
        checked = set(form.data.getlist(field.html_name)) if form.is_bound else shown[kind]
        cells, enabled = [], 0
        for channel in OUTSIDE_PORTAL:
            possible = channel in reachable
            cell_id = f"{field.auto_id}_{enabled}" if possible else f"{field.auto_id}_{channel}_off"
            enabled += possible
            cells.append(
                {
                    "channel": channel,
                    "label": CHANNEL_LABELS[channel],
                    "id": cell_id,
                    "checked": possible and channel in checked,
                    "disabled": not possible,
                }
            )
        rows.append({"label": MessageKind(kind).label, "field": field, "cells": cells})
    return rows


def _unavailable(reachable: set[str]) -> list[dict]:
    return [
        {
            "channel": channel,
            "text": text,
            "link_text": link_text,
            "url": reverse(name, args=args),
        }
        for channel, (text, link_text, (name, args)) in _UNAVAILABLE.items()
        if channel not in reachable
    ]


def _preferences_page(request, profile, *, bound=None, status=200):
    overview = channel_preference_overview(profile)
    tables = []
    for item in overview.organisations:
        form = bound
        if bound is None or bound.prefix != _prefix(item.organisation):
            form = ChannelChoicesForm(
                prefix=_prefix(item.organisation), initial={"version": item.version}
            )
        tables.append(
            {
                "organisation": item.organisation,
                "form": form,
                "rows": _rows(form, item.shown, overview.reachable),
            }
        )
    context = {
        "overview": overview,
        "tables": tables,
        "bound_form": bound,
        "unavailable": _unavailable(overview.reachable),
        "channels": [CHANNEL_LABELS[c] for c in OUTSIDE_PORTAL],
        "kinds": [(MessageKind(k).label, _KIND_TEXTS[k]) for k in CHOOSABLE_KINDS],
    }
    return render(request, "notifications/preferences.html", context, status=status)


def _channels_text(channels: set[str]) -> str:
    labels = [str(CHANNEL_LABELS[c]) for c in OUTSIDE_PORTAL if c in channels]
    return ", ".join(labels) if labels else str(_("Only in the message box"))


def _conflict_page(request, organisation, conflict: rules.Conflict):
    """Both versions side by side; 'save mine' posts the person's choices with the new version."""
    prefix = _prefix(organisation)
    hidden = [("organisation", organisation.pk), (f"{prefix}-version", conflict.version)]
    rows = []
    for kind in CHOOSABLE_KINDS:
        yours = conflict.yours.get(kind, conflict.current[kind])
        hidden += [(f"{prefix}-{kind}", c) for c in OUTSIDE_PORTAL if c in yours]
        rows.append(
            {
                "label": MessageKind(kind).label,
                "current": _channels_text(conflict.current[kind]),
                "yours": _channels_text(yours),
            }
        )
    context = {"organisation": organisation, "rows": rows, "hidden": hidden}
    return render(request, "notifications/preferences_conflict.html", context, status=409)


@require_http_methods(["GET", "HEAD", "POST"])
@changes_contact_details
def preferences(request):
    profile = request.user.profile
    if request.method == "GET":
        return _preferences_page(request, profile)

    submitted = SubmittedOrganisationForm(request.POST)
    organisation = (
        active_organisation(submitted.cleaned_data["organisation"])
        if submitted.is_valid()
        else None
    )
    if organisation is None:
        messages.warning(request, ORGANISATION_GONE)
        return redirect("notifications:preferences")
    form = ChannelChoicesForm(request.POST, prefix=_prefix(organisation))
    if not form.is_valid():
        return _preferences_page(request, profile, bound=form)
    try:
        changed = rules.channel_preferences_save(
            profile=profile,
            organisation=organisation,
            choices=form.choices(),
            seen_version=form.cleaned_data["version"],
        )
    except rules.ChannelChoiceError as error:
        for kind, code in error.problems:
            form.add_error(kind or None, _PROBLEMS[code] % {"organisation": organisation.name})
        return _preferences_page(request, profile, bound=form)
    except rules.Conflict as conflict:
        return _conflict_page(request, organisation, conflict)
    if changed:
        messages.success(request, PREFERENCES_SAVED % {"organisation": organisation.name})
    else:
        messages.info(request, PREFERENCES_UNCHANGED % {"organisation": organisation.name})
    return redirect("notifications:preferences")
