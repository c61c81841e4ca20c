"""'Wie heeft mijn gegevens gebruikt?' over HTTP: the person's own processing records only."""

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from consent.choices import DataField, LegalBasis, Reason
from consent.gate import Decision
from consent.ldv import Trace, processing_record_write, pseudonym_for
from consent.services import consent_give
from consent.usage.views import CHOOSE_FROM_LIST
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.api import ApiCaller

pytestmark = pytest.mark.django_db

USAGE = "/wie-gebruikte-mijn-gegevens"
# 23 November 2026, 14:05 in Amsterdam (CET, one hour ahead of UTC).
ASKED_AT = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


def record(identity, doelbinding, *, at=ASKED_AT, reason=Reason.ALLOWED, fields=None):
    """One processing record, written by the same function the API uses."""
    allowed = reason == Reason.ALLOWED
    given = frozenset(fields or {DataField.EMAIL}) if allowed else frozenset()
    decision = Decision(allowed, reason, given, doelbinding.current_version.pk)
    return processing_record_write(
        trace=Trace.from_header(""),
        organisation=doelbinding.organisation,
        doelbinding=doelbinding,
        api_client=None,
        subject_type=identity.type,
        pseudonym=pseudonym_for(identity),
        decision=decision,
        started_at=at,
    )


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def visible(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main_text(response))).split())


def rows(response) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", main_text(response), re.S)
    found = re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S) if body else []
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in found]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in row] for row in cells]


def options(response) -> list[str]:
    select = re.search(r"<select[^>]*>(.*?)</select>", main_text(response), re.S).group(1)
    return [unescape(text) for text in re.findall(r"<option[^>]*>(.*?)</option>", select)]


def test_without_records_the_page_explains_itself_and_says_nobody_asked(client, login):
    login()

    response = client.get(USAGE)

    assert response.status_code == 200
    text = visible(response)
    assert "Wie heeft mijn gegevens gebruikt?" in text
    assert "Vraagt een organisatie uw gegevens op? Dan schrijft deze website dat op." in text
    assert "Hier ziet u wie dat deed, waarom en wanneer." in text
    assert "Er heeft nog geen organisatie uw gegevens opgevraagd." in text
    assert "<table" not in main_text(response)
    assert "<select" not in main_text(response)


def test_an_organisation_asking_under_another_organisations_purpose_is_shown_as_refused(
    client, login
):
    profile = login()
    snooper = make_organisation("Gemeente Nieuwsgierig")
    token = ApiCaller.for_organisation(client, snooper).token
    theirs = make_doelbinding(make_organisation("Waterschap De Polder"), name="Aanslag")

    response = client.post(
        "/api/profielen/v1/contactgegevens/_zoek",
        {
            "identificatie": {"type": "bsn", "nummer": profile.identity.value},
            "doelbinding": theirs.pk,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 403
    [row] = rows(client.get(USAGE))
    assert row[1:] == [
        "Gemeente Nieuwsgierig",
        "Onbekend doel",
        "Geen gegevens",
        "Geen gegevens gegeven De organisatie gebruikte een doel van een andere organisatie. "
        "De organisatie kreeg geen gegevens.",
    ]


def test_a_read_shows_the_organisation_purpose_data_time_and_that_it_was_given_by_law(
    client, login
):
    profile = login()
    waterschap = make_organisation("Waterschap De Polder")
    tax = make_doelbinding(
        waterschap,
        name="Aanslag waterschapsbelasting",
        legal_basis=LegalBasis.LEGAL_TASK,
        fields={DataField.EMAIL, DataField.POSTAL_ADDRESS, DataField.CONTACT_PREFERENCE},
    )
    record(
        profile.identity,
        tax,
        fields={DataField.POSTAL_ADDRESS, DataField.EMAIL, DataField.CONTACT_PREFERENCE},
    )

    response = client.get(USAGE)

    assert rows(response) == [
        [
            "23 november 2026 om 14:05",
            "Waterschap De Polder",
            "Aanslag waterschapsbelasting",
            "e-mailadres, postadres, hoe u berichten wilt krijgen: per post of digitaal",
            "Gegevens gegeven De organisatie kreeg uw gegevens. Dat mag volgens de wet.",
        ]
    ]
    assert '<th scope="row"><time datetime="2026-11-23T14:05:00+01:00">' in main_text(response)
    assert "Aantal keer: 1" in visible(response)


@pytest.mark.parametrize(
    ("reason", "explanation"),
    [
        (Reason.NO_CONSENT, "U had geen toestemming gegeven. De organisatie kreeg geen gegevens."),
        (Reason.EXPIRED, "Het doel gold op die dag niet meer. De organisatie kreeg geen gegevens."),
        (
            Reason.FIELDS_NOT_COVERED,
            "De organisatie vroeg gegevens die zij niet mag gebruiken voor dit doel. "
            "De organisatie kreeg geen gegevens.",
        ),
        ("not_found", "U had toen nog geen gegevens op deze website."),
        ("some_future_code", "De organisatie kreeg geen gegevens."),
    ],
)
def test_a_refused_read_says_in_plain_dutch_why_no_details_were_given(
    client, login, reason, explanation
):
    profile = login()
    newsletter = make_doelbinding(make_organisation("Gemeente Testdorp"), name="Nieuwsbrief")
    record(profile.identity, newsletter, reason=reason)

    [row] = rows(client.get(USAGE))

    assert row[:4] == [
        "23 november 2026 om 14:05",
        "Gemeente Testdorp",
        "Nieuwsbrief",
        "Geen gegevens",
    ]
    assert row[4].startswith("Geen gegevens gegeven ")
    assert explanation in row[4]


def test_what_an_organisation_reads_through_the_api_shows_up_newest_first(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    newsletter = make_doelbinding(gemeente, name="Nieuwsbrief", fields={DataField.EMAIL})
    token = ApiCaller.for_organisation(client, gemeente).token
    identity = profile.identity

    def ask():
        body = {"identificatie": {"type": identity.type, "nummer": identity.value}}
        response = client.post(
            "/api/profielen/v1/contactgegevens/_zoek",
            body | {"doelbinding": newsletter.pk},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code

    assert ask() == 403
    consent_give(profile=profile, doelbinding=newsletter, version_id=newsletter.current_version.pk)
    assert ask() == 200

    found = rows(client.get(USAGE))

    assert [row[1:4] for row in found] == [
        ["Gemeente Testdorp", "Nieuwsbrief", "e-mailadres"],
        ["Gemeente Testdorp", "Nieuwsbrief", "Geen gegevens"],
    ]
    assert found[0][4] == (
        "Gegevens gegeven De organisatie kreeg uw gegevens. U had hiervoor toestemming gegeven."
    )
    assert found[1][4] == (
        "Geen gegevens gegeven U had geen toestemming gegeven. De organisatie kreeg geen gegevens."
    )


def test_records_of_another_person_never_show_not_even_through_the_filter(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    provincie = make_organisation("Provincie Noord")
    permit = make_doelbinding(gemeente, name="Vergunning", legal_basis=LegalBasis.LEGAL_TASK)
    secret = make_doelbinding(provincie, name="Geheim doel", legal_basis=LegalBasis.LEGAL_TASK)
    neighbour = make_profile()
    record(profile.identity, permit)
    record(neighbour.identity, permit, at=ASKED_AT + timedelta(hours=1))
    record(neighbour.identity, secret, at=ASKED_AT + timedelta(hours=2))

    everything = client.get(USAGE)
    # The provincie only asked about the neighbour: naming it in the address bar shows nothing.
    filtered = client.get(USAGE, {"organisatie": provincie.pk})

    assert [row[0] for row in rows(everything)] == ["23 november 2026 om 14:05"]
    assert options(everything) == ["Alle organisaties", "Gemeente Testdorp"]
    assert "Provincie Noord" not in visible(filtered)
    assert "Geheim doel" not in visible(filtered)
    assert [row[0] for row in rows(filtered)] == ["23 november 2026 om 14:05"]


def test_the_filter_shows_one_organisation_and_lists_only_organisations_that_asked(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    waterschap = make_organisation("Waterschap De Polder")
    make_organisation("Provincie Zonder Vragen")
    permit = make_doelbinding(gemeente, name="Vergunning", legal_basis=LegalBasis.LEGAL_TASK)
    tax = make_doelbinding(waterschap, name="Belasting", legal_basis=LegalBasis.LEGAL_TASK)
    record(profile.identity, permit, at=ASKED_AT)
    record(profile.identity, tax, at=ASKED_AT + timedelta(days=1))
    record(profile.identity, permit, at=ASKED_AT + timedelta(days=2))

    everything = client.get(USAGE)
    only_gemeente = client.get(USAGE, {"organisatie": gemeente.pk})
    all_again = client.get(USAGE, {"organisatie": ""})

    assert options(everything) == ["Alle organisaties", "Gemeente Testdorp", "Waterschap De Polder"]
    assert [row[1] for row in rows(everything)] == [
        "Gemeente Testdorp",
        "Waterschap De Polder",
        "Gemeente Testdorp",
    ]
    assert [row[0] for row in rows(only_gemeente)] == [
        "25 november 2026 om 14:05",
        "23 november 2026 om 14:05",
    ]
    assert "Wanneer Gemeente Testdorp uw gegevens opvroeg, nieuwste bovenaan" in visible(
        only_gemeente
    )
    assert f'<option value="{gemeente.pk}" selected>' in main_text(only_gemeente)
    assert len(rows(all_again)) == 3


def test_an_organisation_that_is_not_in_the_list_gives_a_clear_message(client, login):
    profile = login()
    record(profile.identity, make_doelbinding(make_organisation()))

    response = client.get(USAGE, {"organisatie": "niet-bestaand"})

    assert response.status_code == 200
    with translation.override("nl"):
        message = escape(str(CHOOSE_FROM_LIST))
    assert message == "Kies een organisatie uit de lijst."
    assert f'<a href="#id_organisatie">{message}</a>' in main_text(response)
    assert 'aria-invalid="true"' in main_text(response)
    assert len(rows(response)) == 1


def test_fifty_records_per_page_newest_first_and_the_filter_stays_when_paging(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    permit = make_doelbinding(gemeente, legal_basis=LegalBasis.LEGAL_TASK)
    for minutes in range(51):
        record(profile.identity, permit, at=ASKED_AT + timedelta(minutes=minutes))

    first = client.get(USAGE, {"organisatie": gemeente.pk})
    second = client.get(USAGE, {"organisatie": gemeente.pk, "pagina": 2})

    assert len(rows(first)) == 50
    assert rows(first)[0][0] == "23 november 2026 om 14:55"
    assert "Pagina 1 van 2" in visible(first)
    assert f'href="?organisatie={gemeente.pk}&amp;pagina=2"' in main_text(first)
    assert [row[0] for row in rows(second)] == ["23 november 2026 om 14:05"]
    assert "Volgende pagina (ouder)" not in visible(second)
    assert "Vorige pagina (nieuwer)" in visible(second)


def test_the_page_makes_as_many_queries_for_thirty_records_as_for_one(
    client, login, django_assert_max_num_queries
):
    profile = login()
    organisations = [make_organisation(f"Gemeente {n}") for n in range(3)]
    purposes = [make_doelbinding(o, legal_basis=LegalBasis.LEGAL_TASK) for o in organisations]
    record(profile.identity, purposes[0])
    with CaptureQueriesContext(connection) as one:
        assert len(rows(client.get(USAGE))) == 1

    for n in range(29):
        record(profile.identity, purposes[n % 3], at=ASKED_AT + timedelta(minutes=n))
    with django_assert_max_num_queries(len(one)):
        assert len(rows(client.get(USAGE))) == 30
    with django_assert_max_num_queries(len(one)):
        assert len(rows(client.get(USAGE, {"organisatie": organisations[1].pk}))) == 10
    assert len(one) <= 10


def test_the_page_asks_to_log_in_first(client):
    response = client.get(USAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen")


def test_without_records_an_organisation_in_the_address_bar_is_simply_ignored(client, login):
    login()

    response = client.get(USAGE, {"organisatie": "12"})

    assert response.status_code == 200
    assert "error-summary" not in main_text(response)
    assert "Er heeft nog geen organisatie uw gegevens opgevraagd." in visible(response)
