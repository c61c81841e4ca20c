"""'Wie mag mijn gegevens gebruiken?' over HTTP: what a person sees, gives and withdraws."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from consent.choices import DataField, DoelbindingStatus, LegalBasis, Reason
from consent.gate import may_process
from consent.models import Consent
from consent.services import consent_give
from consent.views import (
    CONSENT_GIVEN,
    CONSENT_WITHDRAWN,
    NO_CONSENT_TO_WITHDRAW,
    PAGE_OUT_OF_DATE,
    TEXT_CHANGED,
)
from tests.factories import approved_version_save, make_doelbinding, make_organisation, make_profile

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("consent:overview")
HISTORY = reverse("consent:history")
# 23 November 2026, 14:05 in Amsterdam (CET, one hour ahead of UTC).
GIVEN_AT = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)
LAW_URL = "https://wetten.overheid.nl/BWBR0005537/2024-01-01#Hoofdstuk2"


def give_url(doelbinding) -> str:
    return reverse("consent:give", args=[doelbinding.pk])


def withdraw_url(doelbinding) -> str:
    return reverse("consent:withdraw", args=[doelbinding.pk])


def nl(message, **values) -> str:
    """A message as the Dutch page shows it (escaped like the template does); a value given
    as dutch(...) is organisation text, which the page marks with lang="nl"."""
    with translation.override("nl"):
        return conditional_escape(str(message)) % {
            name: conditional_escape(value) for name, value in values.items()
        }


def dutch(text: str) -> str:
    return mark_safe(f'<span lang="nl">{escape(text)}</span>')  # noqa: S308 - escaped


def main_text(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def headings(response, level: int) -> list[str]:
    found = re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", main_text(response), re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in found]


def give(profile, doelbinding, *, at=GIVEN_AT) -> Consent:
    version = doelbinding.current_version
    consent = consent_give(profile=profile, doelbinding=doelbinding, version_id=version.pk)
    Consent.objects.filter(pk=consent.pk).update(given_at=at)
    consent.refresh_from_db()
    return consent


def new_text(doelbinding, **changes):
    text = {
        "fields": {DataField.EMAIL},
        "name": "Berichten over uw aanvraag",
        "description": "Wij sturen u een e-mail als er nieuws is. Nu ook over uw betaling.",
        "legal_basis": LegalBasis.CONSENT,
        "retention": "Tot 2 jaar na het besluit",
    } | changes
    return approved_version_save(doelbinding=doelbinding, **text)


def test_the_overview_lists_only_purposes_in_force_of_active_organisations(client, login):
    login()
    today = timezone.localdate()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    gemeente = make_organisation("Gemeente Testdorp")
    make_doelbinding(gemeente, name="Nieuwsbrief")
    make_doelbinding(gemeente, name="Afvalkalender", valid_from=yesterday, valid_until=tomorrow)
    make_doelbinding(gemeente, name="Nog een concept", status=DoelbindingStatus.CONCEPT)
    make_doelbinding(gemeente, name="Gestopt doel", status=DoelbindingStatus.WITHDRAWN)
    make_doelbinding(gemeente, name="Verlopen doel", valid_until=yesterday)
    make_doelbinding(gemeente, name="Toekomstig doel", valid_from=tomorrow)
    opgeheven = make_organisation("Opgeheven Schap", active=False)
    make_doelbinding(opgeheven, name="Doel van een opgeheven organisatie")
    waterschap = make_organisation("Waterschap De Polder")
    make_doelbinding(waterschap, name="Belastingaanslag", legal_basis=LegalBasis.LEGAL_TASK)

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    assert headings(response, 1) == ["Wie mag mijn gegevens gebruiken?"]
    assert headings(response, 2) == ["Gemeente Testdorp", "Waterschap De Polder"]
    assert headings(response, 3) == ["Nieuwsbrief", "Afvalkalender", "Belastingaanslag"]


def test_a_given_consent_shows_its_date_and_a_way_to_withdraw_it(client, login):
    profile = login()
    gemeente = make_organisation()
    given = make_doelbinding(gemeente, name="Nieuwsbrief")
    not_given = make_doelbinding(gemeente, name="Enquête")
    give(profile, given)

    page = main_text(client.get(OVERVIEW))

    assert "U heeft toestemming gegeven op 23 november 2026." in page
    assert f'href="{withdraw_url(given)}"' in page
    assert f'href="{give_url(given)}"' not in page
    assert f'href="{give_url(not_given)}"' in page
    assert page.count("U heeft geen toestemming gegeven.") == 1


def test_consent_for_an_older_text_says_so_and_offers_the_new_text(client, login):
    profile = login()
    doelbinding = make_doelbinding(make_organisation())
    old = give(profile, doelbinding)
    new_text(doelbinding)

    page = main_text(client.get(OVERVIEW))
    assert "Op 23 november 2026 gaf u toestemming voor een eerdere tekst." in page
    assert "Uw toestemming geldt alleen voor wat in de oude tekst stond." in page
    assert f'href="{give_url(doelbinding)}"' in page
    assert f'href="{withdraw_url(doelbinding)}"' in page

    give_page = main_text(client.get(give_url(doelbinding)))
    assert "Op 23 november 2026 gaf u toestemming voor een eerdere tekst." in give_page
    version = doelbinding.current_version
    response = client.post(give_url(doelbinding), {"version": version.pk})

    assert response.status_code == 302
    current = Consent.objects.get(profile=profile, withdrawn_at=None)
    assert current.version == version
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    history = main_text(client.get(HISTORY))
    assert "Vervangen door uw toestemming voor de nieuwe tekst." in history


def test_the_give_page_shows_the_exact_current_text(client, login):
    login()
    doelbinding = make_doelbinding(make_organisation("Gemeente Testdorp"))
    version = new_text(doelbinding, name="Berichten over uw aanvraag en betaling")

    response = client.get(give_url(doelbinding))

    page = main_text(response)
    assert headings(response, 1) == ["Toestemming geven"]
    assert headings(response, 2) == ["Berichten over uw aanvraag en betaling"]
    assert "Gemeente Testdorp" in page
    assert "Wij sturen u een e-mail als er nieuws is. Nu ook over uw betaling." in page
    assert "Wij sturen u een e-mail als er nieuws is over uw aanvraag." not in page
    assert "Tot 2 jaar na het besluit" in page
    assert "<li>e-mailadres</li>" in page
    assert f'name="version" value="{version.pk}"' in page
    assert "Ik geef toestemming" in page


def test_giving_consent_records_the_text_read_and_confirms_it(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = make_doelbinding(gemeente, name="Nieuwsbrief")
    version = doelbinding.current_version

    response = client.post(give_url(doelbinding), {"version": version.pk}, follow=True)

    assert response.redirect_chain == [(OVERVIEW, 302)]
    consent = Consent.objects.get(profile=profile)
    assert (consent.version, consent.withdrawn_at) == (version, None)
    banner = nl(CONSENT_GIVEN, organisation="Gemeente Testdorp", purpose=dutch("Nieuwsbrief"))
    assert banner in response.content.decode()
    assert may_process(gemeente, doelbinding, profile, {DataField.EMAIL}).allowed
    again = main_text(client.get(give_url(doelbinding)))
    assert "al toestemming gegeven voor deze tekst" in again and "Ik geef toestemming" not in again


def test_consent_to_a_text_changed_meanwhile_or_unknown_is_not_saved(client, login):
    profile = login()
    doelbinding = make_doelbinding(make_organisation())
    shown = doelbinding.current_version
    client.get(give_url(doelbinding))
    current = new_text(doelbinding)

    response = client.post(give_url(doelbinding), {"version": shown.pk})

    assert response.status_code == 409
    page = main_text(response)
    assert nl(TEXT_CHANGED) in page
    assert "Wij sturen u een e-mail als er nieuws is. Nu ook over uw betaling." in page
    assert f'name="version" value="{current.pk}"' in page
    # A form that lost which text was read (a broken page) saves nothing either.
    response = client.post(give_url(doelbinding), {"version": "oud"})
    assert response.status_code == 400
    assert nl(PAGE_OUT_OF_DATE) in main_text(response)
    assert not Consent.objects.filter(profile=profile).exists()


@pytest.mark.parametrize(
    "kind",
    ["legal_task", "concept", "withdrawn", "expired", "future", "inactive_organisation", "unknown"],
)
def test_consent_can_only_be_given_for_active_consent_purposes(client, login, kind):
    profile = login()
    today = timezone.localdate()
    options = {
        "legal_task": {"legal_basis": LegalBasis.LEGAL_TASK},
        "concept": {"status": DoelbindingStatus.CONCEPT},
        "withdrawn": {"status": DoelbindingStatus.WITHDRAWN},
        "expired": {"valid_until": today - timedelta(days=1)},
        "future": {"valid_from": today + timedelta(days=1)},
    }.get(kind, {})
    organisation = make_organisation(active=kind != "inactive_organisation")
    doelbinding = make_doelbinding(organisation, **options)
    url = give_url(doelbinding) if kind != "unknown" else reverse("consent:give", args=[99999])

    assert client.get(url).status_code == 404
    assert client.post(url, {"version": doelbinding.current_version.pk}).status_code == 404
    assert not Consent.objects.filter(profile=profile).exists()


def test_withdrawing_asks_for_confirmation_and_takes_effect_at_once(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    doelbinding = make_doelbinding(gemeente, name="Nieuwsbrief")
    give(profile, doelbinding)
    assert may_process(gemeente, doelbinding, profile, {DataField.EMAIL}).allowed

    confirm = main_text(client.get(withdraw_url(doelbinding)))
    assert (
        "Weet u het zeker? Vanaf nu mag Gemeente Testdorp uw gegevens niet meer voor dit doel "
        "gebruiken." in confirm
    )
    assert Consent.objects.get(profile=profile).withdrawn_at is None

    response = client.post(withdraw_url(doelbinding), follow=True)

    assert response.redirect_chain == [(OVERVIEW, 302)]
    decision = may_process(gemeente, doelbinding, profile, {DataField.EMAIL})
    assert (decision.allowed, decision.reason) == (False, Reason.NO_CONSENT)
    page = main_text(response)
    name = dutch("Nieuwsbrief")
    assert nl(CONSENT_WITHDRAWN, organisation="Gemeente Testdorp", purpose=name) in page
    assert "U heeft geen toestemming gegeven." in page
    # A second tab that still shows the confirmation: nothing to withdraw, and it says so.
    again = client.post(withdraw_url(doelbinding), follow=True)
    assert nl(NO_CONSENT_TO_WITHDRAW) in main_text(again)
    assert Consent.objects.filter(profile=profile).count() == 1


def test_consent_can_be_withdrawn_after_the_organisation_stopped_the_purpose(client, login):
    profile = login()
    doelbinding = make_doelbinding(make_organisation())
    give(profile, doelbinding)
    doelbinding.status = DoelbindingStatus.WITHDRAWN
    doelbinding.save()

    client.post(withdraw_url(doelbinding))

    assert Consent.objects.get(profile=profile).withdrawn_at is not None


def test_the_history_shows_consents_given_and_withdrawn_in_dutch_time(client, login):
    profile = login()
    gemeente = make_organisation("Gemeente Testdorp")
    waterschap = make_organisation("Waterschap De Polder")
    withdrawn = give(profile, make_doelbinding(gemeente, name="Nieuwsbrief"))
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawn_at=WITHDRAWN_AT)
    give(profile, make_doelbinding(waterschap, name="Sms-herinnering"), at=WITHDRAWN_AT)

    response = client.get(HISTORY)

    page = main_text(response)
    assert "<caption" in page and "Uw toestemmingen</caption>" in page
    assert page.count('<th scope="col">') == 5  # with the receipts' column
    rows = re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>")[1], re.S)
    cells = [[" ".join(c.split()) for c in re.findall(r"<td>(.*?)</td>", r, re.S)] for r in rows]
    # The fifth column links to the receipts (tests/test_rights_receipts.py).
    assert all("/toestemmingen/bewijs/" in row[4] for row in cells)
    assert [" | ".join(row[:4]) for row in cells] == [
        'Waterschap De Polder | <span lang="nl">Sms-herinnering</span> (versie 1) | '
        "1 december 2026 om 09:30 | "
        "Niet ingetrokken. Deze toestemming geldt nog.",
        'Gemeente Testdorp | <span lang="nl">Nieuwsbrief</span> (versie 1) | '
        "23 november 2026 om 14:05 | "
        "1 december 2026 om 09:30",
    ]


def test_another_persons_consents_never_show_and_cannot_be_withdrawn(client, login):
    profile = login()
    someone_else = make_profile()
    doelbinding = make_doelbinding(make_organisation(), name="Nieuwsbrief")
    theirs = give(someone_else, doelbinding)

    overview = main_text(client.get(OVERVIEW))
    assert "U heeft geen toestemming gegeven." in overview
    assert "23 november 2026" not in overview
    history = main_text(client.get(HISTORY))
    assert "U heeft nog aan geen enkele organisatie toestemming gegeven." in history
    assert "<table" not in history
    client.post(withdraw_url(doelbinding))

    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    assert not Consent.objects.filter(profile=profile).exists()


@pytest.mark.parametrize("name", ["overview", "give", "withdraw", "history"])
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    doelbinding = make_doelbinding(make_organisation())
    args = [doelbinding.pk] if name in ("give", "withdraw") else []
    url = reverse(f"consent:{name}", args=args)

    responses = [client.get(url)]
    if name in ("give", "withdraw"):
        responses.append(client.post(url, {"version": doelbinding.current_version.pk}))
    for response in responses:
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('profiles:login')}?next=")
    assert not Consent.objects.exists()


def test_giving_consent_needs_the_forms_csrf_token(client, login):
    profile = login()
    doelbinding = make_doelbinding(make_organisation())
    client.handler.enforce_csrf_checks = True

    response = client.post(give_url(doelbinding), {"version": doelbinding.current_version.pk})

    assert response.status_code == 403
    assert not Consent.objects.filter(profile=profile).exists()


def test_the_overview_and_history_cost_the_same_queries_for_one_or_five_organisations(
    client, login, django_assert_max_num_queries
):
    profile = login()

    def add_organisation(number):
        organisation = make_organisation(f"Gemeente {number}")
        make_doelbinding(organisation, legal_basis=LegalBasis.LEGAL_TASK)
        for name in ("Nieuwsbrief", "Enquête"):
            doelbinding = make_doelbinding(organisation, name=name)
            give(profile, doelbinding)
            new_text(doelbinding)  # a second version, and a consent for the older text

    add_organisation(1)
    # The session and the user (with the unread count) come on top of the page's own queries.
    counts = {}
    for url in (OVERVIEW, HISTORY):
        with django_assert_max_num_queries(5) as one:
            assert client.get(url).status_code == 200
        counts[url] = len(one.captured_queries)
    for number in range(2, 6):
        add_organisation(number)
    for url in (OVERVIEW, HISTORY):
        with django_assert_max_num_queries(counts[url]):
            response = client.get(url)
        assert response.status_code == 200
    assert len(headings(client.get(OVERVIEW), 2)) == 5
