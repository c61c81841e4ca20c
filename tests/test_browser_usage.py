"""'Wie heeft mijn gegevens gebruikt?' in a real browser: the filter without JavaScript, and no
axe-core violations in any state, in nl and en."""

from datetime import UTC, datetime, timedelta

import pytest

from consent.choices import DataField, LegalBasis, Reason
from consent.gate import Decision
from consent.ldv import Trace, processing_record_write, pseudonym_for
from profiles.models import Profile
from tests.factories import make_doelbinding, make_organisation, make_profile
from tests.support.browser_login import browser_login

pytestmark = [
    pytest.mark.usefixtures("empty_processing_log"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

USAGE = "/wie-gebruikte-mijn-gegevens"
ASKED_AT = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)


# The records' own guard: the database refuses to delete them (consent migration 0005).


def record(identity, doelbinding, *, at, reason=Reason.ALLOWED):
    allowed = reason == Reason.ALLOWED
    fields = frozenset({DataField.EMAIL}) if allowed else frozenset()
    processing_record_write(
        trace=Trace.from_header(""),
        organisation=doelbinding.organisation,
        doelbinding=doelbinding,
        api_client=None,
        subject_type=identity.type,
        pseudonym=pseudonym_for(identity),
        decision=Decision(allowed, reason, fields, doelbinding.current_version.pk),
        started_at=at,
    )


def make_records(profile):
    """Reads by two organisations for this person, and one by a third about somebody else."""
    gemeente = make_organisation("Gemeente Voorbeeldstad")
    waterschap = make_organisation("Waterschap De Polder")
    permit = make_doelbinding(
        gemeente, name="Berichten over uw vergunning", legal_basis=LegalBasis.LEGAL_TASK
    )
    newsletter = make_doelbinding(waterschap, name="Nieuwsbrief")
    record(profile.identity, permit, at=ASKED_AT)
    record(profile.identity, newsletter, at=ASKED_AT + timedelta(days=1), reason=Reason.NO_CONSENT)
    other = make_doelbinding(make_organisation("Provincie Elders"), name="Niet van u")
    record(make_profile().identity, other, at=ASKED_AT)
    return gemeente


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_state_of_the_usage_page_has_no_accessibility_violations(
    page, live_server, broker, axe, language
):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    browser_login(page)
    profile = Profile.objects.get()

    def check(state: str, rows: int):
        assert response.status == 200, state
        assert page.locator("html").get_attribute("lang") == language, state
        assert page.locator("h1").count() == 1, state
        assert page.locator("main tbody tr").count() == rows, state
        assert axe(page) == [], state

    response = page.goto(USAGE)
    check("empty", rows=0)

    gemeente = make_records(profile)
    response = page.goto(USAGE)
    check("filled", rows=2)
    assert "Provincie Elders" not in page.inner_text("main")

    # The filter is a plain GET form: choosing and pressing the button reloads the page.
    page.locator("#id_organisatie").select_option(str(gemeente.pk))
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    response = navigation.value
    check("filtered", rows=1)
    assert page.locator("#id_organisatie").input_value() == str(gemeente.pk)
    assert "Gemeente Voorbeeldstad" in page.locator("main tbody").inner_text()

    response = page.goto(f"{USAGE}?organisatie=999999")
    check("a choice that is not in the list", rows=2)
    assert page.locator(".error-summary").count() == 1


def test_the_filter_works_with_javascript_switched_off(chromium, live_server, broker):
    context = chromium.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    page = context.new_page()
    try:
        browser_login(page)
        gemeente = make_records(Profile.objects.get())
        page.goto(USAGE)
        page.locator("#id_organisatie").select_option(str(gemeente.pk))
        page.get_by_role("button", name="Tonen").click()
        page.wait_for_url(f"**{USAGE}?organisatie={gemeente.pk}")
        assert page.locator("main tbody tr").count() == 1
        caption = page.locator("main caption").inner_text()
        assert "Wanneer Gemeente Voorbeeldstad uw gegevens opvroeg" in caption
    finally:
        context.close()
