"""A full, scripted use of the portal by one person: every kind of data the portal keeps.

    values = full_use(client, profile, email="a@voorbeeld.nl", phone="+31611111111", ...)

Contact details go through the code flow (the code read from the real outbox), consent is given
and withdrawn through the services, an organisation reads through the real API, a notification
arrives through intake. `values` lists the person's own distinctive values, for tests that
check a download holds them, or that an erasure left none of them.
"""

import re
from dataclasses import dataclass

from django.core import mail
from django.utils import timezone

from consent.choices import DataField, LegalBasis
from consent.services import consent_give, consent_withdraw
from core import sms
from notifications.choices import MessageKind
from notifications.models import ChannelPreference
from profiles.address.services import postal_address_update
from profiles.choices import ContactKind, LoginEventKind, Register
from profiles.contact.services import contact_change_confirm, contact_change_request
from profiles.models import Profile
from profiles.preference.services import contact_preference_update
from profiles.registers.services import terugmelding_create
from profiles.services import login_event_record
from tests.factories import make_doelbinding, make_organisation
from tests.support.api import ApiCaller, identificatie
from tests.support.notifications import submit


@dataclass
class Person:
    email: str
    phone: str
    street: str
    note: str
    subject: str
    pending_email: str


def _confirm(profile: Profile, kind: str, value: str) -> None:
    verification = contact_change_request(
        profile=profile, kind=kind, new_value=value, seen_version=0, language="nl"
    )
    text = mail.outbox[-1].body if kind == ContactKind.EMAIL else sms.outbox[-1].text
    code = re.search(r"\b(\d{6})\b", text).group(1)
    contact_change_confirm(
        profile=profile, verification_id=verification.pk, code=code, language="nl"
    )


def full_use(client, profile: Profile, person: Person, *, tag: str) -> dict:
    """Every kind of data for `profile`; returns the organisation and purposes made for it."""
    _confirm(profile, ContactKind.EMAIL, person.email)
    _confirm(profile, ContactKind.PHONE, person.phone)
    # A code asked for and never used: the download shows it, the erasure removes it.
    contact_change_request(
        profile=profile,
        kind=ContactKind.EMAIL,
        new_value=person.pending_email,
        seen_version=1,
        language="nl",
    )
    postal_address_update(
        profile=profile,
        seen_version=0,
        street=person.street,
        house_number="7",
        postcode="1234AB",
        city="Testdorp",
    )
    profile.refresh_from_db()
    contact_preference_update(profile=profile, preference="digitaal", seen_version=0)
    organisation = make_organisation(f"Gemeente {tag}")
    newsletter = make_doelbinding(
        organisation, name=f"Nieuwsbrief {tag}", fields={DataField.EMAIL, DataField.PHONE}
    )
    survey = make_doelbinding(organisation, name=f"Enquête {tag}")
    consent_give(profile=profile, doelbinding=newsletter, version_id=newsletter.current_version.pk)
    consent_give(profile=profile, doelbinding=survey, version_id=survey.current_version.pk)
    consent_withdraw(profile=profile, doelbinding=survey)
    legal = make_doelbinding(
        organisation,
        name=f"Belastingberichten {tag}",
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
    )
    ApiCaller.for_organisation(client, organisation).zoek(identificatie(profile), legal)
    ChannelPreference.objects.create(
        profile=profile, organisation=organisation, kind=MessageKind.DECISION, email=True, sms=True
    )
    submit(organisation, legal, profile, subject=person.subject, idempotency_key=f"key-{tag}")
    terugmelding_create(
        profile=profile,
        register=Register.BRP,
        item="naam",
        shown_value="J. Jansen",
        note=person.note,
    )
    login_event_record(
        kind=LoginEventKind.LOGIN, method="digid", level="substantieel", identity=profile.identity
    )
    return {
        "legal": legal,
        "organisation": organisation,
        "newsletter": newsletter,
        "survey": survey,
        "at": timezone.now(),
    }
