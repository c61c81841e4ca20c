"""docs/b1-words.md and the check the crawl makes with it: what counts as explained.

The crawl (tests/test_browser_crawl.py) runs this check on every Dutch page; here it runs on a
page made for the purpose, so it is clear what passes and what fails.
"""

import pytest

from tests.support.crawl import b1_problems, b1_words

# The words issue 18 named; the list may grow, these stay.
NAMED = {
    "betrouwbaarheidsniveau",
    "sessie",
    "inlogmiddel",
    "rechtsvorm",
    "basisregistratie personen",
    "vestigingsnummer",
    "BRP",
    "eIDAS",
    "klik",
    "art. 6",
}


def test_the_list_holds_the_words_the_portal_avoids_or_explains():
    words = {word.word: word for word in b1_words()}

    assert set(words) >= NAMED
    assert not words["sessie"].explain
    assert words["vestigingsnummer"].explain
    assert all(word.recognised_by for word in words.values() if word.explain)


PAGE = """<!DOCTYPE html><html lang="nl"><body><main>
  <p id="a">Uw vestigingsnummer staat hieronder.</p>
  <dl><div class="summary-list__row"><dt>Vestigingsnummer</dt><dd>000038509490
    <span class="summary-list__hint">Het nummer van één vestiging van uw bedrijf bij de KvK.</span>
  </dd></div></dl>
  <p>Uit de <abbr title="Basisregistratie Personen">BRP</abbr>.</p>
  <p>Uit de BRP.</p>
  <details><summary>Waar staat dit in de wet?</summary><p>In artikel 6, lid 1.</p></details>
  <p>In artikel 6 van de wet.</p>
  <p>Klik dan op de knop.</p>
  <p lang="en">Your session is about to end.</p>
  <p><code>vestigingsnummer</code> is a field of the API.</p>
  <p>Uw sessie verloopt bijna.</p>
</main></body></html>"""


@pytest.mark.browser
def test_the_check_accepts_an_explained_word_and_flags_the_rest(chromium):
    page = chromium.new_page()
    try:
        page.set_content(PAGE)
        problems = b1_problems(page)
    finally:
        page.close()

    assert problems == [
        '"vestigingsnummer" without "nummer van één vestiging" beside it in: '
        "Uw vestigingsnummer staat hieronder.",
        '"BRP" without "uw gemeente" beside it in: Uit de BRP.',
        '"artikel 6" without "privacywet" beside it in: In artikel 6 van de wet.',
        '"klik" (avoided word) in: Klik dan op de knop.',
        '"sessie" (avoided word) in: Uw sessie verloopt bijna.',
    ]
