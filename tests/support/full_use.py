"""A scripted full use of the portal, through the same code paths people, staff and
organisations use, with values a test can then look for where they must not be.

Used by the dump test (nothing personal readable at rest) and the log test (nothing personal in
log lines).
"""

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from consent.choices import DataField, LegalBasis
from consent.models import DoelbindingVersion
from consent.services import consent_give
from profiles.address.services import postal_address_update
from profiles.contact.services import contact_change_confirm, contact_change_request
from profiles.preference.services import contact_preference_update
from tests.factories import make_doelbinding, make_organisation
from tests.support.api import ApiCaller, identificatie
from tests.support.portal_login import BrokerUser
from tests.support.staff_login import FORCED_LOGIN_BACKEND

# What the development broker sends for these identities (dev/broker/identities.js), and what
# the demo registers answer for them.
BSN = "999993653"
KVK = "69599084"
ACTING_PERSON = "acting-4f1c9a7e2b6d8035"
BRP_NAME = "Sanne de Vries"
EMAILS = ("eerste.adres@voorbeeld.nl", "tweede.adres@voorbeeld.nl")
PHONE = "+31687654321"
STREET = "Prinsengrachtkade"
FOREIGN = "Rue de la Loi 16"
NOTE = "Mijn achternaam schrijf ik met een kleine letter."


@dataclass
class FullUse:
    """Every personal value the script wrote, to look for afterwards."""

    values: tuple[str, ...]


def run_full_use() -> FullUse:
    person, company = Client(), Client()
    BrokerUser().login(person, method="digid", identity="digid-burger", level="substantieel")
    BrokerUser().login(company, method="eherkenning", identity="eh-company", level="substantieel")
    profile = _profile_of(person)

    # Contact details: an address, then another (the first hears of it), and a phone number.
    for email in EMAILS:
        _confirm(profile, "email", email)
    _confirm(profile, "phone", PHONE)
    postal_address_update(
        profile=profile,
        seen_version=0,
        street=STREET,
        house_number="221",
        house_letter="B",
        postcode="1016AB",
        city="Amsterdam",
    )
    contact_preference_update(profile=profile, preference="digitaal", seen_version=0)

    # A report of wrong register data, through the page (the register's name is kept in it).
    page = person.get("/mijn-gegevens/klopt-dit-niet?register=brp&item=naam")
    seen = re.search(r'name="seen" value="([^"]*)"', page.content.decode())[1]
    person.post(
        "/mijn-gegevens/klopt-dit-niet?register=brp&item=naam", {"note": NOTE, "seen": seen}
    )

    # An organisation: consent for one purpose, a read and a message under a legal task.
    organisation = make_organisation("Gemeente Volledig Gebruik")
    by_consent = make_doelbinding(organisation, fields={DataField.EMAIL, DataField.PHONE})
    legal = make_doelbinding(
        organisation,
        name="Besluiten over uw aanvraag",
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS},
    )
    version = DoelbindingVersion.objects.filter(doelbinding=by_consent).latest("pk")
    consent_give(profile=profile, doelbinding=by_consent, version_id=version.pk)
    api = ApiCaller.for_organisation(Client(), organisation)
    api.zoek(identificatie(profile), by_consent)
    api.zoek(identificatie(profile), legal)
    api.post(
        "/api/profielen/v1/meldingen",
        {
            "ontvanger": identificatie(profile),
            "doelbinding": legal.pk,
            "soort": "besluit",
            "onderwerp": "Besluit over uw aanvraag",
            "tekst": "Wij hebben een besluit genomen. U leest het in de portal.",
            "zaakkenmerk": "Z-2026-0100",
            "idempotentieSleutel": "volledig-gebruik-1",
        },
    )

    # Staff look at the person, as a superuser does.
    staff = Client()
    user = get_user_model().objects.create_superuser("volledig", None, None)
    staff.force_login(user, backend=FORCED_LOGIN_BACKEND)
    staff.get(f"/beheer/profiles/profile/{profile.pk}/change/")
    staff.get("/beheer/profiles/profile/", {"q": BSN})
    staff.get("/beheer/profiles/terugmelding/")

    # The person looks at everything once more, then logs out.
    for path in ("/mijn-gegevens", "/berichten", "/toestemmingen", "/mijn-gegevens/wijzigingen"):
        person.get(path)
    person.post("/uitloggen")
    local_phone = "0" + PHONE[3:]
    values = (
        BSN,
        KVK,
        ACTING_PERSON,
        BRP_NAME,
        *EMAILS,
        PHONE,
        local_phone,
        STREET,
        "1016AB",
        NOTE,
    )
    return FullUse(values=values)


def _profile_of(client: Client):
    from profiles.models import Profile

    user_id = client.session["_auth_user_id"]
    return Profile.objects.select_related("identity").get(user_id=user_id)


def _confirm(profile, kind: str, value: str) -> None:
    profile.refresh_from_db()
    detail = profile.contact_details.filter(kind=kind).first()
    verification = contact_change_request(
        profile=profile,
        kind=kind,
        new_value=value,
        seen_version=detail.version if detail else 0,
        language="nl",
    )
    code = _last_code(kind)
    assert contact_change_confirm(
        profile=profile, verification_id=verification.pk, code=code, language="nl"
    ).ok


def _last_code(kind: str) -> str:
    from core.sms import outbox

    text = mail.outbox[-1].body if kind == "email" else outbox[-1].text
    return re.search(r"\b(\d{6})\b", text)[1]
