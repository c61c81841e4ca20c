"""Test data for notifications: people with confirmed contact details, purposes, a message.

person = make_profile(); confirmed(person); with_address(person)
result = submit(gemeente, legal_task(gemeente), person, subject="...")
"""

from django.utils import timezone

from consent.choices import DataField, LegalBasis
from notifications.choices import MessageKind
from notifications.intake.services import notification_submit
from notifications.models import Delivery
from profiles.address.services import postal_address_update
from profiles.models import ContactDetail
from tests.factories import make_doelbinding

# settings.TASKS for tests that run the queue as production does, instead of at once.
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ALL_DATA = frozenset({DataField.EMAIL, DataField.PHONE, DataField.POSTAL_ADDRESS})


def confirmed(profile, kind="email", value=None):
    """A confirmed e-mail address or phone number (the code step is tested elsewhere)."""
    value = value or ("ondernemer@voorbeeld.nl" if kind == "email" else "+31612345678")
    return ContactDetail.objects.create(
        profile=profile, kind=kind, value=value, verified_at=timezone.now()
    )


def with_address(profile):
    return postal_address_update(
        profile=profile,
        seen_version=0,
        street="Dorpsstraat",
        house_number="12",
        postcode="1234AB",
        city="Testdorp",
    )


def legal_task(organisation, fields=ALL_DATA, **kwargs):
    """An active purpose on a legal task: no consent needed, only the data it names."""
    return make_doelbinding(
        organisation, legal_basis=LegalBasis.LEGAL_TASK, fields=set(fields), **kwargs
    )


def submit(organisation, doelbinding, recipient, **overrides):
    values = {
        "kind": MessageKind.STATUS,
        "subject": "Uw aanvraag is in behandeling",
        "body": "Wij hebben uw aanvraag ontvangen.\nU hoort binnen 8 weken van ons.",
        "case_reference": "Z-2026-001",
        "idempotency_key": "key-1",
    } | overrides
    return notification_submit(
        organisation=organisation, doelbinding=doelbinding, recipient=recipient, **values
    )


def channels(notification) -> dict[str, tuple[str, str]]:
    """Each channel of a notification with its status and last error."""
    return {
        d.channel: (d.status, d.last_error)
        for d in Delivery.objects.filter(notification=notification)
    }
