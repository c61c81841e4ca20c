"""The general contact preference: digitaal (needs a confirmed e-mail address) or per post."""

from django.db import transaction
from django.utils import timezone

from profiles.choices import ContactKind, ContactPreference
from profiles.errors import Conflict, ContactChangeError
from profiles.locks import person_lock
from profiles.models import ContactDetail, Profile


@transaction.atomic
def contact_preference_update(*, profile: Profile, preference: str, seen_version: int) -> Profile:
    # The person's lock first: an e-mail address may be removed at the same moment.
    locked = person_lock(profile)
    if locked.contact_preference_version != seen_version:
        raise Conflict(current=locked.get_contact_preference_display(), yours=preference)
    if (
        preference == ContactPreference.DIGITAL
        and not ContactDetail.objects.confirmed()
        .filter(profile=locked, kind=ContactKind.EMAIL)
        .exists()
    ):
        raise ContactChangeError("email_needed_for_digital")
    locked.contact_preference = preference
    locked.contact_preference_changed_at = timezone.now()
    locked.contact_preference_version += 1
    locked.save(
        update_fields=[
            "contact_preference",
            "contact_preference_changed_at",
            "contact_preference_version",
            "updated_at",
        ]
    )
    return locked
