"""The register block, 'Klopt dit niet?' and 'Wijzigingen' in a real browser, with axe-core.

Every page in each state (filled, register down, empty, error, success), in Dutch and English.
"""

import re

import pytest
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from tests.support.browser_login import browser_login
from tests.test_history import change

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.test_browser_registers"),
]

# The portal plus the test-only view that changes details through the real services.
urlpatterns = [path("test/wijzig", change), *portal_urlpatterns]
handler404 = "config.views.page_not_found"

LANGUAGES = ["nl", "en"]
LOGINS = [
    ("eherkenning", "eh-branch", "Klopt dit niet? Bezoekadres van Test BV Donald Voorbeeldstad"),
    ("digid", "digid-burger", "Klopt dit niet? Woonadres"),
    ("eidas", "eidas-person", ""),
]


def use_language(page, live_server, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def registers(page):
    return page.locator("section.registers")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("method", "identity", "link_name"), LOGINS)
def test_the_overview_with_register_data_has_no_accessibility_violations(
    page, live_server, broker, axe, language, method, identity, link_name
):
    browser_login(page, method=method, identity=identity)
    use_language(page, live_server, language)
    page.goto("/mijn-gegevens")

    assert page.locator("html").get_attribute("lang") == language
    assert registers(page).is_visible()
    if link_name and language == "nl":
        # The visually hidden part makes each link say which item it is about.
        assert page.get_by_role("link", name=link_name, exact=True).is_visible()
    assert axe(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_overview_with_the_register_down_has_no_accessibility_violations(
    page, live_server, broker, axe, settings, language
):
    settings.REGISTER_KVK_BACKEND = "demo-down"
    browser_login(page, method="eherkenning", identity="eh-company")
    use_language(page, live_server, language)
    page.goto("/mijn-gegevens")

    notice = registers(page).get_by_role("alert")
    assert notice.is_visible()
    if language == "nl":
        assert "Wij kunnen uw gegevens nu niet ophalen" in notice.inner_text()
    assert page.locator("#contact-details").is_visible()
    assert axe(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_report_form_in_error_and_success_has_no_accessibility_violations(
    page, live_server, broker, axe, language
):
    browser_login(page, method="eherkenning", identity="eh-company")
    use_language(page, live_server, language)
    page.goto("/mijn-gegevens")
    registers(page).locator('a[href*="item=handelsnaam"]').click()
    page.wait_for_url(re.compile(r"/klopt-dit-niet\?"))
    assert page.locator("h1").count() == 1
    assert axe(page) == []

    # Sent empty: the error summary takes focus and links to the field.
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.locator("#id_note").get_attribute("aria-invalid") == "true"
    if language == "nl":
        assert "Schrijf op wat er niet klopt." in summary.inner_text()
    assert axe(page) == []

    summary.locator("a").click()
    page.keyboard.type("De handelsnaam is sinds 1 maart anders.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/mijn-gegevens$"))
    banner = page.locator(".page-messages .notification--success")
    assert banner.is_visible()
    if language == "nl":
        assert "Wij sturen deze door naar de Kamer van Koophandel (KvK)." in banner.inner_text()
    assert axe(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_history_empty_and_filled_has_no_accessibility_violations(
    page, live_server, broker, axe, language
):
    browser_login(page, method="digid", identity="digid-burger")
    use_language(page, live_server, language)
    page.goto("/mijn-gegevens")
    page.locator('a[href="/mijn-gegevens/wijzigingen"]').click()
    page.wait_for_url(re.compile(r"/wijzigingen$"))
    assert page.locator("table").count() == 0
    if language == "nl":
        assert "Er is nog niets gewijzigd." in page.locator("main").inner_text()
    assert axe(page) == []

    numbers = "&".join(f"number={n}" for n in range(1, 53))
    response = page.request.post(
        "/test/wijzig",
        data=f"action=address&{numbers}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.ok
    page.request.post("/test/wijzig", form={"action": "preference", "value": "post"})
    page.reload()

    table = page.locator("table")
    assert table.locator("caption").is_visible()
    assert table.locator("tbody tr").count() == 50
    if language == "nl":
        assert page.get_by_role("table", name="Wijzigingen in uw gegevens").is_visible()
        first = table.locator("tbody tr").first.inner_text()
        assert "Hoe wij contact met u opnemen" in first
        assert "U, ingelogd met DigiD" in first
    assert axe(page) == []

    page.locator('a[rel="next"]').click()
    page.wait_for_url(re.compile(r"pagina=2"))
    assert page.locator("table tbody tr").count() == 3
    assert axe(page) == []
