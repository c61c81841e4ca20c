"""What the local registers hold in the tests: BRP persons, BAG addresses, KvK profiles.

BRP persons are written in the BRP API's own shape (validated against its document whenever a
fake sends them); the name with a predicate and the houseboat are the examples issue 20 quotes.
BAG addresses start from the BAG document's property examples (Duiven, 6922 KZ, "Laan van de
landinrichtingscommissie Duiven-Westervoort").
"""

import json

from tests.support.fake_registers import bag_address

BURGER_BSN = "999993653"  # at an address
ABROAD_BSN = "999990019"  # abroad
LOCATION_BSN = "999991772"  # on a houseboat
UNKNOWN_BSN = "999992223"  # the municipality does not know where
NOBODY_BSN = "999998286"  # passes the elfproef; the BRP knows no one by it

BRP_PERSONS = {
    BURGER_BSN: {
        "burgerservicenummer": BURGER_BSN,
        "naam": {
            "voornamen": "Jo Anne",
            "adellijkeTitelPredicaat": {
                "code": "JH",
                "omschrijving": "jonkheer",
                "soort": "predicaat",
            },
            "voorvoegsel": "van",
            "geslachtsnaam": "Hoogh",
            "voorletters": "J.A.",
            "volledigeNaam": "jonkheer Jo Anne van Hoogh",
        },
        "verblijfplaats": {
            "type": "Adres",
            "adresseerbaarObjectIdentificatie": "0226010000038820",
            "nummeraanduidingIdentificatie": "0226200000038923",
            "functieAdres": {"code": "W", "omschrijving": "woonadres"},
            "verblijfadres": {
                "officieleStraatnaam": "Laan van de landinrichtingscommissie Duiven-Westervoort",
                "korteStraatnaam": "Ln vd l D-Westervoort",
                "huisnummer": 1,
                "huisletter": "A",
                "huisnummertoevoeging": "bis",
                "postcode": "6922KZ",
                "woonplaats": "Duiven",
            },
        },
    },
    ABROAD_BSN: {
        "burgerservicenummer": ABROAD_BSN,
        "naam": {
            "voornamen": "Pieter Jan",
            "geslachtsnaam": "Bakker",
            "volledigeNaam": "Pieter Jan Bakker",
        },
        "verblijfplaats": {
            "type": "VerblijfplaatsBuitenland",
            "verblijfadres": {
                "regel1": "Rue du Pomme 25",
                "regel2": "Bruxelles",
                "regel3": "Région de Bruxelles-Capitale",
                "land": {"code": "5010", "omschrijving": "België"},
            },
        },
    },
    LOCATION_BSN: {
        "burgerservicenummer": LOCATION_BSN,
        "naam": {
            "voornamen": "Eva",
            "voorvoegsel": "van den",
            "geslachtsnaam": "Berg",
            "volledigeNaam": "Eva van den Berg",
        },
        "verblijfplaats": {
            "type": "Locatie",
            "functieAdres": {"code": "W", "omschrijving": "woonadres"},
            "verblijfadres": {"locatiebeschrijving": "Woonboot in de Grotere Sloot"},
        },
    },
    UNKNOWN_BSN: {
        "burgerservicenummer": UNKNOWN_BSN,
        "naam": {"voornamen": "Kees", "geslachtsnaam": "Jansen", "volledigeNaam": "Kees Jansen"},
        "verblijfplaats": {"type": "VerblijfplaatsOnbekend"},
    },
}


def bag_addresses(count: int, *, huisnummer: int = 1) -> list[dict]:
    """`count` addresses at 6922 KZ and one house number: letters A, B, ... then additions."""
    addresses = []
    for i in range(count):
        letter = chr(ord("A") + i) if i < 26 else None
        addresses.append(
            bag_address(
                huisnummer=huisnummer,
                huisletter=letter,
                huisnummertoevoeging=None if letter else str(i),
                nummeraanduidingIdentificatie=f"0226200000{huisnummer:02d}{i:04d}",
                adresseerbaarObjectIdentificatie=f"0226010000{huisnummer:02d}{i:04d}",
            )
        )
    return addresses


# The KvK, trimmed to the fields the portal reads plus a few it must ignore. Every field is
# optional: KVK_SPARSE has no hoofdvestiging, naam or vestigingen.
KVK_PROFILE = json.loads("""
{"kvkNummer": "69599084", "naam": "Test BV Donald", "_embedded": {
  "hoofdvestiging": {"vestigingsnummer": "000038509490", "eersteHandelsnaam": "Test BV Donald",
    "adressen": [{"type": "correspondentieadres", "straatnaam": "Postweg", "huisnummer": 9},
                 {"type": "bezoekadres", "volledigAdres": "Oudegracht 100 A 3511AB Utrecht",
                  "straatnaam": "Oudegracht", "huisnummer": 100, "huisletter": "A",
                  "postcode": "3511AB", "plaats": "Utrecht", "land": "Nederland"}]},
  "eigenaar": {"rsin": "123456782", "rechtsvorm": "BeslotenVennootschap"}}}""")
KVK_VESTIGINGEN = json.loads("""
{"kvkNummer": "69599084", "totaalAantalVestigingen": 2, "vestigingen": [
  {"vestigingsnummer": "000038509490", "eersteHandelsnaam": "Test BV Donald",
   "indHoofdvestiging": "Ja", "volledigAdres": "Oudegracht 100 A 3511AB Utrecht"},
  {"vestigingsnummer": "000038509504", "eersteHandelsnaam": "Donald Werkplaats",
   "indHoofdvestiging": "Nee", "volledigAdres": "Hoofdstraat 3 -bis 1234AB Voorbeeldstad"}]}""")
KVK_SPARSE = {"kvkNummer": "68750110", "handelsnamen": [{"naam": "Bolderbast", "volgorde": 0}]}
KVK_PROFILES = {"69599084": (KVK_PROFILE, KVK_VESTIGINGEN), "68750110": (KVK_SPARSE, {})}
