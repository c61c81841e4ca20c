"""Source registers: the records, the demo data, the choice of backend and the settings.

The HTTP clients are in test_register_clients.py, the ways in (token, certificate) in
test_register_access.py."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from profiles.registers import RegisterUnavailable, bag_client, brp_client, kvk_client
from profiles.registers.access import Access, OAuthClient
from profiles.registers.bag import HttpBagClient
from profiles.registers.brp import HttpBrpClient
from profiles.registers.demo import DemoBagClient, DemoBrpClient, DemoKvkClient
from profiles.registers.errors import REGISTER_NAMES
from profiles.registers.kvk import HttpKvkClient, parse_full_address
from profiles.registers.records import Address, Name, Residence, normalise_postcode
from tests.support.portal_process import EXIT_ON_NOTED_PROBLEMS

REPO = Path(__file__).resolve().parents[1]
BURGER_BSN = "999993653"


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


def test_a_name_in_full_keeps_its_title_and_parts_are_joined_without_one():
    assert Name(voornamen="Jo Anne", voorvoegsel="van", geslachtsnaam="Hoogh").full_name == (
        "Jo Anne van Hoogh"
    )
    titled = Name(geslachtsnaam="Hoogh", volledige_naam="jonkheer Jo Anne van Hoogh")
    assert titled.full_name == "jonkheer Jo Anne van Hoogh"


def test_a_residence_is_written_as_on_a_letter_in_each_of_its_shapes():
    address = Address(street="Dorpsweg", house_number="12", postcode="6922KZ", city="Duiven")
    assert Residence(address=address).lines == ["Dorpsweg 12", "6922 KZ Duiven"]
    assert Residence(address=address, house_qualifier="bij").lines[0] == "Dorpsweg bij 12"
    assert Residence(location="Woonboot in de Grotere Sloot").lines == [
        "Woonboot in de Grotere Sloot"
    ]
    abroad = Residence(foreign_lines=("Rue Haute 5", "Bruxelles"), country="België")
    assert abroad.lines == ["Rue Haute 5", "Bruxelles", "België"]
    assert Residence(unknown=True).lines == []


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
    assert burger.verblijfplaats.address.bag_id == "0999010000000001"
    assert DemoBrpClient().person("999990019") and DemoBrpClient().person("999991772")
    assert DemoKvkClient().basisprofiel("12345678") is None
    assert DemoBrpClient().person("111222333") is None


def test_demo_registers_agree_on_addresses():
    persons = [DemoBrpClient().person(bsn) for bsn in ("999993653", "999990019", "999991772")]
    addresses = [person.verblijfplaats.address for person in persons]
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
    ("factory", "name", "demo", "http", "header"),
    [
        (kvk_client, "KVK", DemoKvkClient, HttpKvkClient, "apikey"),
        (brp_client, "BRP", DemoBrpClient, HttpBrpClient, "X-API-KEY"),
        (bag_client, "BAG", DemoBagClient, HttpBagClient, "X-Api-Key"),
    ],
)
def test_factories_follow_the_settings_at_call_time(settings, factory, name, demo, http, header):
    def use(backend, **more):
        for key, value in {"BACKEND": backend, **more}.items():
            setattr(settings, f"REGISTER_{name}_{key}", value)
        return factory()

    assert isinstance(use("demo"), demo) and use("demo").available
    assert isinstance(use("demo-down"), demo) and not use("demo-down").available
    example = "https://register.example"
    client = use("http", URL=f"{example}/api/", API_KEY="key", TIMEOUT=1.5)
    assert isinstance(client, http)
    assert (client.base_url, client.timeout) == (f"{example}/api", 1.5)
    assert client.access == Access(api_key_header=header, api_key="key")
    client = use(
        "http",
        CLIENT_CERT="/etc/portal/client.crt",
        CLIENT_KEY="/etc/portal/client.key",
        CA_BUNDLE="/etc/portal/pkioverheid.pem",
        OAUTH_TOKEN_URL=f"{example}/token",
        OAUTH_CLIENT_ID="portal",
        OAUTH_CLIENT_SECRET="secret",
        OAUTH_SCOPE="scope",
    )
    assert client.access.cert == ("/etc/portal/client.crt", "/etc/portal/client.key")
    assert client.access.verify == "/etc/portal/pkioverheid.pem"
    assert client.access.oauth == OAuthClient(f"{example}/token", "portal", "secret", "scope")
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


_OAUTH = {
    "REGISTER_BRP_OAUTH_TOKEN_URL": "https://brp.example/oauth2/token",
    "REGISTER_BRP_OAUTH_CLIENT_ID": "portal",
    "REGISTER_BRP_OAUTH_CLIENT_SECRET": "secret",
}
_CERT = {
    "REGISTER_BRP_CLIENT_CERT": "{dir}/client.crt",
    "REGISTER_BRP_CLIENT_KEY": "{dir}/client.key",
}


@pytest.mark.parametrize(
    ("env", "output"),
    [
        # The production BRP: a certificate and a token, no key.
        (_OAUTH | _CERT, "- https://brp.example/oauth2/token {dir}/client.crt"),
        ({"REGISTER_BRP_API_KEY": "k"} | _CERT, "k - {dir}/client.crt"),
        (_OAUTH | {"REGISTER_BRP_OAUTH_CLIENT_SECRET": ""}, "REGISTER_BRP_OAUTH_CLIENT_SECRET is"),
        ({"REGISTER_BRP_OAUTH_SCOPE": "brp"}, "REGISTER_BRP_OAUTH_TOKEN_URL is not set"),
        (
            _OAUTH | {"REGISTER_BRP_OAUTH_TOKEN_URL": "http://brp.example/token"},
            "REGISTER_BRP_OAUTH_TOKEN_URL does not start with https://",
        ),
        (_OAUTH | {"REGISTER_BRP_CLIENT_CERT": "{dir}/client.crt"}, "REGISTER_BRP_CLIENT_KEY is"),
        (
            _OAUTH | _CERT | {"REGISTER_BRP_CLIENT_KEY": "{dir}/missing.key"},
            "REGISTER_BRP_CLIENT_KEY is '{dir}/missing.key', which is not a readable file",
        ),
        (
            {"REGISTER_BRP_API_KEY": "k", "REGISTER_BRP_CA_BUNDLE": "{dir}"},
            "REGISTER_BRP_CA_BUNDLE is '{dir}', which is not a readable file",
        ),
    ],
)
def test_a_way_in_given_by_halves_stops_start_up_saying_what_to_set(tmp_path, env, output):
    (tmp_path / "client.crt").write_text("certificate")
    (tmp_path / "client.key").write_text("key")
    env = {key: value.format(dir=tmp_path) for key, value in (_HTTP_BRP | env).items()}
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ} | env
    code = (
        "from config.integrations import registers as r; print(r.REGISTER_BRP_API_KEY or '-', "
        "r.REGISTER_BRP_OAUTH_TOKEN_URL or '-', r.REGISTER_BRP_CLIENT_CERT or '-'); "
        + EXIT_ON_NOTED_PROBLEMS
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=clean, capture_output=True, text=True
    )

    output = output.format(dir=tmp_path)
    if result.returncode == 0:
        assert result.stdout.strip() == output
    else:
        assert output in result.stderr
        assert "Traceback" not in result.stderr
