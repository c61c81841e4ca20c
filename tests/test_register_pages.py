"""What a person sees of the real BRP and BAG: pages through the real request cycle, with the
registers' `http` backend pointed at local registers held to the official documents."""

import logging
import re
from html import unescape

import pytest

from profiles.models import Identity, PostalAddress, Terugmelding
from tests.support.fake_registers import API_KEY, FakeBag, FakeBrp, serving
from tests.support.register_data import (
    ABROAD_BSN,
    BRP_PERSONS,
    BURGER_BSN,
    LOCATION_BSN,
    UNKNOWN_BSN,
    bag_addresses,
)
from tests.test_address import look_up, radio_value, save

pytestmark = pytest.mark.django_db

OVERVIEW = "/mijn-gegevens"
BRP_DOWN = (
    "Wij kunnen uw gegevens nu niet ophalen uit de BRP (de gegevens die uw gemeente over u "
    "bijhoudt)."
)


def text_of(response) -> str:
    """The page as a screen reader reads it: tags gone, whitespace collapsed."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def brp(settings):
    with serving(FakeBrp(BRP_PERSONS)) as fake:
        settings.REGISTER_BRP_BACKEND = "http"
        settings.REGISTER_BRP_URL = fake.url
        settings.REGISTER_BRP_API_KEY = API_KEY
        settings.REGISTER_BRP_TIMEOUT = 10  # a loaded CI machine answers slowly
        yield fake


@pytest.fixture
def bag(settings):
    with serving(FakeBag(bag_addresses(25))) as fake:
        settings.REGISTER_BAG_BACKEND = "http"
        settings.REGISTER_BAG_URL = fake.url
        settings.REGISTER_BAG_API_KEY = API_KEY
        settings.REGISTER_BAG_TIMEOUT = 10  # a loaded CI machine answers slowly
        yield fake


def log_in_as(login, bsn: str) -> None:
    profile = login("digid", "digid-burger", "substantieel")
    Identity.objects.filter(pk=profile.identity.pk).update(value=bsn)


@pytest.mark.parametrize(
    ("bsn", "name", "home"),
    [
        (
            BURGER_BSN,
            "jonkheer Jo Anne van Hoogh",
            "Laan van de landinrichtingscommissie Duiven-Westervoort 1A-bis 6922 KZ Duiven",
        ),
        (
            ABROAD_BSN,
            "Pieter Jan Bakker",
            "Rue du Pomme 25 Bruxelles Région de Bruxelles-Capitale België",
        ),
        (LOCATION_BSN, "Eva van den Berg", "Woonboot in de Grotere Sloot"),
        (
            UNKNOWN_BSN,
            "Kees Jansen",
            "Onbekend. Uw gemeente weet volgens de BRP niet waar u woont.",
        ),
    ],
)
def test_the_overview_shows_name_and_home_as_the_brp_has_them(client, login, brp, bsn, name, home):
    log_in_as(login, bsn)

    response = client.get(OVERVIEW)

    page = text_of(response)
    assert f"Naam {name} Uit de BRP: de gegevens die uw gemeente over u bijhoudt" in page
    assert f"Woonadres {home} Uit de BRP: de gegevens die uw gemeente over u bijhoudt" in page
    block = re.search(r'<section class="registers".*?</section>', response.content.decode(), re.S)
    assert "Niet ingevuld" not in block[0]
    assert [r["body"]["burgerservicenummer"] for r in brp.seen] == [[bsn]]


def test_a_report_about_a_home_abroad_records_the_lines_shown(client, login, brp):
    log_in_as(login, ABROAD_BSN)
    url = "/mijn-gegevens/klopt-dit-niet?register=brp&item=woonadres"
    page = client.get(url)
    seen = re.search(r'name="seen" value="([^"]*)"', page.content.decode())[1]

    client.post(url, {"note": "Ik woon weer in Nederland.", "seen": seen})

    report = Terugmelding.objects.get()
    assert report.shown_value == "Rue du Pomme 25\nBruxelles\nRégion de Bruxelles-Capitale\nBelgië"


def test_a_brp_url_with_a_part_left_off_shows_unavailable_and_logs_the_fault(
    client, login, brp, settings, caplog
):
    log_in_as(login, BURGER_BSN)
    settings.REGISTER_BRP_URL = brp.url.removesuffix("/brp")

    with caplog.at_level(logging.WARNING, logger="profiles.registers"):
        response = client.get(OVERVIEW)

    assert response.status_code == 200
    page = text_of(response)
    assert BRP_DOWN in page
    assert "Wij vonden geen gegevens over u" not in page
    [record] = [r for r in caplog.records if r.name == "profiles.registers"]
    assert (record.levelname, record.reason, record.status, record.code) == (
        "ERROR",
        "wrong_url",
        404,
        "notFound",
    )


def test_all_25_addresses_at_one_number_are_offered_to_choose_from(client, login, bag):
    profile = login()

    _url, found = look_up(client, "6922 KZ", "1")

    assert found["Location"].startswith("/mijn-gegevens/postadres/kies?wijziging=")
    choose = client.get(found["Location"])
    street = "Laan van de landinrichtingscommissie Duiven-Westervoort"
    options = re.findall(r'<input type="radio" name="address"', choose.content.decode())
    assert len(options) == 25
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXY":
        assert f"{street} 1{letter}, 6922 KZ Duiven" in text_of(choose)
    chosen = client.post(
        found["Location"], {"address": radio_value(choose, f"{street} 1Y, 6922 KZ Duiven")}
    )
    save(client, chosen["Location"])
    address = PostalAddress.objects.get(profile=profile)
    assert (address.house_letter, address.bag_id) == ("Y", "0226010000010024")
