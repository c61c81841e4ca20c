"""The public pages in a real browser: language, landmarks, and zero axe-core violations."""

import pytest
from django.template import loader
from django.utils import translation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/inloggen", "/toegankelijkheid", "/privacy", "/hulp", "/bestaat-niet"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_public_pages_have_the_right_language_and_no_accessibility_violations(
    page, live_server, axe, path, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.goto(path)

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("main#main").count() == 1
    assert axe(page) == []


def test_the_home_page_says_what_the_portal_is_for_and_offers_three_logins(page):
    page.goto("/")
    assert page.locator("h1").inner_text()
    for name in ("Inloggen met eHerkenning", "Inloggen met DigiD", "Inloggen met eIDAS"):
        assert page.get_by_role("link", name=name).is_visible()
    assert page.get_by_role("link", name="Hulp nodig?").is_visible()


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"


def test_switching_to_english_and_back_keeps_the_page(page):
    page.goto("/hulp")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/hulp")
    page.get_by_role("button", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_pages_fit_a_320_pixel_wide_screen(page):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/inloggen", "/hulp"):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at 320px"


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("template", ["errors/500.html", "errors/503.html"])
def test_the_pages_shown_when_the_portal_itself_fails_are_accessible(
    page, live_server, axe, template, language
):
    # The handler renders these without a request; here the same template, served from the
    # portal's own address so its style sheets load as they would.
    with translation.override(language):
        html = loader.get_template(template).render()
    page.route(
        f"{live_server.url}/kapot",
        lambda route: route.fulfill(status=503, body=html, content_type="text/html"),
    )
    page.goto("/kapot")

    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    help_link = {"nl": "Hulp nodig?", "en": "Need help?"}[language]
    assert page.get_by_role("main").get_by_role("link", name=help_link).is_visible()
    assert axe(page) == []
