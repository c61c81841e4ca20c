"""Reading the channel choices per organisation and kind, as the preferences page shows them."""

import hashlib
from dataclasses import dataclass, field

from consent.models import Organisation
from notifications.choices import IN_PORTAL, OUTSIDE_PORTAL, Channel, MessageKind
from notifications.models import ChannelPreference
from notifications.preferences.channels import channels_for, default_channels, reachable_channels
from profiles.models import Profile

# What a person chooses per organisation: every kind but security notices, which always come.
CHOOSABLE_KINDS = [str(k) for k in MessageKind if k != MessageKind.SECURITY]


def preferences_version(rows) -> str:
    """What the person saw of one organisation's stored choices, as a short opaque token.

    Built from the choices themselves, not a timestamp: saving the same choices again in another
    tab is no conflict, a different choice is.
    """
    seen = sorted(f"{r.kind}:{int(r.email)}{int(r.sms)}{int(r.post)}" for r in rows)
    return hashlib.sha256(";".join(seen).encode()).hexdigest()[:16]


def default_choice(profile: Profile, organisation: Organisation, kind: str) -> ChannelPreference:
    """An unsaved row that says what the general contact preference would do."""
    wanted = {str(c) for c in default_channels(profile)}
    return ChannelPreference(
        profile=profile,
        organisation=organisation,
        kind=kind,
        email=Channel.EMAIL in wanted,
        sms=Channel.SMS in wanted,
        post=Channel.POST in wanted,
    )


def shown_channels(
    profile: Profile,
    organisation: Organisation,
    kind: str,
    *,
    reachable: set[str],
    row: ChannelPreference | None,
) -> set[str]:
    """The channels besides the inbox a message of this kind goes out on now."""
    choice = row or default_choice(profile, organisation, kind)
    used = channels_for(
        profile=profile, organisation=organisation, kind=kind, reachable=reachable, choice=choice
    )
    return set(used).difference(IN_PORTAL)


@dataclass
class OrganisationChoices:
    organisation: Organisation
    version: str
    # kind -> the channels besides the inbox in use now (the saved choice, else the default)
    shown: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class PreferenceOverview:
    reachable: set[str]
    organisations: list[OrganisationChoices]

    @property
    def can_choose(self) -> bool:
        return any(channel in self.reachable for channel in OUTSIDE_PORTAL)


def channel_preference_overview(profile: Profile) -> PreferenceOverview:
    """Every active organisation with what each kind of message does now, in four queries."""
    reachable = reachable_channels(profile)
    rows: dict[int, dict[str, ChannelPreference]] = {}
    for row in ChannelPreference.objects.filter(profile=profile, organisation__active=True):
        rows.setdefault(row.organisation_id, {})[row.kind] = row
    organisations = []
    for organisation in Organisation.objects.filter(active=True):
        own = rows.get(organisation.pk, {})
        organisations.append(
            OrganisationChoices(
                organisation=organisation,
                version=preferences_version(own.values()),
                shown={
                    kind: shown_channels(
                        profile, organisation, kind, reachable=reachable, row=own.get(kind)
                    )
                    for kind in CHOOSABLE_KINDS
                },
            )
        )
    return PreferenceOverview(reachable=reachable, organisations=organisations)


def active_organisation(organisation_id) -> Organisation | None:
    return Organisation.objects.filter(pk=organisation_id, active=True).first()
