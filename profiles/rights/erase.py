"""'Mijn gegevens verwijderen': everything about the person goes, at once and for good.

Each app erases its own part (profiles.rights.parts), in one transaction under the person's
lock, with the audit trail switched off for it (a removal entry would hold the very values that
go). What stays is pseudonymous: the processing log's records, and this erasure's own row in
the register. The person's confirmed e-mail address gets a last message, composed before the
address is gone.
"""

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from profiles.choices import ContactKind
from profiles.locks import person_lock
from profiles.models import ContactDetail, Identity, Profile
from profiles.rights.models import Erasure
from profiles.rights.outbox import outgoing_email_compose
from profiles.rights.parts import registered_parts
from profiles.services import pseudonymise


def erasure_key(identity: Identity) -> str:
    """The keyed hash the erasure register knows a person by (the same after a new login)."""
    return pseudonymise(f"{identity.type}:{identity.value}:{identity.branch}")


def profile_erase_everything(*, profile: Profile, farewell: bool = True) -> Erasure:
    """Erase the person. `farewell`: send the last e-mail to their confirmed address, if any."""
    with transaction.atomic(), disable_auditlog():
        profile = person_lock(profile)
        # The register first: the audit trail's database guard lets the erasing transaction
        # remove entries only once it holds an erasure row of its own.
        erasure = Erasure.objects.create(
            subject_key=erasure_key(profile.identity), erased_at=timezone.now()
        )
        email = (
            ContactDetail.objects.confirmed()
            .filter(profile=profile, kind=ContactKind.EMAIL)
            .values_list("value", flat=True)
            .first()
        )
        if farewell and email:
            outgoing_email_compose(to=email, template="erased", language=profile.language)
        for part in reversed(registered_parts()):
            part.erase(profile)
        # After the parts: records they wrote (consents ended) count as before the erasure.
        erasure.erased_at = timezone.now()
        erasure.save(update_fields=["erased_at"])
    return erasure


def erased_since(identity: Identity):
    """A subquery for the last erasure of this person (None: never erased)."""
    return (
        Erasure.objects.filter(subject_key=erasure_key(identity))
        .order_by("-erased_at")
        .values("erased_at")[:1]
    )
