"""BRP: name and address of a person (Haal Centraal "BRP bevragen" v2)."""

from typing import Protocol, runtime_checkable

from profiles.registers.errors import BRP
from profiles.registers.records import Address, Name, Person, normalise_postcode
from profiles.registers.transport import JSON, fetch_json, obj, objects, text
from profiles.validators import passes_elfproef


@runtime_checkable
class BrpClient(Protocol):
    def person(self, bsn: str) -> Person | None:
        """The person's name and woonadres, or None when the BRP does not know the BSN."""


class HttpBrpClient:
    def __init__(self, *, base_url: str, api_key: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def person(self, bsn: str) -> Person | None:
        if not passes_elfproef(bsn):
            return None
        # A POST keeps the BSN out of the URL, and so out of every proxy's access log.
        body = fetch_json(
            BRP,
            "POST",
            f"{self.base_url}/personen",
            headers={"X-API-KEY": self.api_key, "Accept": "application/json"},
            json={
                "type": "RaadpleegMetBurgerservicenummer",
                "burgerservicenummer": [bsn],
                # Data minimisation: ask only for what the portal shows.
                "fields": ["naam", "verblijfplaats"],
            },
            timeout=self.timeout,
        )
        if body is None:
            return None
        # An unknown BSN is an empty list, not a 404.
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
        ),
        verblijfplaats=_residence(obj(obj(data, "verblijfplaats"), "verblijfadres")),
    )


def _residence(adres: JSON) -> Address | None:
    if not adres:
        return None
    return Address(
        street=text(adres, "officieleStraatnaam") or text(adres, "korteStraatnaam"),
        house_number=text(adres, "huisnummer"),
        house_letter=text(adres, "huisletter"),
        addition=text(adres, "huisnummertoevoeging"),
        postcode=normalise_postcode(text(adres, "postcode")) or text(adres, "postcode"),
        city=text(adres, "woonplaats"),
    )
