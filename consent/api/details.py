"""The contact details a read answers with, from what the gate allowed (consent.gate)."""

from consent.choices import DataField
from consent.gate import Decision
from profiles.sharing import Shareable


def contact_details_out(
    identificatie, doelbinding, version, decision: Decision, found: Shareable
) -> dict:
    """The answer's contact details: only the fields the gate allowed, and only confirmed ones."""
    out = {
        "identificatie": identificatie,
        "doelbinding": doelbinding.pk,
        "doelbindingVersie": version.number,
    }
    if DataField.EMAIL in decision.fields and found.email:
        out["emailadres"] = {
            "waarde": found.email.value,
            "geverifieerdOp": found.email.verified_at,
        }
    if DataField.PHONE in decision.fields and found.phone:
        out["telefoonnummer"] = {
            "waarde": found.phone.value,
            "geverifieerdOp": found.phone.verified_at,
        }
    address = found.postal_address
    if DataField.POSTAL_ADDRESS in decision.fields and address:
        out["postadres"] = {
            "land": address.country,
            "regels": address.lines,
            "postcode": address.postcode or None,
            "huisnummer": address.house_number or None,
            "gewijzigdOp": address.updated_at,
        }
    if DataField.CONTACT_PREFERENCE in decision.fields:
        out["contactvoorkeur"] = found.contact_preference
    return out
