"""Built-in registers with fixed data for development and tests.

The data matches the test identities of the development broker (dev/broker/identities.js), and
the three registers agree with each other: a woonadres or vestiging address is also in the BAG.
`available=False` makes a client behave like a register that is down.
"""

from profiles.registers.errors import BAG, BRP, KVK, unavailable
from profiles.registers.records import (
    Address,
    Basisprofiel,
    Name,
    Person,
    Residence,
    Vestiging,
    normalise_postcode,
)


def _bag(street, number, postcode, city, bag_id, *, letter="", addition="") -> Address:
    return Address(
        street=street,
        house_number=number,
        house_letter=letter,
        addition=addition,
        postcode=postcode,
        city=city,
        bag_id=bag_id,
    )


BAG_ADDRESSES = (
    _bag("Hoofdstraat", "1", "1234AB", "Voorbeeldstad", "0999010000000001"),
    _bag("Hoofdstraat", "1", "1234AB", "Voorbeeldstad", "0999010000000002", letter="A"),
    _bag("Hoofdstraat", "1", "1234AB", "Voorbeeldstad", "0999010000000003", addition="bis"),
    _bag("Hoofdstraat", "2", "1234AB", "Voorbeeldstad", "0999010000000004"),
    _bag("Hoofdstraat", "3", "1234AB", "Voorbeeldstad", "0999010000000005"),
    _bag("Oudegracht", "100", "3511AB", "Utrecht", "0344010000000100"),
    _bag("Oudegracht", "102", "3511AB", "Utrecht", "0344010000000102"),
    _bag("Dorpsstraat", "1", "9999ZZ", "Voorbeelddorp", "0998010000000001"),
    _bag("Dorpsstraat", "12", "9999ZZ", "Voorbeelddorp", "0998010000000012"),
)


def _at(postcode: str, house: str) -> Address:
    """A demo BAG address by postcode and house ('1', '1A', '1-bis')."""
    return next(a for a in BAG_ADDRESSES if a.postcode == postcode and a.house == house)


PERSONS = {
    person.bsn: person
    for person in (
        Person(
            bsn="999993653",
            naam=Name(voornamen="Sanne", voorvoegsel="de", geslachtsnaam="Vries"),
            verblijfplaats=Residence(address=_at("1234AB", "1")),
        ),
        # Owner of an eenmanszaak, logging in with DigiD.
        Person(
            bsn="999990019",
            naam=Name(voornamen="Pieter Jan", geslachtsnaam="Bakker"),
            verblijfplaats=Residence(address=_at("1234AB", "2")),
        ),
        Person(
            bsn="999991772",
            naam=Name(voornamen="Eva", voorvoegsel="van den", geslachtsnaam="Berg"),
            verblijfplaats=Residence(address=_at("9999ZZ", "12")),
        ),
    )
}

BASISPROFIELEN = {
    profile.kvk_nummer: profile
    for profile in (
        Basisprofiel(
            kvk_nummer="69599084",
            handelsnaam="Test BV Donald",
            rechtsvorm="Besloten Vennootschap",
            vestigingen=(
                Vestiging(
                    vestigingsnummer="000038509490",
                    eerste_handelsnaam="Test BV Donald",
                    is_hoofdvestiging=True,
                    bezoekadres=_at("3511AB", "100"),
                ),
                Vestiging(
                    vestigingsnummer="000038509504",
                    eerste_handelsnaam="Test BV Donald Voorbeeldstad",
                    is_hoofdvestiging=False,
                    bezoekadres=_at("1234AB", "3"),
                ),
            ),
        ),
        Basisprofiel(
            kvk_nummer="68750110",
            handelsnaam="Test Stichting Bolderbast",
            rechtsvorm="Stichting",
            vestigingen=(
                Vestiging(
                    vestigingsnummer="000037178598",
                    eerste_handelsnaam="Test Stichting Bolderbast",
                    is_hoofdvestiging=True,
                    bezoekadres=_at("9999ZZ", "1"),
                ),
            ),
        ),
    )
}


class DemoKvkClient:
    def __init__(self, *, available: bool = True):
        self.available = available

    def basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        if not self.available:
            raise unavailable(KVK, "demo_down")
        return BASISPROFIELEN.get(kvk_nummer)


class DemoBrpClient:
    def __init__(self, *, available: bool = True):
        self.available = available

    def person(self, bsn: str) -> Person | None:
        if not self.available:
            raise unavailable(BRP, "demo_down")
        return PERSONS.get(bsn)


class DemoBagClient:
    def __init__(self, *, available: bool = True):
        self.available = available

    def address_lookup(
        self, postcode: str, huisnummer: int, huisletter: str = "", toevoeging: str = ""
    ) -> list[Address]:
        if not self.available:
            raise unavailable(BAG, "demo_down")
        postcode = normalise_postcode(postcode)
        # Like the BAG: a missing letter or addition widens the match instead of excluding.
        return [
            address
            for address in BAG_ADDRESSES
            if address.postcode == postcode
            and address.house_number == str(huisnummer)
            and (not huisletter or address.house_letter.lower() == huisletter.lower())
            and (not toevoeging or address.addition.lower() == toevoeging.lower())
        ]
