"""What the source registers tell the portal, as plain immutable values (never raw JSON)."""

import re
from dataclasses import dataclass, field

_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")


def normalise_postcode(value: str) -> str:
    """'1234 ab' -> '1234AB'; anything that is not a Dutch postcode becomes ''."""
    match = _POSTCODE.match(value.strip())
    return f"{match[1]}{match[2].upper()}" if match else ""


@dataclass(frozen=True)
class Address:
    street: str = ""
    house_number: str = ""
    house_letter: str = ""
    addition: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "NL"
    bag_id: str = ""

    @property
    def house(self) -> str:
        """House number as written on a letter: '1A-2'."""
        number = f"{self.house_number}{self.house_letter}"
        return f"{number}-{self.addition}" if self.addition else number

    @property
    def lines(self) -> list[str]:
        postcode = self.postcode
        if self.country == "NL" and len(postcode) == 6:
            postcode = f"{postcode[:4]} {postcode[4:]}"
        lines = [
            " ".join(part for part in (self.street, self.house) if part),
            " ".join(part for part in (postcode, self.city) if part),
        ]
        if self.country != "NL":
            lines.append(self.country)
        return [line for line in lines if line]


@dataclass(frozen=True)
class Vestiging:
    vestigingsnummer: str
    eerste_handelsnaam: str = ""
    is_hoofdvestiging: bool = False
    bezoekadres: Address | None = None


@dataclass(frozen=True)
class Basisprofiel:
    kvk_nummer: str
    handelsnaam: str = ""
    rechtsvorm: str = ""
    # A tuple, not a list: a frozen record should not change under the page that shows it.
    vestigingen: tuple[Vestiging, ...] = field(default_factory=tuple)

    @property
    def hoofdvestiging(self) -> Vestiging | None:
        return next((v for v in self.vestigingen if v.is_hoofdvestiging), None)


@dataclass(frozen=True)
class Name:
    voornamen: str = ""
    voorvoegsel: str = ""
    geslachtsnaam: str = ""
    # The name as the BRP writes it in full, with a noble title or predicate where there is one
    # ("jonkheer Jo Anne van Hoogh"); the parts alone would drop it.
    volledige_naam: str = ""

    @property
    def full_name(self) -> str:
        parts = (self.voornamen, self.voorvoegsel, self.geslachtsnaam)
        return self.volledige_naam or " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Residence:
    """Where the BRP says a person lives, in whichever of its shapes (`verblijfplaats.type`).

    'Adres' is a Dutch address in parts; 'Locatie' a described place without one (a houseboat,
    a caravan site); 'VerblijfplaatsBuitenland' lines of a foreign address and the country;
    'VerblijfplaatsOnbekend' that the municipality does not know where the person lives.
    """

    address: Address | None = None
    # 'tegenover' or 'bij' when the BRP places the home opposite or near a house number.
    house_qualifier: str = ""
    location: str = ""
    foreign_lines: tuple[str, ...] = ()
    country: str = ""
    unknown: bool = False

    @property
    def lines(self) -> list[str]:
        if self.address:
            lines = self.address.lines
            street, house = self.address.street, self.address.house
            if self.house_qualifier and (street or house):
                lines[0] = " ".join(p for p in (street, self.house_qualifier, house) if p)
            return lines
        if self.location:
            return [self.location]
        return [line for line in (*self.foreign_lines, self.country) if line]


@dataclass(frozen=True)
class Person:
    # Kept out of repr so that a logged or printed record does not leak the BSN.
    bsn: str = field(repr=False)
    naam: Name = field(default_factory=Name)
    verblijfplaats: Residence | None = None

    @property
    def full_name(self) -> str:
        return self.naam.full_name
