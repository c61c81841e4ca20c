"""BRP: name and address of a person (Haal Centraal "BRP bevragen" v2, BRP API Personen 2.x)."""

from typing import Protocol, runtime_checkable

from profiles.registers.access import Access
from profiles.registers.errors import BRP
from profiles.registers.records import Address, Name, Person, Residence, normalise_postcode
from profiles.registers.transport import JSON, fetch_json, obj, objects, text
from profiles.validators import passes_elfproef

API_KEY_HEADER = "X-API-KEY"
# Data minimisation: only what the portal shows. `naam.volledigeNaam` is the name as the BRP
# writes it, noble title or predicate included; `verblijfplaats` comes in every one of its types.
FIELDS = ["naam.volledigeNaam", "verblijfplaats"]


@runtime_checkable
class BrpClient(Protocol):
    def person(self, bsn: str) -> Person | None:
        """The person's name and woonadres, or None when the BRP does not know the BSN."""


class HttpBrpClient:
    def __init__(self, *, base_url: str, access: Access, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.access = access
        self.timeout = timeout

    def person(self, bsn: str) -> Person | None:
        if not passes_elfproef(bsn):
            return None
        # A POST keeps the BSN out of the URL, and so out of every proxy's access log.
        body = fetch_json(
            BRP,
            "POST",
            f"{self.base_url}/personen",
            access=self.access,
            accept="application/json",
            json={
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": [bsn],
                "fields": FIELDS,
            },
            timeout=self.timeout,
        )
        # An unknown BSN is an empty list, not a 404 (a 404 is a wrong base URL: see fetch_json).
        found = objects(body, "personen")
        return parse_person(bsn, found[0]) if found else None


def parse_person(bsn: str, data: JSON) -> Person:
    naam = obj(data, "naam")
    return Person(
        bsn=bsn,
        naam=Name(
            voornamen=text(naam, "voornamen"),
            voorvoegsel=text(naam, "voorvoegsel"),
            geslachtsnaam=text(naam, "geslachtsnaam"),
            volledige_naam=text(naam, "volledigeNaam"),
        ),
        verblijfplaats=parse_residence(obj(data, "verblijfplaats")),
    )


def parse_residence(data: JSON) -> Residence | None:
    """Every `verblijfplaats.type` of the BRP; None when there is none or the type is new."""
    kind, adres = text(data, "type"), obj(data, "verblijfadres")
    if kind == "Adres" and adres:
        return Residence(
            address=Address(
                street=text(adres, "officieleStraatnaam") or text(adres, "korteStraatnaam"),
                house_number=text(adres, "huisnummer"),
                house_letter=text(adres, "huisletter"),
                addition=text(adres, "huisnummertoevoeging"),
                postcode=normalise_postcode(text(adres, "postcode")) or text(adres, "postcode"),
                city=text(adres, "woonplaats"),
                bag_id=text(data, "adresseerbaarObjectIdentificatie"),
            ),
            house_qualifier=text(obj(adres, "aanduidingBijHuisnummer"), "omschrijving"),
        )
    if kind == "Locatie" and text(adres, "locatiebeschrijving"):
        return Residence(location=text(adres, "locatiebeschrijving"))
    if kind == "VerblijfplaatsBuitenland":
        lines = tuple(line for key in ("regel1", "regel2", "regel3") if (line := text(adres, key)))
        country = text(obj(adres, "land"), "omschrijving")
        return Residence(foreign_lines=lines, country=country) if lines or country else None
    if kind == "VerblijfplaatsOnbekend":
        return Residence(unknown=True)
    return None
