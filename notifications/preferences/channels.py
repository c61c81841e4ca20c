"""Which channels a message goes out on: the person's choice, within what is possible.

The inbox always keeps a copy. E-mail and SMS only to a confirmed address or number. Without a
choice for this organisation and kind, the general contact preference decides. "Actie nodig"
always reaches the person outside the portal: when no chosen channel can, post does.
"""

from consent.models import Organisation
from notifications.choices import Channel, MessageKind
from notifications.models import ChannelPreference
from profiles.choices import ContactKind, ContactPreference
from profiles.models import ContactDetail, PostalAddress, Profile


def reachable_channels(profile: Profile) -> set[str]:
    """The channels this person can be reached on at all."""
    confirmed = set(
        ContactDetail.objects.confirmed().filter(profile=profile).values_list("kind", flat=True)
    )
    channels = {str(Channel.INBOX)}
    if ContactKind.EMAIL in confirmed:
        channels.add(str(Channel.EMAIL))
    if ContactKind.PHONE in confirmed:
        channels.add(str(Channel.SMS))
    if PostalAddress.objects.filter(profile=profile).exists():
        channels.add(str(Channel.POST))
    return channels


def default_channels(profile: Profile) -> list[str]:
    """Without a choice per organisation: the general preference (digitaal is the default)."""
    if profile.contact_preference == ContactPreference.POST:
        return [Channel.INBOX, Channel.POST]
    return [Channel.INBOX, Channel.EMAIL]


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
    only_inbox = channels == [Channel.INBOX]
    if kind == MessageKind.ACTION_NEEDED and only_inbox and Channel.POST in reachable:
        channels.append(str(Channel.POST))
    if Channel.INBOX not in channels:
        channels.insert(0, str(Channel.INBOX))
    return channels
