"""Source registers: the demo data, the choice of backend, and the HTTP clients against a real
local HTTP server that answers in the registers' own JSON shapes."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from profiles.registers import RegisterUnavailable, bag_client, brp_client, kvk_client
from profiles.registers.bag import HttpBagClient
from profiles.registers.brp import HttpBrpClient
from profiles.registers.demo import DemoBagClient, DemoBrpClient, DemoKvkClient
from profiles.registers.errors import REGISTER_NAMES
from profiles.registers.kvk import HttpKvkClient, parse_full_address
from profiles.registers.records import Address, Name, normalise_postcode
from tests.support.http_peer import http_peer, unused_port
from tests.support.portal_process import EXIT_ON_NOTED_PROBLEMS

REPO = Path(__file__).resolve().parents[1]
BURGER_BSN = "999993653"
TIMEOUT = 0.3

# As the registers send them (JSON text), trimmed to the fields the portal reads plus a few
# it must ignore. Every field is optional: KVK_SPARSE has no hoofdvestiging, naam or vestigingen.
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
BRP_PERSON = json.loads("""
{"type": "RaadpleegMetBurgerservicenummer", "personen": [{
  "naam": {"voornamen": "Sanne", "voorvoegsel": "de", "geslachtsnaam": "Vries"},
  "verblijfplaats": {"type": "Adres", "verblijfadres": {
    "officieleStraatnaam": "Hoofdstraat", "korteStraatnaam": "Hoofdstr", "huisnummer": 1,
    "huisletter": "A", "huisnummertoevoeging": "2", "postcode": "1234AB",
    "woonplaats": "Voorbeeldstad"}}}]}""")
BAG_ADDRESSES = json.loads("""
{"_embedded": {"adressen": [
  {"openbareRuimteNaam": "Hoofdstraat", "korteNaam": "Hoofdstr", "huisnummer": 1,
   "postcode": "1234AB", "woonplaatsNaam": "Voorbeeldstad",
   "adresseerbaarObjectIdentificatie": "0999010000000001"},
  {"korteNaam": "Hoofdstr", "huisnummer": 1, "huisnummertoevoeging": "bis",
   "postcode": "1234AB", "woonplaatsNaam": "Voorbeeldstad",
   "adresseerbaarObjectIdentificatie": "0999010000000003"}]},
 "_links": {"self": {"href": "/adressen?postcode=1234AB&huisnummer=1"}}}""")
FAILURES = {
    "slow": (200, {}),
    "error": (500, {"status": 500, "title": "Interne fout"}),
    "badjson": (200, "{not json"),
    "missing": (404, {"status": 404, "title": "Niet gevonden"}),
    "forbidden": (403, {"status": 403, "title": "Geen toegang"}),
}


def _ok(request: dict) -> tuple[int, object]:
    """The registers as they answer when all is well; the first path segment picks a mode."""
    method, path, query, body = (request[k] for k in ("method", "path", "query", "body"))
    if method == "POST" and path == "/personen":
        known = body["burgerservicenummer"] == [BURGER_BSN]
        return 200, BRP_PERSON if known else {"personen": []}
    if method == "GET" and path == "/adressen":
        bare = query == {"postcode": ["1234AB"], "huisnummer": ["1"]}
        return 200, BAG_ADDRESSES if bare else {"_links": {}}
    kvk = {
        "/v1/basisprofielen/69599084": KVK_PROFILE,
        "/v1/basisprofielen/69599084/vestigingen": KVK_VESTIGINGEN,
        "/v1/basisprofielen/68750110": KVK_SPARSE,
    }
    return (200, kvk[path]) if method == "GET" and path in kvk else FAILURES["missing"]


def _answer(request: dict) -> tuple[int, object, float]:
    # The first path segment picks how the register behaves; the rest is the API path, which
    # is what the recorded request keeps.
    mode, _, rest = request["path"][1:].partition("/")
    request["path"] = f"/{rest}"
    if mode == "slow":
        return 200, {}, TIMEOUT * 5
    status, payload = _ok(request) if mode == "ok" else FAILURES[mode]
    return status, payload, 0


@pytest.fixture(scope="module")
def register():
    with http_peer(_answer) as server:
        yield server


@pytest.fixture
def seen(register):
    register.seen.clear()
    return register.seen


def clients(register, mode: str) -> dict:
    """An HTTP client per register, pointed at the local register in the given mode."""
    port = unused_port() if mode == "refused" else register.server_address[1]
    url = f"http://127.0.0.1:{port}/{mode}"
    o = {"base_url": url, "api_key": "test-key", "timeout": TIMEOUT}
    return {"kvk": HttpKvkClient(**o), "brp": HttpBrpClient(**o), "bag": HttpBagClient(**o)}


def ask(name: str, client):
    """One ordinary question per register, about a subject the register knows."""
    if name == "kvk":
        return client.basisprofiel("69599084")
    return client.person(BURGER_BSN) if name == "brp" else client.address_lookup("1234AB", 1)


# --- records -----------------------------------------------------------------------------


def test_address_lines_are_written_as_on_a_letter():
    parts = {"street": "Hoofdstraat", "house_number": "1", "postcode": "1234AB"}
    address = Address(**parts, house_letter="A", addition="2", city="Voorbeeldstad")
    assert address.lines == ["Hoofdstraat 1A-2", "1234 AB Voorbeeldstad"]
    abroad = Address(street="Rue Haute", house_number="5", city="Bruxelles", country="BE")
    assert abroad.lines == ["Rue Haute 5", "Bruxelles", "BE"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [("1234AB", "1234AB"), ("1234 ab", "1234AB"), (" 3511ab ", "3511AB"), ("0123AB", ""), ("", "")],
)
def test_postcodes_are_normalised(given, expected):
    assert normalise_postcode(given) == expected


def test_a_kvk_address_line_is_split_into_parts_or_kept_whole():
    split = parse_full_address("Hoofdstraat 3 -bis 1234AB Voorbeeldstad")
    assert split.lines == ["Hoofdstraat 3-bis", "1234 AB Voorbeeldstad"]
    assert parse_full_address("Oudegracht 100 A 3511AB Utrecht").house == "100A"
    assert parse_full_address("Postbus 1, Utrecht") == Address(street="Postbus 1, Utrecht")


# --- demo registers ----------------------------------------------------------------------


def test_demo_data_covers_the_brokers_test_identities():
    donald = DemoKvkClient().basisprofiel("69599084")
    assert donald.handelsnaam == "Test BV Donald"
    assert [v.vestigingsnummer for v in donald.vestigingen] == ["000038509490", "000038509504"]
    assert donald.hoofdvestiging.bezoekadres.city == "Utrecht"
    bolderbast = DemoKvkClient().basisprofiel("68750110")
    assert bolderbast.handelsnaam == "Test Stichting Bolderbast"
    assert len(bolderbast.vestigingen) == 1
    burger = DemoBrpClient().person(BURGER_BSN)
    assert burger.full_name == "Sanne de Vries"
    assert BURGER_BSN not in repr(burger)  # a printed or logged record does not leak the BSN
    assert burger.verblijfplaats.lines == ["Hoofdstraat 1", "1234 AB Voorbeeldstad"]
    assert DemoBrpClient().person("999990019") and DemoBrpClient().person("999991772")
    assert DemoKvkClient().basisprofiel("12345678") is None
    assert DemoBrpClient().person("111222333") is None


def test_demo_registers_agree_on_addresses():
    addresses = [DemoBrpClient().person(bsn).verblijfplaats for bsn in ("999993653", "999991772")]
    for kvk_nummer in ("69599084", "68750110"):
        addresses += [v.bezoekadres for v in DemoKvkClient().basisprofiel(kvk_nummer).vestigingen]
    for a in addresses:
        assert a in DemoBagClient().address_lookup(a.postcode, int(a.house_number), a.house_letter)


def test_demo_bag_lookup_narrows_by_letter_and_addition():
    bag = DemoBagClient()
    assert [a.house for a in bag.address_lookup("1234 ab", 1)] == ["1", "1A", "1-bis"]
    assert [a.house for a in bag.address_lookup("1234AB", 1, huisletter="a")] == ["1A"]
    assert [a.house for a in bag.address_lookup("1234AB", 1, toevoeging="bis")] == ["1-bis"]
    assert bag.address_lookup("3511AB", 100)[0].city == "Utrecht"
    assert bag.address_lookup("9999ZZ", 12) != []
    assert bag.address_lookup("1000AA", 1) == []


@pytest.mark.parametrize("name", ["kvk", "brp", "bag"])
def test_a_demo_register_that_is_down_raises_and_logs_without_the_bsn(name, caplog):
    client = {"kvk": DemoKvkClient, "brp": DemoBrpClient, "bag": DemoBagClient}[name]
    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        ask(name, client(available=False))
    assert (raised.value.register, raised.value.reason) == (name, "demo_down")
    assert str(REGISTER_NAMES[name]) in raised.value.user_message
    [record] = [r for r in caplog.records if r.name == "profiles.registers"]
    assert (record.register, record.reason) == (name, "demo_down")
    assert BURGER_BSN not in caplog.text


# --- choosing a backend ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "name", "demo", "http"),
    [
        (kvk_client, "KVK", DemoKvkClient, HttpKvkClient),
        (brp_client, "BRP", DemoBrpClient, HttpBrpClient),
        (bag_client, "BAG", DemoBagClient, HttpBagClient),
    ],
)
def test_factories_follow_the_settings_at_call_time(settings, factory, name, demo, http):
    def use(backend, **more):
        for key, value in {"BACKEND": backend, **more}.items():
            setattr(settings, f"REGISTER_{name}_{key}", value)
        return factory()

    assert isinstance(use("demo"), demo) and use("demo").available
    assert isinstance(use("demo-down"), demo) and not use("demo-down").available
    example = "https://register.example"
    client = use("http", URL=f"{example}/api/", API_KEY="key", TIMEOUT=1.5)
    assert isinstance(client, http)
    assert (client.base_url, client.api_key, client.timeout) == (f"{example}/api", "key", 1.5)
    with pytest.raises(ImproperlyConfigured, match=f"REGISTER_{name}_BACKEND"):
        use("mock")


_DEMO = {f"REGISTER_{name}_BACKEND": "demo" for name in ("KVK", "BRP", "BAG")}
_HTTP_BRP = _DEMO | {"REGISTER_BRP_BACKEND": "http", "REGISTER_BRP_URL": "https://brp.example/api"}


@pytest.mark.parametrize(
    ("env", "started", "output"),
    [
        (_DEMO, True, "demo demo demo - 3.0"),
        (_HTTP_BRP | {"REGISTER_BRP_API_KEY": "k"}, True, "demo http demo https://brp.example/api"),
        (_HTTP_BRP, False, "REGISTER_BRP_API_KEY is not set"),
        ({}, False, "REGISTER_KVK_URL is not set"),
        (_DEMO | {"REGISTER_BAG_BACKEND": "http"}, False, "REGISTER_BAG_URL is not set"),
        (_DEMO | {"REGISTER_KVK_BACKEND": "htpp"}, False, "REGISTER_KVK_BACKEND is 'htpp'"),
    ],
)
def test_register_settings_come_from_the_environment(env, started, output):
    """Production start-up (no DEBUG): the real registers unless demo data is asked for."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ} | env
    code = (
        "from config.integrations import registers as r; print(r.REGISTER_KVK_BACKEND, "
        "r.REGISTER_BRP_BACKEND, r.REGISTER_BAG_BACKEND, r.REGISTER_BRP_URL or '-', "
        "r.REGISTER_BAG_TIMEOUT); " + EXIT_ON_NOTED_PROBLEMS
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )
    assert (result.returncode == 0) == started, result.stderr
    assert output in (result.stdout if started else result.stderr)


# --- HTTP clients against a local register -----------------------------------------------


def test_kvk_basisprofiel_over_http(register, seen):
    profile = clients(register, "ok")["kvk"].basisprofiel("69599084")

    assert [(r["method"], r["path"]) for r in seen] == [
        ("GET", "/v1/basisprofielen/69599084"),
        ("GET", "/v1/basisprofielen/69599084/vestigingen"),
    ]
    assert all(r["headers"]["apikey"] == "test-key" for r in seen)
    assert (profile.kvk_nummer, profile.handelsnaam) == ("69599084", "Test BV Donald")
    assert profile.rechtsvorm == "BeslotenVennootschap"
    main, other = profile.vestigingen
    assert main.is_hoofdvestiging and not other.is_hoofdvestiging
    # The main branch keeps the address in parts from the profile, not the one-line version.
    assert main.eerste_handelsnaam == "Test BV Donald"
    assert main.bezoekadres == Address(
        street="Oudegracht", house_number="100", house_letter="A", postcode="3511AB", city="Utrecht"
    )
    assert other.eerste_handelsnaam == "Donald Werkplaats"
    assert other.bezoekadres.lines == ["Hoofdstraat 3-bis", "1234 AB Voorbeeldstad"]


def test_kvk_tolerates_missing_fields(register, seen):
    profile = clients(register, "ok")["kvk"].basisprofiel("68750110")
    assert (profile.handelsnaam, profile.rechtsvorm, profile.vestigingen) == ("Bolderbast", "", ())


def test_brp_person_over_http(register, seen):
    person = clients(register, "ok")["brp"].person(BURGER_BSN)

    [request] = seen
    assert (request["method"], request["path"], request["query"]) == ("POST", "/personen", {})
    assert request["headers"]["x-api-key"] == "test-key"
    assert request["body"] == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [BURGER_BSN],
        "fields": ["naam", "verblijfplaats"],
    }
    assert person.naam == Name(voornamen="Sanne", voorvoegsel="de", geslachtsnaam="Vries")
    assert person.verblijfplaats.lines == ["Hoofdstraat 1A-2", "1234 AB Voorbeeldstad"]


def test_brp_unknown_or_invalid_bsn_is_none(register, seen):
    brp = clients(register, "ok")["brp"]
    assert brp.person("999990019") is None  # an empty `personen` list
    assert brp.person("123456789") is None  # fails the elfproef: not even asked
    assert len(seen) == 1


def test_bag_address_lookup_over_http(register, seen):
    bag = clients(register, "ok")["bag"]
    addresses = bag.address_lookup("1234 ab", 1)

    assert (seen[0]["method"], seen[0]["path"]) == ("GET", "/adressen")
    assert seen[0]["query"] == {"postcode": ["1234AB"], "huisnummer": ["1"]}
    assert seen[0]["headers"]["x-api-key"] == "test-key"
    assert [(a.street, a.house, a.bag_id) for a in addresses] == [
        ("Hoofdstraat", "1", "0999010000000001"),
        ("Hoofdstr", "1-bis", "0999010000000003"),
    ]
    assert bag.address_lookup("1234AB", 1, huisletter="A", toevoeging="2") == []
    assert seen[1]["query"]["huisletter"] == ["A"]
    assert seen[1]["query"]["huisnummertoevoeging"] == ["2"]


@pytest.mark.parametrize("name", ["kvk", "brp", "bag"])
def test_not_found_is_none_or_empty(register, name):
    assert ask(name, clients(register, "missing")[name]) in (None, [])


REASONS = {"slow": "timeout", "error": "server_error", "badjson": "bad_json"}
REASONS |= {"forbidden": "unexpected_status", "refused": "connection_error"}


@pytest.mark.parametrize("name", ["kvk", "brp", "bag"])
@pytest.mark.parametrize(("mode", "reason"), REASONS.items())
def test_a_register_that_fails_raises_register_unavailable(register, caplog, name, mode, reason):
    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        ask(name, clients(register, mode)[name])
    assert time.monotonic() - started < TIMEOUT * 4  # the configured timeout is honoured
    assert (raised.value.register, raised.value.reason) == (name, reason)
    # The requests error (whose text holds the URL, and so maybe an identifier) is not chained.
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    records = [r for r in caplog.records if r.name == "profiles.registers"]
    assert [(r.levelname, r.register, r.reason) for r in records] == [("WARNING", name, reason)]
    assert BURGER_BSN not in caplog.text
