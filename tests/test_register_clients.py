"""The HTTP clients of the KvK, the BRP and the BAG against local registers that answer only
what the registers' official documents allow (tests/support/fake_registers.py)."""

import logging
import time

import pytest

from profiles.registers import RegisterUnavailable
from profiles.registers.access import Access
from profiles.registers.bag import MAX_PAGES, HttpBagClient
from profiles.registers.brp import HttpBrpClient
from profiles.registers.kvk import HttpKvkClient
from profiles.registers.records import Address
from tests.support.fake_registers import API_KEY, FakeBag, FakeBrp, FakeKvk, serving
from tests.support.http_peer import unused_port
from tests.support.register_data import (
    ABROAD_BSN,
    BRP_PERSONS,
    BURGER_BSN,
    KVK_PROFILES,
    LOCATION_BSN,
    NOBODY_BSN,
    UNKNOWN_BSN,
    bag_addresses,
)

# Generous for answers that come (a loaded CI machine is slow); short where a test waits for it.
TIMEOUT = 5.0
SHORT_TIMEOUT = 0.5
CLIENTS = {"kvk": HttpKvkClient, "brp": HttpBrpClient, "bag": HttpBagClient}


@pytest.fixture
def kvk():
    with serving(FakeKvk(KVK_PROFILES)) as fake:
        yield fake


@pytest.fixture
def brp():
    with serving(FakeBrp(BRP_PERSONS)) as fake:
        yield fake


@pytest.fixture
def bag():
    with serving(FakeBag(bag_addresses(3))) as fake:
        yield fake


def client(fake, base_url: str = "", timeout: float = TIMEOUT):
    """The HTTP client of the fake's register, with its key, pointed at the fake."""
    name = {FakeKvk: "kvk", FakeBrp: "brp", FakeBag: "bag"}[type(fake)]
    access = Access(api_key_header=fake.api_key_header, api_key=API_KEY)
    return CLIENTS[name](base_url=base_url or fake.url, access=access, timeout=timeout)


def ask(fake, base_url: str = "", timeout: float = TIMEOUT):
    """One ordinary question to the fake's register, about a subject it knows."""
    c = client(fake, base_url, timeout)
    if isinstance(fake, FakeKvk):
        return c.basisprofiel("69599084")
    return c.person(BURGER_BSN) if isinstance(fake, FakeBrp) else c.address_lookup("6922KZ", 1)


def register_logs(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "profiles.registers"]


# --- KvK ---------------------------------------------------------------------------------


def test_kvk_basisprofiel_over_http(kvk):
    profile = client(kvk).basisprofiel("69599084")

    assert [(r["method"], r["path"].removeprefix(kvk.base_path)) for r in kvk.seen] == [
        ("GET", "/v1/basisprofielen/69599084"),
        ("GET", "/v1/basisprofielen/69599084/vestigingen"),
    ]
    assert (profile.kvk_nummer, profile.handelsnaam) == ("69599084", "Test BV Donald")
    assert profile.rechtsvorm == "BeslotenVennootschap"
    main, other = profile.vestigingen
    assert main.is_hoofdvestiging and not other.is_hoofdvestiging
    # The main branch keeps the address in parts from the profile, not the one-line version.
    assert main.bezoekadres == Address(
        street="Oudegracht", house_number="100", house_letter="A", postcode="3511AB", city="Utrecht"
    )
    assert other.eerste_handelsnaam == "Donald Werkplaats"
    assert other.bezoekadres.lines == ["Hoofdstraat 3-bis", "1234 AB Voorbeeldstad"]


def test_kvk_tolerates_missing_fields_and_reads_its_404_as_unknown(kvk):
    profile = client(kvk).basisprofiel("68750110")
    assert (profile.handelsnaam, profile.rechtsvorm, profile.vestigingen) == ("Bolderbast", "", ())
    assert client(kvk).basisprofiel("12345678") is None
    assert client(kvk).basisprofiel("1234") is None  # not a KvK number: not even asked
    assert len(kvk.seen) == 3


# --- BRP ---------------------------------------------------------------------------------


def test_brp_is_asked_by_post_for_only_the_name_and_the_residence(brp):
    client(brp).person(BURGER_BSN)

    [request] = brp.seen
    assert (request["method"], request["path"], request["query"]) == (
        "POST",
        f"{brp.base_path}/personen",
        {},
    )
    assert request["headers"]["x-api-key"] == API_KEY
    assert request["body"] == {
        "type": "RaadpleegMetBurgerservicenummer",
        "burgerservicenummer": [BURGER_BSN],
        "fields": ["naam.volledigeNaam", "verblijfplaats"],
    }


def test_brp_name_keeps_its_predicate_and_the_address_its_parts(brp):
    person = client(brp).person(BURGER_BSN)

    assert person.full_name == "jonkheer Jo Anne van Hoogh"
    assert person.verblijfplaats.lines == [
        "Laan van de landinrichtingscommissie Duiven-Westervoort 1A-bis",
        "6922 KZ Duiven",
    ]
    assert person.verblijfplaats.address.bag_id == "0226010000038820"


@pytest.mark.parametrize(
    ("bsn", "lines"),
    [
        (ABROAD_BSN, ["Rue du Pomme 25", "Bruxelles", "Région de Bruxelles-Capitale", "België"]),
        (LOCATION_BSN, ["Woonboot in de Grotere Sloot"]),
        (UNKNOWN_BSN, []),
    ],
)
def test_brp_residence_of_every_type_is_read(brp, bsn, lines):
    person = client(brp).person(bsn)

    assert person.verblijfplaats.lines == lines
    assert person.verblijfplaats.unknown == (bsn == UNKNOWN_BSN)


def test_brp_home_opposite_a_house_number_says_so(brp):
    brp.persons[NOBODY_BSN] = {
        "naam": {"volledigeNaam": "Kees Jansen"},
        "verblijfplaats": {
            "type": "Adres",
            "verblijfadres": {
                "korteStraatnaam": "Dorpsweg",
                "huisnummer": 12,
                "aanduidingBijHuisnummer": {"code": "to", "omschrijving": "tegenover"},
                "postcode": "6922KZ",
                "woonplaats": "Duiven",
            },
        },
    }

    person = client(brp).person(NOBODY_BSN)

    assert person.verblijfplaats.lines == ["Dorpsweg tegenover 12", "6922 KZ Duiven"]


def test_brp_unknown_or_invalid_bsn_is_none(brp):
    assert client(brp).person(NOBODY_BSN) is None  # an empty `personen` list
    assert client(brp).person("123456789") is None  # fails the elfproef: not even asked
    assert len(brp.seen) == 1


# --- BAG ---------------------------------------------------------------------------------


def test_bag_lookup_asks_for_full_pages(bag):
    addresses = client(bag).address_lookup("6922 kz", 1)

    [request] = bag.seen
    assert request["path"] == f"{bag.base_path}/adressen"
    assert request["query"] == {"postcode": ["6922KZ"], "huisnummer": ["1"], "pageSize": ["100"]}
    assert request["headers"]["x-api-key"] == API_KEY
    first = addresses[0]
    assert (first.street, first.house, first.postcode, first.city) == (
        "Laan van de landinrichtingscommissie Duiven-Westervoort",
        "1A",
        "6922KZ",
        "Duiven",
    )
    assert [a.house for a in addresses] == ["1A", "1B", "1C"]
    assert client(bag).address_lookup("6922KZ", 1, huisletter="b") == [addresses[1]]
    assert bag.seen[1]["query"]["huisletter"] == ["b"]
    assert client(bag).address_lookup("6922KZ", 2) == []


def test_bag_follows_the_next_pages_to_the_end(bag):
    bag.addresses = bag_addresses(250)

    addresses = client(bag).address_lookup("6922KZ", 1)

    assert [r["query"].get("page") for r in bag.seen] == [None, ["2"], ["3"]]
    assert len(addresses) == 250
    assert len({a.bag_id for a in addresses}) == 250


def test_bag_does_not_follow_a_next_page_to_another_host(bag, caplog):
    bag.addresses = bag_addresses(150)
    with serving(FakeBag(bag_addresses(150))) as elsewhere:
        bag.link_origin = elsewhere.origin  # the same machine, another port: another origin

        with caplog.at_level(logging.WARNING):
            addresses = client(bag).address_lookup("6922KZ", 1)

        assert elsewhere.seen == []  # neither the key nor a question went there
    assert len(addresses) == 100
    assert [r.reason for r in register_logs(caplog)] == ["next_elsewhere"]


def test_bag_stops_after_a_sane_number_of_pages(bag, caplog):
    bag.addresses = bag_addresses(MAX_PAGES * 100 + 1)

    with caplog.at_level(logging.WARNING):
        addresses = client(bag).address_lookup("6922KZ", 1)

    assert len(bag.seen) == MAX_PAGES
    assert len(addresses) == MAX_PAGES * 100
    assert [r.reason for r in register_logs(caplog)] == ["too_many_pages"]


# --- a 404: unknown from the KvK, a wrong base URL from the BRP and the BAG ----------------


@pytest.mark.parametrize(("fixture", "left_off"), [("brp", "/brp"), ("bag", "/v2")])
def test_a_404_from_a_base_url_with_a_part_left_off_is_a_logged_fault(
    request, caplog, fixture, left_off
):
    fake = request.getfixturevalue(fixture)
    wrong = fake.url.removesuffix(left_off)

    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        ask(fake, wrong)

    assert fake.seen[0]["path"].startswith(fake.base_path.removesuffix(left_off))
    assert (raised.value.register, raised.value.reason) == (fixture, "wrong_url")
    [record] = register_logs(caplog)
    assert (record.levelname, record.status, record.code) == ("ERROR", 404, "notFound")
    assert BURGER_BSN not in caplog.text


# --- every way a register can fail --------------------------------------------------------


def _slow(request):
    return 200, {}, SHORT_TIMEOUT * 5


def _html(request):
    return 502, "<html><body>Bad Gateway</body></html>", 0, {"Content-Type": "text/html"}


FAILURES = {
    # mode: (how the register or what stands before it answers, reason, logged code per register)
    "slow": (_slow, "timeout", None),
    "error": (500, "server_error", {"kvk": "TEST500", "brp": "serverError", "bag": "serverError"}),
    "proxy": (_html, "server_error", {"kvk": "", "brp": "", "bag": ""}),
    "forbidden": (
        403,
        "unexpected_status",
        {"kvk": "TEST403", "brp": "autorisation", "bag": "autorisation"},
    ),
    "refused": (None, "connection_error", None),
}


@pytest.mark.parametrize("name", ["kvk", "brp", "bag"])
@pytest.mark.parametrize("mode", FAILURES)
def test_a_register_that_fails_raises_register_unavailable(request, caplog, name, mode):
    fake = request.getfixturevalue(name)
    answer, reason, codes = FAILURES[mode]
    if isinstance(answer, int):
        fake.fail_with(answer)
    else:
        fake.answer_instead = answer
    base_url = f"http://127.0.0.1:{unused_port()}/api" if mode == "refused" else ""

    started = time.monotonic()
    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        ask(fake, base_url, timeout=SHORT_TIMEOUT)

    assert time.monotonic() - started < SHORT_TIMEOUT * 4  # the configured timeout is honoured
    assert (raised.value.register, raised.value.reason) == (name, reason)
    # The requests error (whose text holds the URL, and so maybe an identifier) is not chained.
    assert raised.value.__context__ is None or raised.value.__suppress_context__
    [record] = register_logs(caplog)
    assert (record.levelname, record.register, record.reason) == ("WARNING", name, reason)
    if codes and name in codes:
        assert record.code == codes[name]
    assert BURGER_BSN not in caplog.text


def test_an_answer_that_is_not_json_is_unavailable(brp, caplog):
    brp.answer_instead = lambda request: (200, "{not json", 0)

    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        ask(brp)

    assert raised.value.reason == "bad_json"
