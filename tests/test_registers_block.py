"""The read-only block with source register data on 'Mijn gegevens', over HTTP."""

import re
from html import unescape

import pytest
from django.core.cache import cache

from profiles.models import Identity

pytestmark = pytest.mark.django_db

OVERVIEW = "/mijn-gegevens"
KVK_SOURCE = "Uit het Handelsregister van de KvK"
BRP_SOURCE = "Uit de BRP: de gegevens die uw gemeente over u bijhoudt"
KVK_DOWN = "Wij kunnen uw gegevens nu niet ophalen uit het Handelsregister (KvK)"


def text_of(response) -> str:
    """The page as a screen reader reads it: tags gone, whitespace collapsed."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def registers_block(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="registers".*?</section>', html, re.S)
    assert match, "the register block is missing"
    return match.group(0)


def report_links(response) -> list[tuple[str, str]]:
    """(href, link text including the visually hidden part) of every 'Klopt dit niet?' link."""
    links = re.findall(r'<a href="([^"]*klopt-dit-niet[^"]*)">(.*?)</a>', registers_block(response))
    return [
        (unescape(href), " ".join(unescape(re.sub(r"<[^>]+>", "", t)).split())) for href, t in links
    ]


def test_a_company_login_shows_the_business_from_the_handelsregister(client, login):
    login("eherkenning", "eh-company", "substantieel")

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    page = text_of(response)
    assert "Gegevens uit registers van de overheid" in page
    assert "Handelsnaam Test BV Donald" in page
    assert "KvK-nummer 69599084" in page
    assert "Soort bedrijf Besloten Vennootschap" in page
    assert "Vestiging: Test BV Donald Voorbeeldstad" in page
    assert "Oudegracht 100 3511 AB Utrecht" in page
    assert "Hoofdstraat 3 1234 AB Voorbeeldstad" in page
    assert KVK_SOURCE in page
    assert BRP_SOURCE not in page
    assert "U bent ingelogd voor deze vestiging." not in page


def test_each_item_has_a_report_link_that_says_which_item(client, login):
    login("eherkenning", "eh-company", "substantieel")

    links = report_links(client.get(OVERVIEW))

    assert (
        "/mijn-gegevens/klopt-dit-niet?register=kvk&item=handelsnaam",
        "Klopt dit niet? Handelsnaam",
    ) in links
    assert (
        "/mijn-gegevens/klopt-dit-niet?register=kvk&item=vestiging%3A000038509504%3Abezoekadres",
        "Klopt dit niet? Bezoekadres van Test BV Donald Voorbeeldstad",
    ) in links
    texts = [text for _href, text in links]
    assert len(texts) == len(set(texts)), "two links read the same to a screen reader"


def test_a_branch_login_marks_its_own_branch(client, login):
    login("eherkenning", "eh-branch", "substantieel")

    page = text_of(client.get(OVERVIEW))

    assert (
        "Vestiging: Test BV Donald U bent ingelogd voor deze vestiging. Dit is de hoofdvestiging."
        in page
    )
    assert page.count("U bent ingelogd voor deze vestiging.") == 1


def test_a_branch_login_sees_its_own_branch_first(client, login):
    profile = login("eherkenning", "eh-branch", "substantieel")
    # The same company, logged in for its second branch.
    Identity.objects.filter(pk=profile.identity.pk).update(branch="000038509504")

    page = text_of(client.get(OVERVIEW))

    own = page.index("Vestiging: Test BV Donald Voorbeeldstad U bent ingelogd voor deze vestiging.")
    assert own < page.index("Vestiging: Test BV Donald Dit is de hoofdvestiging.")


def test_a_digid_login_shows_name_and_home_address_from_the_brp(client, login):
    login("digid", "digid-burger", "substantieel")

    response = client.get(OVERVIEW)

    page = text_of(response)
    assert "Naam Sanne de Vries" in page
    assert "Woonadres Hoofdstraat 1 1234 AB Voorbeeldstad" in page
    assert BRP_SOURCE in page
    assert KVK_SOURCE not in page
    assert (
        "/mijn-gegevens/klopt-dit-niet?register=brp&item=woonadres",
        "Klopt dit niet? Woonadres",
    ) in report_links(response)


def test_an_eidas_login_says_there_are_no_register_details(client, login):
    login("eidas", "eidas-person", "substantieel")

    response = client.get(OVERVIEW)

    assert "Daarom tonen wij hier geen gegevens uit Nederlandse registers." in text_of(response)
    assert report_links(response) == []


def test_a_number_the_register_does_not_know_is_said_plainly(client, login):
    profile = login("eherkenning", "eh-company", "substantieel")
    # A valid KvK number the demo Handelsregister has no basisprofiel for.
    Identity.objects.filter(pk=profile.identity.pk).update(value="12345678")

    response = client.get(OVERVIEW)

    assert "Wij vonden geen gegevens over u in het Handelsregister (KvK)." in text_of(response)
    assert report_links(response) == []


def test_a_register_that_is_down_gives_a_notice_and_the_rest_of_the_page_works(
    client, login, settings
):
    login("eherkenning", "eh-company", "substantieel")
    settings.REGISTER_KVK_BACKEND = "demo-down"

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    block = registers_block(response)
    assert 'class="notification notification--warning" role="alert"' in block
    page = text_of(response)
    assert KVK_DOWN in page
    assert "Test BV Donald" not in page
    # The user's own details and the login summary are still there.
    assert "Uw contactgegevens" in page
    assert "Hoe u bent ingelogd" in page
    assert "KvK-nummer 69599084" in page


def test_the_second_view_uses_the_cached_answer_without_asking_the_register(
    client, login, settings
):
    login("eherkenning", "eh-company", "substantieel")
    client.get(OVERVIEW)
    # Were the register asked again, this backend would fail.
    settings.REGISTER_KVK_BACKEND = "demo-down"

    page = text_of(client.get(OVERVIEW))

    assert "Handelsnaam Test BV Donald" in page
    assert KVK_DOWN not in page


def test_a_failure_is_not_cached_so_the_block_recovers_with_the_register(client, login, settings):
    login("digid", "digid-burger", "substantieel")
    settings.REGISTER_BRP_BACKEND = "demo-down"
    assert "Sanne de Vries" not in text_of(client.get(OVERVIEW))

    settings.REGISTER_BRP_BACKEND = "demo"

    assert "Naam Sanne de Vries" in text_of(client.get(OVERVIEW))


def test_the_cache_key_does_not_contain_the_bsn(client, login):
    login("digid", "digid-burger", "substantieel")
    client.get(OVERVIEW)

    # The local-memory cache of the test settings; its keys are what a cache server would log.
    keys = list(cache._cache.keys())
    assert any(":registers:brp:" in key for key in keys)
    assert not any("999993653" in key for key in keys)


def test_the_overview_makes_a_constant_number_of_queries(
    client, login, django_assert_max_num_queries
):
    login("eherkenning", "eh-branch", "substantieel")
    client.get(OVERVIEW)

    # Session (read, save), user, profile, identity, contact details, address, pending codes:
    # the register block adds none.
    with django_assert_max_num_queries(9):
        response = client.get(OVERVIEW)

    assert response.status_code == 200
