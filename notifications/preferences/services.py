"""Saving how a person wants to hear from one organisation, per kind of message.

Rules (the routing itself lives in notifications.preferences.channels):
- e-mail only to a confirmed address, SMS only to a confirmed number, post only to an address;
- "actie nodig" reaches the person outside the portal too, whenever any channel can;
- a choice that equals what the general contact preference gives is not stored: without a row
  that kind keeps following the general preference when the person changes it later;
- the form carries the version of the choices the person saw; a change in another tab meanwhile
  is a Conflict, never silently overwritten.
"""

from django.db import transaction

from consent.models import Organisation
from notifications.choices import IN_PORTAL, OUTSIDE_PORTAL, Channel, MessageKind
from notifications.models import ChannelPreference
from notifications.preferences.channels import reachable_channels
from notifications.preferences.selectors import CHOOSABLE_KINDS, preferences_version, shown_channels
from profiles.locks import person_lock
from profiles.models import Profile

# Why a choice cannot be saved; the page turns each into a B1 message.
EMAIL_NOT_POSSIBLE = "email_not_possible"
SMS_NOT_POSSIBLE = "sms_not_possible"
POST_NOT_POSSIBLE = "post_not_possible"
ACTION_NEEDED_OUTSIDE_INBOX = "action_needed_outside_inbox"
_NOT_POSSIBLE = {
    str(Channel.EMAIL): EMAIL_NOT_POSSIBLE,
    str(Channel.SMS): SMS_NOT_POSSIBLE,
    str(Channel.POST): POST_NOT_POSSIBLE,
}


class ChannelChoiceError(Exception):
    """The choices break a rule; `problems` holds (kind or "", code) pairs, nothing is saved."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__(", ".join(code for _, code in problems))
        self.problems = problems


class Conflict(Exception):
    """The choices changed since the person opened the page: kind -> channels, both sides."""

    def __init__(self, *, current: dict[str, set[str]], yours: dict[str, set[str]], version: str):
        super().__init__("changed meanwhile")
        self.current = current
        self.yours = yours
        self.version = version


def _check(choices: dict[str, set[str]], reachable: set[str]) -> list[tuple[str, str]]:
    problems = []
    chosen = set().union(*choices.values()) if choices else set()
    for channel in OUTSIDE_PORTAL:
        if channel in chosen and channel not in reachable:
            problems.append(("", _NOT_POSSIBLE[channel]))
    action = str(MessageKind.ACTION_NEEDED)
    # Only a rule the person can keep: with no address or number at all, the inbox is all there is.
    can_reach_outside = any(channel in reachable for channel in OUTSIDE_PORTAL)
    if action in choices and not choices[action] and can_reach_outside:
        problems.append((action, ACTION_NEEDED_OUTSIDE_INBOX))
    return problems


@transaction.atomic
def channel_preferences_save(
    *,
    profile: Profile,
    organisation: Organisation,
    choices: dict[str, set[str]],
    seen_version: str,
) -> bool:
    """Save the channels (besides the inbox) per kind; returns whether anything changed.

    `choices` maps a kind to the channels chosen for it; a kind left out is not touched.
    """
    person_lock(profile)  # one save per person at a time, before this app's rows (locks.py)
    choices = {k: set(v).difference(IN_PORTAL) for k, v in choices.items() if k in CHOOSABLE_KINDS}
    reachable = reachable_channels(profile)
    problems = _check(choices, reachable)
    if problems:
        raise ChannelChoiceError(problems)

    rows = {
        r.kind: r
        for r in ChannelPreference.objects.filter(profile=profile, organisation=organisation)
    }
    current = {
        kind: shown_channels(profile, organisation, kind, reachable=reachable, row=rows.get(kind))
        for kind in CHOOSABLE_KINDS
    }
    version = preferences_version(rows.values())
    if version != seen_version:
        raise Conflict(current=current, yours=choices, version=version)

    changed = False
    for kind, wanted in choices.items():
        if wanted == current[kind]:
            continue  # as it is: keep the row as it was, including channels not reachable now
        changed = True
        default = shown_channels(profile, organisation, kind, reachable=reachable, row=None)
        if wanted == default:
            ChannelPreference.objects.filter(
                profile=profile, organisation=organisation, kind=kind
            ).delete()
            continue
        ChannelPreference.objects.update_or_create(
            profile=profile,
            organisation=organisation,
            kind=kind,
            # The model's flags are named after the channels: email, sms, post.
            defaults={channel: channel in wanted for channel in OUTSIDE_PORTAL},
        )
    return changed
