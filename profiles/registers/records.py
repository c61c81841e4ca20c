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

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.voornamen, self.voorvoegsel, self.geslachtsnaam) if p)


@dataclass(frozen=True)
class Person:
    # Kept out of repr so that a logged or printed record does not leak the BSN.
    bsn: str = field(repr=False)
    naam: Name = field(default_factory=Name)
    verblijfplaats: Address | None = None

    @property
    def full_name(self) -> str:
        return self.naam.full_name
