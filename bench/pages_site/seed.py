"""The person bench/pages.py measures with: logged in, with something on every page.

Everything goes through the models and services the portal uses. The person has a confirmed
e-mail address and phone number, a postal address, three organisations with two purposes each
(one asks consent, one is a legal task), consent to two of them, and 30 messages (10 unread).
The session is made the way a login makes it (profiles.login.session.session_login).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from bench.four_eyes import purpose_in_force
from consent.choices import DataField, LegalBasis, OrganisationKind
from consent.models import Organisation
from consent.services import consent_give
from notifications.choices import MessageKind
from notifications.models import InboxMessage
from profiles.choices import (
    AssuranceLevel,
    ContactKind,
    ContactPreference,
    IdentityType,
    LoginMethod,
)
from profiles.login import session as portal_session
from profiles.models import ContactDetail, PostalAddress
from profiles.services import profile_get_or_create

BSN = "111222333"  # passes the elfproef
MESSAGES, UNREAD = 30, 10


def person():
    """The profile, with contact details, consents and messages."""
    profile = profile_get_or_create(identity_type=IdentityType.BSN, value=BSN)
    now = timezone.now()
    ContactDetail.objects.create(
        profile=profile, kind=ContactKind.EMAIL, value="bench@voorbeeld.nl", verified_at=now
    )
    ContactDetail.objects.create(
        profile=profile, kind=ContactKind.PHONE, value="+31612345678", verified_at=now
    )
    PostalAddress.objects.create(
        profile=profile,
        street="Stationsplein",
        house_number="1",
        postcode="1234AB",
        city="Benchdorp",
    )
    profile.contact_preference = ContactPreference.DIGITAL
    profile.save(update_fields=["contact_preference", "updated_at"])
    organisations = []
    for number, name in enumerate(("Gemeente Benchdorp", "Provincie Bench", "Waterschap Bench")):
        organisation = Organisation.objects.create(
            name=name, oin=f"{number + 1:020d}", kind=OrganisationKind.GEMEENTE
        )
        organisations.append(organisation)
        for basis in (LegalBasis.CONSENT, LegalBasis.LEGAL_TASK):
            doelbinding = _purpose(organisation, basis)
            if basis == LegalBasis.CONSENT and number < 2:
                version = doelbinding.versions.get()
                consent_give(profile=profile, doelbinding=doelbinding, version_id=version.pk)
    kinds = [MessageKind.RECEIPT, MessageKind.STATUS, MessageKind.DECISION]
    for n in range(MESSAGES):
        InboxMessage.objects.create(
            profile=profile,
            organisation=organisations[n % 3],
            kind=kinds[n % 3],
            subject=f"Uw aanvraag {n + 1}",
            body="Wij hebben uw aanvraag ontvangen. U hoort binnen vier weken van ons.\n" * 3,
            link="https://www.voorbeeld.nl/aanvraag",
            read_at=None if n < UNREAD else now - timedelta(days=1),
        )
    return profile


def _purpose(organisation, basis):
    return purpose_in_force(
        organisation,
        fields={DataField.EMAIL, DataField.PHONE},
        name=f"Berichten van {organisation.name}",
        description="Wij sturen u bericht als er nieuws is over uw aanvraag.",
        legal_basis=basis,
        law="Algemene wet bestuursrecht, artikel 2:14" if basis == LegalBasis.LEGAL_TASK else "",
        retention="Tot 1 jaar na het besluit",
    )


def read_message_id(profile) -> int:
    """A message the person has read already: opening it writes nothing."""
    return InboxMessage.objects.filter(profile=profile, read_at__isnull=False).first().pk


def session_cookie(profile) -> str:
    """A session as a DigiD login at level 'hoog' leaves it; returns its cookie value."""
    user = profile.user
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = portal_session.clock()
    store[portal_session.SESSION_KEY] = {
        "method": LoginMethod.DIGID.value,
        "level": AssuranceLevel.HOOG.value,
        "acting_person": "",
        "login_at": now,
        "last_activity": now,
    }
    store.create()
    return store.session_key
