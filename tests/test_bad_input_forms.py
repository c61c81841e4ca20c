"""Bad input in every form: each form a visitor, a logged-in person and staff can reach (found by
following the pages' own links, so the admin's change forms of real objects are in it) is sent
NUL characters, wrongly typed values, repeated fields, invalid UTF-8, a body over the upload
limit and too many fields. Never a 5xx: a field message, or the portal's B1 error page (413 for
a body too large, 400 for the rest).

tests/test_bad_input.py sends bad input to every URL pattern as such (and the API's answers).
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache

from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller
from tests.support.forms import Form, reachable_forms
from tests.support.notifications import confirmed, legal_task, submit, with_address
from tests.support.urls import every_path

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
UPLOAD_LIMIT = 20_000  # DATA_UPLOAD_MAX_MEMORY_SIZE here: a body over it is quick to make
# Besides the links: every page of the URL configuration that needs no parameter, so a form
# only reached after a step elsewhere is tried too.
PAGES = [p for p in every_path() if not p.startswith(("/beheer", "/api"))]
WRONG = ["a\x00b", "abc", "-1", "9" * 25, "2026-13-45", "x" * 5000, "", " \t\n"]


@pytest.fixture(autouse=True)
def small_upload_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_LIMIT
    cache.clear()


def world(profile):
    """Something of every kind for the forms to be about: an organisation with a purpose, an
    API client, a notification with its deliveries, confirmed details and an address."""
    organisation = make_organisation("Gemeente Aadorp")
    doelbinding = legal_task(organisation)
    make_doelbinding(organisation, name="Nieuwsbrief")  # one that asks for consent
    ApiCaller.for_organisation(None, organisation)
    confirmed(profile, "email")
    confirmed(profile, "phone")
    with_address(profile)
    submit(organisation, doelbinding, profile.identity)


def submissions(form: Form):
    """(what, body, content type) for every kind of bad input to `form`."""
    names = [name for name, _kind in form.fields] or ["x"]
    for value in WRONG:
        yield f"every field {value[:8]!r}", urlencode(dict.fromkeys(names, value)).encode(), FORM
    twice = [(name, value) for name in names for value in ("1", "a\x00")]
    yield "every field twice", urlencode(twice).encode(), FORM
    yield "a NUL in a name", urlencode({"a\x00": "1", **dict.fromkeys(names, "1")}).encode(), FORM
    not_utf8 = b"&".join(name.encode() + b"=%ff%fe\xff" for name in names)
    yield "not UTF-8", not_utf8, FORM
    yield "not UTF-8 in a name", b"\xff\xfe=1&" + not_utf8, FORM
    yield "JSON instead of a form", b'{"a": "\\u0000"}', "application/json"
    yield (
        "a form said to be multipart",
        urlencode(dict.fromkeys(names, "1")).encode(),
        ("multipart/form-data; boundary=nothing"),
    )


def answers_to_bad_input(client, forms: set[Form]) -> tuple[list, list]:
    """(5xx answers, refusals of an oversized or overfull body that are not the B1 page).

    With the CSRF check on, as in production (it reads the body before any view does), and the
    token sent along as a form would, so the bad input reaches the views."""
    client.handler.enforce_csrf_checks = True
    client.get("/")
    token = b"csrfmiddlewaretoken=" + client.cookies[settings.CSRF_COOKIE_NAME].value.encode()
    errors, not_b1 = [], []
    for form in sorted(forms, key=lambda f: f.action.startswith("/uitloggen")):
        for what, body, content_type in submissions(form):
            body = body + b"&" + token if content_type == FORM else body
            response = client.post(form.action, body, content_type=content_type)
            if response.status_code >= 500:
                errors.append((form.action, what, response.status_code))
        big = b"x=" + b"y" * UPLOAD_LIMIT
        many = "&".join(f"f{i}=1" for i in range(1001)).encode()  # DATA_UPLOAD_MAX_NUMBER_FIELDS
        for what, body, status in (("too large", big, 413), ("too many fields", many, 400)):
            response = client.post(form.action, body, content_type=FORM)
            if response.status_code >= 500:
                errors.append((form.action, what, response.status_code))
            elif response.status_code != status or not _b1_page(response):
                not_b1.append((form.action, what, response.status_code))
    return errors, not_b1


def _b1_page(response) -> bool:
    body = response.content.decode()
    return '<html lang="nl"' in body and "<h1" in body


def test_every_form_a_visitor_reaches_survives_bad_input(client):
    forms, pages = reachable_forms(client, ["/beheer/login/", *PAGES])
    assert pages > 5 and forms  # the crawl found something to try

    assert answers_to_bad_input(client, forms) == ([], [])


def test_every_form_a_logged_in_person_reaches_survives_bad_input(client, login):
    world(login())
    forms, pages = reachable_forms(client, PAGES)
    assert pages > 10 and len(forms) > 5

    assert answers_to_bad_input(client, forms) == ([], [])


def test_every_form_staff_reach_survives_bad_input(client):
    world(make_profile())
    client.force_login(User.objects.create_superuser("beheer", password=None))
    forms, pages = reachable_forms(client, ["/beheer/"])
    changes = {form.action for form in forms if form.action.endswith("/change/")}
    assert pages > 30 and len(changes) > 5  # change forms of real objects, not only add forms

    assert answers_to_bad_input(client, forms) == ([], [])


def test_a_nul_character_in_a_field_gets_a_b1_message_and_the_input_is_kept(client, login):
    login()

    response = client.post("/mijn-gegevens/e-mailadres", {"email": "jan\x00@voorbeeld.nl"})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Er staat een teken in dat wij niet kunnen gebruiken." in body
    assert 'value="jan\x00@voorbeeld.nl"' in body  # the browser shows the NUL as �: where it is
