"""Which channels a message goes out on: the person's choice, within what is possible.

The inbox always keeps a copy. E-mail and SMS only to a confirmed address or number. Without a
choice for this organisation and kind, the general contact preference decides. "Actie nodig"
always reaches the person outside the portal: when no chosen channel can, post does.
"""

from collections.abc import Iterable

from django.db.models import CharField, Value

from consent.models import Organisation
from notifications.choices import BY_POST, DIGITAL, IN_PORTAL, Channel, MessageKind
from notifications.models import ChannelPreference
from profiles.choices import ContactKind, ContactPreference
from profiles.models import ContactDetail, PostalAddress, Profile

# The confirmed contact detail each channel outside the portal needs; post needs an address.
CONTACT_KIND = {str(Channel.EMAIL): ContactKind.EMAIL, str(Channel.SMS): ContactKind.PHONE}
_CHANNEL_OF_KIND = {str(kind): channel for channel, kind in CONTACT_KIND.items()}
_ADDRESS = "postal-address"  # beside the contact kinds in the one query below


def reachable_channels_for(profile_ids: Iterable[int]) -> dict[int, set[str]]:
    """Per person, the channels they can be reached on at all, in one query however many.

    The inbox always; e-mail and SMS with a confirmed address or number; post with an address.
    """
    ids = list(profile_ids)
    reachable = {profile_id: {str(Channel.INBOX)} for profile_id in ids}
    details = ContactDetail.objects.confirmed().filter(profile_id__in=ids)
    addresses = PostalAddress.objects.filter(profile_id__in=ids).annotate(
        kind=Value(_ADDRESS, output_field=CharField())
    )
    for profile_id, kind in details.values_list("profile_id", "kind").union(
        addresses.values_list("profile_id", "kind"), all=True
    ):
        if kind == _ADDRESS:
            reachable[profile_id].add(str(Channel.POST))
        elif kind in _CHANNEL_OF_KIND:
            reachable[profile_id].add(_CHANNEL_OF_KIND[kind])
    return reachable


def reachable_channels(profile: Profile) -> set[str]:
    """The channels this person can be reached on at all."""
    return reachable_channels_for([profile.pk])[profile.pk]


def default_channels(profile: Profile) -> list[str]:
    """Without a choice per organisation: the general preference (digitaal is the default)."""
    if profile.contact_preference == ContactPreference.POST:
        return list(BY_POST)
    return list(DIGITAL)


def channels_for(
    *,
    profile: Profile,
    organisation: Organisation,
    kind: str,
    reachable: set[str] | None = None,
    choice: ChannelPreference | None = None,
) -> list[str]:
    """The channels to deliver on, inbox first. Pass `reachable`/`choice` to save queries."""
    reachable = reachable if reachable is not None else reachable_channels(profile)
    if choice is None:
        choice = ChannelPreference.objects.filter(
            profile=profile, organisation=organisation, kind=kind
        ).first()
    wanted = choice.channels if choice else default_channels(profile)
    channels = [str(c) for c in wanted if str(c) in reachable]
    only_inbox = tuple(channels) == IN_PORTAL
    if kind == MessageKind.ACTION_NEEDED and only_inbox and Channel.POST in reachable:
        channels.append(str(Channel.POST))
    if Channel.INBOX not in channels:
        channels.insert(0, str(Channel.INBOX))
    return channels
