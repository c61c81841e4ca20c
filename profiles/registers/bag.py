"""BAG: the official addresses at a postcode and house number (Haal Centraal "BAG bevragen" v2)."""

from typing import Protocol, runtime_checkable
from urllib.parse import urljoin, urlsplit

from profiles.registers.access import Access
from profiles.registers.errors import BAG, logger
from profiles.registers.records import Address, normalise_postcode
from profiles.registers.transport import JSON, fetch_json, obj, objects, text

API_KEY_HEADER = "X-Api-Key"
# The most the BAG gives per page (its default is 20).
PAGE_SIZE = 100
# A postcode and house number with more than this many pages of addresses is not a real one;
# the person can narrow it down with the letter or addition.
MAX_PAGES = 10


@runtime_checkable
class BagClient(Protocol):
    def address_lookup(
        self, postcode: str, huisnummer: int, huisletter: str = "", toevoeging: str = ""
    ) -> list[Address]:
        """Every address matching the input; without a letter or addition, all of them."""


class HttpBagClient:
    def __init__(self, *, base_url: str, access: Access, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.access = access
        self.timeout = timeout

    def address_lookup(
        self, postcode: str, huisnummer: int, huisletter: str = "", toevoeging: str = ""
    ) -> list[Address]:
        postcode = normalise_postcode(postcode)
        if not postcode or huisnummer < 1:
            return []
        params = {"postcode": postcode, "huisnummer": str(huisnummer), "pageSize": str(PAGE_SIZE)}
        if huisletter:
            params["huisletter"] = huisletter
        if toevoeging:
            params["huisnummertoevoeging"] = toevoeging
        addresses: list[Address] = []
        url, pages = f"{self.base_url}/adressen", 0
        while url:
            body = self._get(url, params)
            pages += 1
            addresses += [parse_address(a) for a in objects(obj(body, "_embedded"), "adressen")]
            url, params = self._next_page(url, body, pages), None
        return addresses

    def _get(self, url: str, params: dict[str, str] | None) -> JSON:
        return fetch_json(
            BAG,
            "GET",
            url,
            access=self.access,
            accept="application/hal+json",
            params=params,
            timeout=self.timeout,
        )

    def _next_page(self, url: str, body: JSON, pages: int) -> str:
        """The next page's URL, when there is one the portal may follow; else ''."""
        href = text(obj(obj(body, "_links"), "next"), "href")
        if not href:
            return ""
        target = urljoin(url, href)
        if not _under(target, self.base_url):
            # The key (and the client certificate) go only to the register we were given.
            logger.warning(
                "BAG next page elsewhere: not followed",
                extra={"register": BAG, "reason": "next_elsewhere", "pages": pages},
            )
            return ""
        if pages >= MAX_PAGES:
            logger.warning(
                "BAG answer longer than %s pages: the rest is left out",
                MAX_PAGES,
                extra={"register": BAG, "reason": "too_many_pages", "pages": pages},
            )
            return ""
        return target


def _under(url: str, base_url: str) -> bool:
    target, base = urlsplit(url), urlsplit(base_url)
    same_origin = (target.scheme, target.netloc.lower()) == (base.scheme, base.netloc.lower())
    return same_origin and (target.path + "/").startswith(base.path.rstrip("/") + "/")


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
