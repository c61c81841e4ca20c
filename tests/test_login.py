"""Login, logout and their failures over HTTP, against the real development broker."""

import pytest

from profiles.choices import IdentityType, LoginEventKind
from profiles.login.session import SESSION_KEY
from profiles.models import Identity, LoginEvent, Profile
from profiles.services import pseudonymise
from tests.support.oidc_client import parse
from tests.support.portal_login import BrokerUser, local_path

pytestmark = pytest.mark.django_db

EIDAS_ID = "NL/DE/0123456789abcdef"


@pytest.mark.parametrize(
    ("method", "identity", "level", "expected"),
    [
        ("digid", "digid-burger", "substantieel", (IdentityType.BSN, "999993653", "")),
        ("eherkenning", "eh-company", "basis", (IdentityType.KVK, "69599084", "")),
        ("eherkenning", "eh-branch", "hoog", (IdentityType.KVK, "69599084", "000038509490")),
        ("eidas", "eidas-person", "substantieel", (IdentityType.EIDAS, EIDAS_ID, "")),
    ],
)
def test_each_method_logs_in_with_its_identity_and_level(
    client, broker, method, identity, level, expected
):
    response = BrokerUser().login(client, method=method, identity=identity, level=level)

    assert response.status_code == 302
    assert response["Location"] == "/mijn-gegevens"
    profile = Profile.objects.select_related("identity").get(user=response.wsgi_request.user)
    assert (profile.identity.type, profile.identity.value, profile.identity.branch) == expected
    assert client.session[SESSION_KEY]["method"] == method
    assert client.session[SESSION_KEY]["level"] == level
    event = LoginEvent.objects.get(kind=LoginEventKind.LOGIN)
    assert (event.method, event.level, event.identity, event.success) == (
        method,
        level,
        profile.identity,
        True,
    )

    overview = client.get("/mijn-gegevens")
    assert overview.status_code == 200
    assert expected[1] in overview.content.decode()


def test_the_acting_person_is_audited_as_a_pseudonym_not_kept_on_the_profile(client, broker):
    BrokerUser().login(client, method="eherkenning", identity="eh-company", level="substantieel")

    event = LoginEvent.objects.get(kind=LoginEventKind.LOGIN)
    acting = client.session[SESSION_KEY]["acting_person"]
    assert acting
    assert event.acting_person == pseudonymise(acting)
    assert acting not in event.acting_person


def test_the_same_company_is_one_profile_whoever_logs_in(client, broker):
    BrokerUser().login(client, method="eherkenning", identity="eh-company", level="basis")
    client.post("/uitloggen")
    BrokerUser().login(client, method="eherkenning", identity="eh-company", level="basis")

    assert Identity.objects.lookup(type=IdentityType.KVK, value="69599084").count() == 1
    assert Profile.objects.count() == 1


def test_login_gives_the_session_a_new_id(client, broker):
    user = BrokerUser()
    page = user.to_broker(client, "/inloggen/digid")
    before = client.session.session_key
    assert before
    page = user.choose(page, method="digid", identity="digid-burger", level="midden")
    user.back_to_portal(client, page)

    assert client.session.session_key != before


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/mijn-gegevens?tab=1", "/mijn-gegevens?tab=1"),
        ("https://evil.example/steal", "/mijn-gegevens"),
        ("//evil.example/steal", "/mijn-gegevens"),
        ("javascript:alert(1)", "/mijn-gegevens"),
    ],
)
def test_next_only_redirects_within_this_site(client, broker, next_url, lands_on):
    from urllib.parse import urlencode

    start = "/inloggen/digid?" + urlencode({"next": next_url})
    response = BrokerUser().login(
        client, method="digid", identity="digid-burger", level="midden", start_url=start
    )
    assert response["Location"] == lands_on


def test_logout_ends_the_portal_session_and_the_broker_session(client, broker):
    user = BrokerUser()
    user.login(client, method="digid", identity="digid-burger", level="midden")
    id_token = client.session["oidc_id_token"]

    response = client.post("/uitloggen")

    assert response.status_code == 302
    assert response["Location"].startswith(broker.discovery["end_session_endpoint"])
    assert f"id_token_hint={id_token}" in response["Location"]
    assert client.get("/mijn-gegevens")["Location"].startswith("/inloggen")
    # The broker shows its logout page; pressing "Uitloggen" brings the user back to us.
    back = user.logout_at_broker(response["Location"])
    assert local_path(back.location).startswith("/uitgelogd")
    assert client.get(local_path(back.location)).status_code == 200
    # A new login asks who you are again: the broker session is gone too.
    again = user.to_broker(client, "/inloggen/digid")
    assert again.status == 200
    assert "digid-form" in parse(again.text).forms
    assert LoginEvent.objects.filter(kind=LoginEventKind.LOGOUT).count() == 1


# --- failures ---------------------------------------------------------------------------------


def login_failure(client, *, method, identity, level, action="login"):
    user = BrokerUser()
    page = user.to_broker(client, f"/inloggen/{method}")
    page = user.choose(page, method=method, identity=identity, level=level, action=action)
    return user.back_to_portal(client, page)


def assert_problem(response, status: int, reason: str, text: str):
    assert response.status_code == status
    body = response.content.decode()
    assert text in body
    assert reason in body  # the code for the helpdesk
    assert not response.wsgi_request.user.is_authenticated
    event = LoginEvent.objects.get(kind=LoginEventKind.LOGIN_FAILED)
    assert (event.reason, event.success) == (reason, False)


def test_cancelling_at_the_broker_says_you_are_not_logged_in(client, broker):
    response = login_failure(
        client, method="digid", identity="digid-burger", level="midden", action="cancel"
    )
    assert_problem(response, 200, "cancelled", "U bent gestopt met inloggen")


def test_a_missing_bsn_gives_an_error_page_and_no_user(client, broker):
    response = login_failure(client, method="digid", identity="digid-missing-bsn", level="midden")
    assert_problem(response, 400, "missing_identifier", "Wij hebben uw nummer niet gekregen")
    assert not Identity.objects.exists()


def test_an_invalid_bsn_gives_an_error_page_and_no_user(client, broker):
    response = login_failure(client, method="digid", identity="digid-invalid-bsn", level="midden")
    assert_problem(response, 400, "invalid_identifier", "Wij kregen een nummer dat niet klopt")
    assert not Identity.objects.exists()


def test_a_test_person_of_the_api_cannot_log_in(client, broker):
    response = login_failure(
        client, method="digid", identity="digid-api-testpersoon", level="midden"
    )
    assert_problem(response, 400, "invalid_identifier", "Wij kregen een nummer dat niet klopt")
    assert not Identity.objects.exists()


def test_an_invalid_kvk_number_gives_an_error_page(client, broker):
    response = login_failure(
        client, method="eherkenning", identity="eh-invalid-kvk", level="substantieel"
    )
    assert_problem(response, 400, "invalid_identifier", "Wij kregen een nummer dat niet klopt")


def test_an_rsin_only_login_explains_what_to_do(client, broker):
    response = login_failure(
        client, method="eherkenning", identity="eh-rsin-only", level="substantieel"
    )
    assert_problem(response, 403, "rsin_only", "Log dan in met DigiD")


def test_a_callback_with_an_unknown_state_is_refused(client, broker):
    client.get("/inloggen/digid")  # a real login is under way, with another state
    response = client.get("/oidc/callback?code=abc&state=forged")
    assert_problem(response, 400, "state_mismatch", "Log opnieuw in.")


def test_a_state_is_used_only_once(client, broker):
    user = BrokerUser()
    page = user.choose(
        user.to_broker(client, "/inloggen/digid"),
        method="digid",
        identity="digid-burger",
        level="midden",
    )
    first = user.back_to_portal(client, page)
    assert first.status_code == 302
    client.post("/uitloggen")
    replay = client.get(local_path(page.location))
    assert replay.status_code == 400
    assert not replay.wsgi_request.user.is_authenticated


def test_a_broker_that_is_down_gives_a_clear_page(client, settings):
    from django.core.cache import cache

    from tests.support.broker import free_port

    cache.clear()
    settings.OIDC_OP_DISCOVERY_URL = (
        f"http://127.0.0.1:{free_port()}/.well-known/openid-configuration"
    )
    response = client.get("/inloggen/digid")
    assert_problem(response, 503, "broker_unavailable", "Inloggen lukt nu niet")


def test_a_broker_that_answers_too_slowly_gives_a_clear_page(client, settings):
    from django.core.cache import cache

    from tests.support.broker import run_broker

    with run_broker(env={"BROKER_TOKEN_DELAY_MS": "3000"}) as slow:
        cache.clear()
        settings.OIDC_OP_DISCOVERY_URL = f"{slow.issuer}/.well-known/openid-configuration"
        settings.OIDC_TIMEOUT = 0.5
        response = login_failure(client, method="digid", identity="digid-burger", level="midden")
    cache.clear()
    assert_problem(response, 503, "broker_unavailable", "Inloggen lukt nu niet")


def test_a_token_signed_with_an_unknown_key_is_refused(client, broker, settings):
    from tests.support.broker import run_broker

    with run_broker() as other:
        # Keys of another broker: the ID token's signature cannot be checked against them.
        settings.OIDC_OP_EXPLICIT_ENDPOINTS = {"jwks_uri": other.discovery["jwks_uri"]}
        response = login_failure(client, method="digid", identity="digid-burger", level="midden")
    assert_problem(response, 400, "invalid_token", "Wij konden uw inlog niet controleren")


def test_a_token_for_another_client_is_refused(client, broker, settings):
    settings.OIDC_RP_CLIENT_ID = "someone-else"
    user = BrokerUser()
    response = client.get("/inloggen/digid")
    # The broker refuses an unknown client outright; the user never reaches a login page.
    page = user.browser.follow(response["Location"], stop_at="http://testserver")
    assert page.status == 400


# --- step-up ---------------------------------------------------------------------------------


@pytest.mark.urls("tests.support.step_up_urls")
def test_step_up_sends_a_midden_session_to_the_broker_and_back_to_the_form(client, broker):
    user = BrokerUser()
    user.login(client, method="digid", identity="digid-burger", level="midden")

    response = client.get("/wijzigen-test")
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/digid?")
    page = user.to_broker(client, response["Location"])
    # The broker asks again, with "substantieel" already chosen.
    assert page.status == 200
    form = parse(page.text).forms["digid-form"]
    assert form["selects"]["level"]["selected"] == user_level("digid", "substantieel")
    back = user.back_to_portal(
        client, user.choose(page, method="digid", identity="digid-burger", level="substantieel")
    )

    assert back["Location"] == "/wijzigen-test"
    assert client.get("/wijzigen-test").content == b"change form"
    assert client.session[SESSION_KEY]["level"] == "substantieel"
    assert LoginEvent.objects.filter(kind=LoginEventKind.STEP_UP, success=True).count() == 1


@pytest.mark.urls("tests.support.step_up_urls")
def test_a_step_up_that_stays_too_low_is_refused(client, broker):
    user = BrokerUser()
    user.login(client, method="digid", identity="digid-burger", level="midden")
    page = user.to_broker(client, client.get("/wijzigen-test")["Location"])
    back = user.back_to_portal(
        client, user.choose(page, method="digid", identity="digid-burger", level="midden")
    )
    assert back.status_code == 403
    assert "Hiervoor moet u veiliger inloggen" in back.content.decode()
    assert client.get("/wijzigen-test").status_code == 302


@pytest.mark.urls("tests.support.step_up_urls")
def test_a_step_up_as_someone_else_logs_out(client, broker):
    user = BrokerUser()
    user.login(client, method="digid", identity="digid-burger", level="midden")
    page = user.to_broker(client, client.get("/wijzigen-test")["Location"])
    page = user.choose(page, method="digid", identity="digid-other", level="substantieel")
    if page.status == 200:  # the broker first ends the old person's session there
        page = user.press_broker_logout(page)
    back = user.back_to_portal(client, page)
    assert back.status_code == 403
    assert not back.wsgi_request.user.is_authenticated


def user_level(method: str, level: str) -> str:
    from tests.support.portal_login import LEVELS

    return LEVELS[method][level]
