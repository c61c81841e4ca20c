"""Reports that data from a source register is wrong (terugmeldingen)."""

from django.db import transaction

from profiles.models import Profile, Terugmelding


@transaction.atomic
def terugmelding_create(
    *, profile: Profile, register: str, item: str, shown_value: str, note: str
) -> Terugmelding:
    return Terugmelding.objects.create(
        profile=profile, register=register, item=item, shown_value=shown_value, note=note
    )
