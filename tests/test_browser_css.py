"""The minified, inlined stylesheet styles the pages exactly as its source does, in a real
browser, and the Content-Security-Policy lets it through (issue 17)."""

import pytest

from tests.support.browser_login import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Custom properties keep the text they were written with, spaces and all: those are compared
# with spaces around commas squeezed; every real property as the browser computed it.
COMPUTED = """() => Array.from(document.querySelectorAll("body, body *")).map(e => {
  const s = getComputedStyle(e);
  const value = p => p.startsWith("--")
    ? s.getPropertyValue(p).replace(/\\s*,\\s*/g, ",").replace(/\\s+/g, " ").trim()
    : s.getPropertyValue(p);
  return e.tagName + " " + Array.from(s).map(p => p + ":" + value(p)).join(";");
})"""

WITH_SOURCE = """() => new Promise((done, failed) => {
  document.querySelector("head style").remove();
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = "/static/css/portal.css";
  link.onload = done;
  link.onerror = failed;
  document.head.appendChild(link);
})"""


def styles_inline_and_from_source(page, path):
    page.goto(path)
    inline = page.evaluate(COMPUTED)
    page.evaluate(WITH_SOURCE)
    page.wait_for_timeout(500)  # swapping starts the buttons' 0.15 s colour transitions
    return inline, page.evaluate(COMPUTED)


@pytest.mark.parametrize("path", ["/", "/hulp", "/bestaat-niet"])
def test_public_pages_look_the_same_with_the_source_stylesheet(page, path):
    console = []
    page.on("console", lambda message: console.append(message.text))
    inline, source = styles_inline_and_from_source(page, path)

    assert inline == source
    # The policy let the inline stylesheet through (else the page would have no styles).
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"
    assert not [text for text in console if "Content Security Policy" in text]


def test_a_logged_in_page_looks_the_same_with_the_source_stylesheet(page, broker):
    browser_login(page)
    inline, source = styles_inline_and_from_source(page, "/mijn-gegevens")
    assert inline == source
