"""BAG: the official addresses at a postcode and house number (Haal Centraal "BAG bevragen" v2)."""

from typing import Protocol, runtime_checkable

from profiles.registers.errors import BAG
from profiles.registers.records import Address, normalise_postcode
from profiles.registers.transport import JSON, fetch_json, obj, objects, text


@runtime_checkable
class BagClient(Protocol):
    def address_lookup(
        self, postcode: str, huisnummer: int, huisletter: str = "", toevoeging: str = ""
    ) -> list[Address]:
        """Every address matching the input; without a letter or addition, all of them."""


class HttpBagClient:
    def __init__(self, *, base_url: str, api_key: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def address_lookup(
        self, postcode: str, huisnummer: int, huisletter: str = "", toevoeging: str = ""
    ) -> list[Address]:
        postcode = normalise_postcode(postcode)
        if not postcode or huisnummer < 1:
            return []
        params = {"postcode": postcode, "huisnummer": str(huisnummer)}
        if huisletter:
            params["huisletter"] = huisletter
        if toevoeging:
            params["huisnummertoevoeging"] = toevoeging
        body = fetch_json(
            BAG,
            "GET",
            f"{self.base_url}/adressen",
            headers={"X-Api-Key": self.api_key, "Accept": "application/hal+json"},
            params=params,
            timeout=self.timeout,
        )
        if body is None:
            return []
        return [parse_address(item) for item in objects(obj(body, "_embedded"), "adressen")]


def parse_address(data: JSON) -> Address:
    return Address(
        street=text(data, "openbareRuimteNaam") or text(data, "korteNaam"),
        house_number=text(data, "huisnummer"),
        house_letter=text(data, "huisletter"),
        addition=text(data, "huisnummertoevoeging"),
        postcode=normalise_postcode(text(data, "postcode")) or text(data, "postcode"),
        city=text(data, "woonplaatsNaam"),
        bag_id=text(data, "adresseerbaarObjectIdentificatie"),
    )
