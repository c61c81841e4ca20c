"""KvK Handelsregister: the basisprofiel of an onderneming (API Basisprofiel v1)."""

import re
from typing import Protocol, runtime_checkable

from profiles.registers.access import Access
from profiles.registers.errors import KVK
from profiles.registers.records import Address, Basisprofiel, Vestiging, normalise_postcode
from profiles.registers.transport import JSON, fetch_json, obj, objects, text
from profiles.validators import is_kvk_number

API_KEY_HEADER = "apikey"


@runtime_checkable
class KvkClient(Protocol):
    def basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        """The onderneming with its vestigingen, or None when the KvK does not know it."""


class HttpKvkClient:
    def __init__(self, *, base_url: str, access: Access, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.access = access
        self.timeout = timeout

    def basisprofiel(self, kvk_nummer: str) -> Basisprofiel | None:
        # The API answers a malformed number with 400; to the caller that is simply unknown.
        if not is_kvk_number(kvk_nummer):
            return None
        profile = self._get(f"/v1/basisprofielen/{kvk_nummer}")
        if profile is None:
            return None
        listing = self._get(f"/v1/basisprofielen/{kvk_nummer}/vestigingen") or {}
        return parse_basisprofiel(kvk_nummer, profile, listing)

    def _get(self, path: str) -> JSON | None:
        return fetch_json(
            KVK,
            "GET",
            f"{self.base_url}{path}",
            access=self.access,
            accept="application/hal+json, application/json",
            timeout=self.timeout,
            # The basisprofiel is the resource: a 404 says the KvK does not know the number.
            missing_means_unknown=True,
        )


def parse_basisprofiel(kvk_nummer: str, profile: JSON, listing: JSON) -> Basisprofiel:
    embedded = obj(profile, "_embedded")
    main = obj(embedded, "hoofdvestiging")
    trade_names = objects(profile, "handelsnamen")
    handelsnaam = (
        text(profile, "naam")
        or (text(trade_names[0], "naam") if trade_names else "")
        or text(main, "eersteHandelsnaam")
    )

    # Only the basisprofiel gives the main branch's address in parts; the listing of
    # vestigingen gives each address as one line.
    hoofdvestiging = None
    if text(main, "vestigingsnummer"):
        hoofdvestiging = Vestiging(
            vestigingsnummer=text(main, "vestigingsnummer"),
            eerste_handelsnaam=text(main, "eersteHandelsnaam"),
            is_hoofdvestiging=True,
            bezoekadres=_visiting_address(objects(main, "adressen")),
        )
    vestigingen = []
    for item in objects(listing, "vestigingen"):
        number = text(item, "vestigingsnummer")
        if hoofdvestiging and number == hoofdvestiging.vestigingsnummer:
            vestigingen.append(hoofdvestiging)
            continue
        vestigingen.append(
            Vestiging(
                vestigingsnummer=number,
                eerste_handelsnaam=text(item, "eersteHandelsnaam"),
                is_hoofdvestiging=text(item, "indHoofdvestiging").lower() == "ja",
                bezoekadres=parse_full_address(text(item, "volledigAdres")),
            )
        )
    if hoofdvestiging and hoofdvestiging not in vestigingen:
        vestigingen.insert(0, hoofdvestiging)

    return Basisprofiel(
        kvk_nummer=text(profile, "kvkNummer") or kvk_nummer,
        handelsnaam=handelsnaam,
        rechtsvorm=text(obj(embedded, "eigenaar"), "rechtsvorm"),
        vestigingen=tuple(vestigingen),
    )


def _visiting_address(addresses: list[JSON]) -> Address | None:
    visiting = next((a for a in addresses if text(a, "type") == "bezoekadres"), None)
    if visiting is None:
        return None
    if not text(visiting, "straatnaam") and text(visiting, "volledigAdres"):
        return parse_full_address(text(visiting, "volledigAdres"))
    return Address(
        street=text(visiting, "straatnaam"),
        house_number=text(visiting, "huisnummer"),
        house_letter=text(visiting, "huisletter"),
        addition=text(visiting, "huisnummerToevoeging"),
        postcode=normalise_postcode(text(visiting, "postcode")) or text(visiting, "postcode"),
        city=text(visiting, "plaats"),
        country=_country(text(visiting, "land")),
    )


def _country(land: str) -> str:
    return "NL" if land.lower() in {"", "nl", "nederland"} else land


_POSTCODE_AND_CITY = re.compile(r"\s([1-9][0-9]{3}) ?([A-Z]{2})\s+(.+)$")
_STREET_AND_HOUSE = re.compile(r"^(.+?)\s+([0-9]+)\s*(.*)$")


def parse_full_address(line: str) -> Address | None:
    """'Hoofdstraat 1 A 1234AB Voorbeeldstad' -> Address; a line it cannot split stays whole."""
    if not line:
        return None
    tail = _POSTCODE_AND_CITY.search(line)
    head = _STREET_AND_HOUSE.match(line[: tail.start()]) if tail else None
    if not (tail and head):
        return Address(street=line)
    rest = head[3].strip().lstrip("-").strip()
    is_letter = len(rest) == 1 and rest.isalpha()
    return Address(
        street=head[1],
        house_number=head[2],
        house_letter=rest if is_letter else "",
        addition="" if is_letter else rest,
        postcode=f"{tail[1]}{tail[2]}",
        city=tail[3].strip(),
    )
