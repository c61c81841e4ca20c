"""The routing policy: which profile data each channel uses, and whether a channel may be used.

Intake plans the channels with it, delivery asks it again just before sending, and the post
batch before printing: one answer for all three, from consent.gate.may_process.
"""

from consent.choices import DataField
from consent.gate import Decision, may_process
from consent.models import Consent, Doelbinding, Organisation
from notifications.choices import Channel
from profiles.models import Profile

# The profile data each channel outside the portal (OUTSIDE_PORTAL) uses; the inbox uses none.
CHANNEL_FIELD = {
    str(Channel.EMAIL): str(DataField.EMAIL),
    str(Channel.SMS): str(DataField.PHONE),
    str(Channel.POST): str(DataField.POSTAL_ADDRESS),
}
LOOK_UP = object()  # may_process fetches the consent itself


def channel_decision(
    organisation: Organisation,
    doelbinding: Doelbinding,
    profile: Profile,
    channel: str,
    *,
    consent: Consent | object | None = LOOK_UP,
) -> Decision:
    """May this channel be used? The inbox uses no contact data, but the message itself still
    needs the purpose: in force and, for a consent purpose, the person's consent to some of it."""
    gate_kwargs = {} if consent is LOOK_UP else {"consent": consent}
    if channel in CHANNEL_FIELD:
        return may_process(
            organisation, doelbinding, profile, {CHANNEL_FIELD[channel]}, **gate_kwargs
        )
    version = doelbinding.current_version
    decisions = [
        may_process(organisation, doelbinding, profile, {f}, **gate_kwargs)
        for f in sorted(version.fields if version else {DataField.EMAIL})
    ]
    return next((d for d in decisions if d.allowed), decisions[0])
