"""The API documentation page: everything in the OpenAPI document, readable and accessible."""

import json
import re
from html import unescape

import pytest
from django.utils import translation

from config.api_texts import OPENAPI_TEXTS
from consent.services import api_client_create
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

DOCS = "/api/profielen/v1/docs"
OPENAPI = "/api/profielen/v1/openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def visible(response) -> str:
    html = main_text(response).replace("<wbr>", "")
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def examples(response, kind: str) -> list[str]:
    """The example requests or answers on the page, as text."""
    found = re.findall(
        rf'<h4 id="[^"]+-example-{kind}">.*?</h4>\s*<div[^>]*><pre><code>(.*?)</code></pre>',
        main_text(response),
        re.S,
    )
    return [unescape(text) for text in found]


def test_the_page_is_public_and_lists_every_operation_of_the_openapi_document(
    client, django_assert_max_num_queries
):
    document = client.get(OPENAPI).json()
    client.cookies["django_language"] = "en"  # the document's own English texts

    # Built from the code's own OpenAPI document: nothing to read from the database.
    with django_assert_max_num_queries(0):
        response = client.get(DOCS)

    assert response.status_code == 200
    text = visible(response)
    found = list(operations(document))
    assert found
    for method, path, operation in found:
        assert f"{method.upper()} {path}" in text
        assert operation["summary"] in text
        for status, answer in operation["responses"].items():
            assert re.search(rf"{status}\s+{re.escape(answer['description'])}", text), status


def test_the_page_has_one_heading_1_and_the_portal_layout_without_outside_assets(client):
    html = client.get(DOCS).content.decode()

    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<html lang="nl">' in html
    assert 'class="skip-link"' in html
    assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(url.startswith("/static/") for url in assets), assets


def test_request_fields_come_from_the_referenced_schemas_with_type_and_required(client):
    schemas = client.get(OPENAPI).json()["components"]["schemas"]
    english = schemas["Identificatie"]["properties"]["nummer"]["description"]
    with translation.override("nl"):
        number = translation.gettext(english)

    text = visible(client.get(DOCS))

    assert f"identificatie.nummer string Ja {number}" in text
    assert "identificatie.vestigingsnummer string or null Nee" in text
    assert 'identificatie.type string: one of "bsn", "kvk", "rsin" Ja' in text
    assert "identificaties array of object Ja" in text
    assert "1 tot en met 100 items." in text


def test_the_page_explains_authentication_errors_versions_and_the_rate_limit(client, settings):
    settings.API_RATE_LIMIT_PER_MINUTE = 120
    document = client.get(OPENAPI).json()

    response = client.get(DOCS)

    text = visible(response)
    assert "Authorization: Bearer <your token>" in text
    assert "De beheerder van uw organisatie maakt een API-client aan" in text
    assert "application/problem+json (RFC 9457)" in text
    assert f"header API-Version met de volledige versie, nu {document['info']['version']}" in text
    assert "Elke API-client mag 120 verzoeken per minuut sturen." in text
    assert "Retry-After" in text
    assert document["info"]["title"] in text
    assert "Contactgegevens van ondernemers en burgers voor overheidsorganisaties." in text
    contact = document["info"]["contact"]
    assert f'<a href="mailto:{contact["email"]}">' in main_text(response)
    assert f'<a href="{OPENAPI}">openapi.json</a>' in main_text(response)


def test_the_error_example_is_a_problem_as_the_document_describes_it(client):
    document = client.get(OPENAPI).json()
    problem = document["components"]["schemas"]["Problem"]

    html = main_text(client.get(DOCS))

    example = re.search(r'id="errors-example".*?<pre><code>(.*?)</code></pre>', html, re.S)
    body = json.loads(unescape(example.group(1)))
    assert set(problem["required"]) <= set(body)
    assert set(body) <= set(problem["properties"])


def test_every_example_request_body_passes_the_apis_own_input_checks(client):
    """An example a developer copies must at least be well-formed for the endpoint."""
    organisation = make_organisation()
    _, token = api_client_create(organisation=organisation, name="Documentatie")
    page = client.get(DOCS)

    sent = 0
    for example in examples(page, "request"):
        head, _, body = example.partition("\n\n")
        method, path, _ = head.splitlines()[0].split(" ")
        if not body:
            continue
        response = client.generic(
            method,
            path,
            body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        sent += 1
        assert response.status_code != 500, path
        assert response.json().get("code") != "invalid", (path, response.json())
    assert sent >= 1


def test_every_example_answer_is_json_after_its_headers(client):
    answers = examples(client.get(DOCS), "response")

    assert answers
    for answer in answers:
        head, _, body = answer.partition("\n\n")
        assert head.startswith("HTTP/1.1 2")
        assert "API-Version: " in head
        if head.startswith("HTTP/1.1 204"):
            assert body == ""  # No Content: headers only
            continue
        json.loads(body)


def test_the_page_speaks_english_around_the_api_texts_when_asked(client):
    client.cookies["django_language"] = "en"

    response = client.get(DOCS)

    assert '<html lang="en">' in response.content.decode()
    assert "Each API client may send" in visible(response)


def openapi_texts(document: dict) -> set[str]:
    """Every description and summary in the OpenAPI document."""
    found = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary") and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    return found


# The same word in Dutch: a translation that stays as it is.
SAME_IN_DUTCH = {"OK", "Conflict"}


def test_the_dutch_page_shows_the_texts_of_the_openapi_document_in_dutch(client):
    texts = openapi_texts(client.get(OPENAPI).json())

    page = client.get(DOCS)

    assert texts
    # A new text in the API: add it to config/api_texts.py and translate it in locale/nl.
    assert texts <= OPENAPI_TEXTS
    with translation.override("nl"):
        untranslated = {t for t in texts - SAME_IN_DUTCH if translation.gettext(t) == t}
    assert untranslated == set()
    # The example requests and answers are HTTP as sent: their status phrases stay English.
    prose = re.sub(r"<pre>.*?</pre>", " ", main_text(page), flags=re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", prose)).split())
    assert not [t for t in texts - SAME_IN_DUTCH if t in text]
    # Only the types (string, array of ..., null) stay English, and say so.
    html = main_text(page)
    english = re.findall(r'<(\w+)[^>]*\slang="en"', html)
    assert set(english) == {"td"}
    types = re.findall(r'<td lang="en">[^<]*(?:string|integer|number|boolean|array|object)', html)
    assert len(english) == len(types)


def test_every_region_on_the_page_has_its_own_name(client):
    html = main_text(client.get(DOCS))
    headings = {
        id_: " ".join(unescape(re.sub(r"<[^>]+>", " ", inner)).split())
        for id_, inner in re.findall(r'<h\d id="([^"]+)"[^>]*>(.*?)</h\d>', html, re.S)
    }

    names = [
        " ".join(headings[id_] for id_ in ids.split())
        for ids in re.findall(r'role="region" aria-labelledby="([^"]+)"', html)
    ]

    assert len(names) > 5
    assert len(set(names)) == len(names), sorted(names)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_docs_page_has_no_accessibility_violations(page, live_server, axe, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )

    response = page.goto(DOCS)

    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").count() == 1
    assert page.locator("script:not([src^='/static/'])").count() == 0
    assert axe(page) == []
    # Also axe's best practice: every landmark (the scrolling regions too) has its own name.
    assert axe(page, rules=["landmark-unique"]) == []
