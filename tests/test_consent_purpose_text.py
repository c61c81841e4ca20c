"""How a purpose reads on 'Wie mag mijn gegevens gebruiken?': what it means for the person in
B1 Dutch, the legal references in "Waar staat dit in de wet?" for who wants them, and the
organisation's own text marked as Dutch on the English page."""

import re

import pytest

from consent.choices import DataField, LegalBasis
from tests.factories import AWB_2_14, make_doelbinding, make_organisation
from tests.test_consent_portal import LAW_URL, OVERVIEW, give_url, main_text, new_text

pytestmark = pytest.mark.django_db


def test_a_purpose_shows_which_data_why_for_how_long_and_on_which_basis(client, login):
    login()
    gemeente = make_organisation()
    doelbinding = make_doelbinding(gemeente)
    new_text(
        doelbinding,
        fields={DataField.CONTACT_PREFERENCE, DataField.EMAIL, DataField.POSTAL_ADDRESS},
    )

    page = main_text(client.get(OVERVIEW))

    data = re.search(r"Welke gegevens</dt>\s*<dd[^>]*>\s*<ul>(.*?)</ul>", page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", data) == ["e-mailadres", "postadres", "contactvoorkeur"]
    assert "Wij sturen u een e-mail als er nieuws is. Nu ook over uw betaling." in page
    assert "Tot 2 jaar na het besluit" in page
    assert "Deze organisatie mag dit alleen als u toestemming geeft." in page
    law = re.search(r"<details.*?</details>", page, re.S).group()
    assert "In de privacywet (AVG) heet dit toestemming." in law
    assert "artikel 6, lid 1, onder a" in law
    assert "U heeft geen toestemming gegeven." in page
    assert f'href="{give_url(doelbinding)}"' in page


def test_a_legal_task_says_no_consent_is_needed_and_links_the_law(client, login):
    login()
    doelbinding = make_doelbinding(make_organisation(), legal_basis=LegalBasis.LEGAL_TASK)
    new_text(
        doelbinding,
        legal_basis=LegalBasis.LEGAL_TASK,
        law="Algemene wet bestuursrecht, artikel 2:14",
        law_url=LAW_URL,
    )

    page = main_text(client.get(OVERVIEW))

    assert "Deze organisatie mag dit volgens de wet. U hoeft geen toestemming te geven." in page
    # The law for who wants it, in "Waar staat dit in de wet?", its name marked as Dutch.
    law = re.search(r"<details.*?</details>", page, re.S).group()
    assert "Waar staat dit in de wet?" in law
    name = '<span lang="nl">Algemene wet bestuursrecht, artikel 2:14</span>'
    assert f'<a href="{LAW_URL}">{name}</a>' in law
    assert "In de privacywet (AVG) heet dit een wettelijke taak." in law
    assert "artikel 6, lid 1, onder e" in law
    assert give_url(doelbinding) not in page
    assert "U heeft geen toestemming gegeven." not in page
    assert client.get(give_url(doelbinding)).status_code == 404


def test_on_the_english_page_the_organisations_text_is_marked_dutch(client, login):
    login()
    client.cookies["django_language"] = "en"
    doelbinding = make_doelbinding(make_organisation(), legal_basis=LegalBasis.LEGAL_TASK)
    new_text(
        doelbinding,
        name="Berichten over uw aanvraag",
        legal_basis=LegalBasis.LEGAL_TASK,
        law="Algemene wet bestuursrecht, artikel 2:14",
        law_url=AWB_2_14,
    )

    page = main_text(client.get(OVERVIEW))

    assert "This organisation may do this by law." in page
    for text in (
        "Berichten over uw aanvraag",
        "Wij sturen u een e-mail als er nieuws is. Nu ook over uw betaling.",
        "Tot 2 jaar na het besluit",
        "Algemene wet bestuursrecht, artikel 2:14",
    ):
        assert f'<span lang="nl">{text}</span>' in page
