"""Components the same for every visitor are rendered once per language and kept (issue 17):
the page must show exactly what the include would, in the visitor's language."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.django_db

SHARED = ["components/head_assets.html", "components/header_brand.html", "components/footer.html"]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_kept_components_are_what_the_include_renders_in_each_language(client, language):
    client.cookies["django_language"] = language
    client.get("/")  # fills what is kept
    page = client.get("/hulp").content.decode()

    with translation.override(language):
        for name in SHARED:
            assert render_to_string(name) in page
    assert ("About this website" in page) == (language == "en")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_home_page_shows_its_kept_parts_in_each_language(client, language):
    client.cookies["django_language"] = language
    client.get("/")  # fills what is kept
    page = client.get("/").content.decode()

    with translation.override(language):
        for name in ["pages/_home_intro.html", "pages/_home_login.html"]:
            assert render_to_string(name) in page
    assert ("Log in with DigiD" in page) == (language == "en")
    assert 'href="/inloggen/digid"' in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_session_dialog_shows_its_kept_sentences_in_each_language(client, login, language):
    login()
    client.cookies["django_language"] = language
    client.get("/mijn-gegevens")  # fills what is kept
    page = client.get("/berichten?pagina=2").content.decode()

    with translation.override(language):
        assert render_to_string("components/_session_dialog_text.html") in page
    assert ("You will be logged out soon" in page) == (language == "en")
    assert '<input type="hidden" name="next" value="/berichten?pagina=2">' in page
