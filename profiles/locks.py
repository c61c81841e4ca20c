"""The per-person lock: every write about one person takes it first, through these helpers.

A person's Profile row is the lock. Writes take locks in this order, so two writes never wait
on each other in a circle (PostgreSQL would end one with a deadlock error):

1. the Profile row, through `person_lock` (for several people: `people_lock`, in id order);
2. that person's rows in profiles: ContactDetail, Verification, PostalAddress;
3. consent rows: Doelbinding, then Consent;
4. notifications rows: ChannelPreference, Notification, then Delivery.

A rule that spans rows (no "digitaal" without a confirmed e-mail address, one code request at a
time) is only safe when both writes that could break it hold the person's lock: the second one
then reads what the first one committed. The worker's delivery batches are the one exception:
they claim Delivery rows of many people with SKIP LOCKED and never wait, so they cannot close a
circle.
"""

from collections.abc import Iterable

from profiles.models import Profile


def person_lock(profile: Profile | int) -> Profile:
    """Lock the person's Profile row until the transaction ends, and return it fresh."""
    pk = profile if isinstance(profile, int) else profile.pk
    return Profile.objects.select_for_update().get(pk=pk)


def people_lock(profile_ids: Iterable[int]) -> list[Profile]:
    """Lock several people's Profile rows, always in id order; returns them fresh, in id order."""
    return list(Profile.objects.select_for_update().filter(pk__in=set(profile_ids)).order_by("pk"))
