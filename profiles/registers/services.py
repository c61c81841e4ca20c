"""Reports that data from a source register is wrong (terugmeldingen)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from profiles.locks import person_lock
from profiles.models import Profile, Terugmelding


class TooManyReports(Exception):
    """The person reached TERUGMELDINGEN_PER_DAY: each report is work for a register keeper."""


@transaction.atomic
def terugmelding_create(
    *, profile: Profile, register: str, item: str, shown_value: str, note: str
) -> Terugmelding:
    person_lock(profile)  # two tabs cannot both slip under the limit
    since = timezone.now() - timedelta(days=1)
    if (
        Terugmelding.objects.filter(profile=profile, created_at__gte=since).count()
        >= settings.TERUGMELDINGEN_PER_DAY
    ):
        raise TooManyReports
    return Terugmelding.objects.create(
        profile=profile, register=register, item=item, shown_value=shown_value, note=note
    )
