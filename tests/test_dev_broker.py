"""Tests of the development OpenID provider in dev/broker (no Django needed)."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.broker import free_port, run_broker
from tests.support.oidc_client import (
    Browser,
    Flow,
    Response,
    authorize_url,
    callback_params,
    jwt_payload,
    local_redirect_uri,
    parse,
    pkce_pair,
)

DIGID_SUBSTANTIEEL = "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard"
DIGID_BASIS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
DIGID_MIDDEN = "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
EH3 = "urn:etoegang:core:assurance-class:loa3"


@pytest.fixture(scope="module")
def broker():
    with run_broker() as running:
        yield running


# --- start, discovery, keys ------------------------------------------------------------


def test_discovery_document(broker):
    discovery = broker.discovery
    assert broker.issuer == f"http://127.0.0.1:{broker.port}"
    assert discovery["issuer"] == broker.issuer
    for endpoint in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "end_session_endpoint",
    ):
        assert discovery[endpoint].startswith(broker.issuer + "/"), endpoint
    assert discovery["code_challenge_methods_supported"] == ["S256"]
    assert discovery["response_types_supported"] == ["code"]
    assert DIGID_SUBSTANTIEEL in discovery["acr_values_supported"]
    assert EH3 in discovery["acr_values_supported"]
    assert "http://eidas.europa.eu/LoA/high" in discovery["acr_values_supported"]
    assert {"openid", "digid", "eherkenning", "eidas", "profile"} <= set(
        discovery["scopes_supported"]
    )
    assert {"client_secret_basic", "client_secret_post"} <= set(
        discovery["token_endpoint_auth_methods_supported"]
    )


def _jwks(broker) -> dict:
    with urllib.request.urlopen(broker.discovery["jwks_uri"], timeout=5) as response:
        return json.load(response)


def test_jwks_has_one_rs256_key_with_kid(broker):
    keys = _jwks(broker)["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA"
    assert keys[0]["alg"] == "RS256"
    assert keys[0]["kid"]
    assert "d" not in keys[0]  # public part only


def test_fresh_key_per_start_and_port_closed_after_exit():
    with run_broker() as first:
        first_key = _jwks(first)["keys"][0]
        port = first.port
    with run_broker() as second:
        second_key = _jwks(second)["keys"][0]
    assert first_key["kid"] != second_key["kid"]
    assert first_key["n"] != second_key["n"]
    with pytest.raises(OSError):
        urllib.request.urlopen(
            f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=2
        )


# --- authorization code flow -------------------------------------------------------------


def test_login_page_is_accessible_dutch_and_dev_only(broker):
    page = Flow(broker).start()
    assert page.status == 200
    assert '<html lang="nl">' in page.text
    assert "<main>" in page.text
    doc = parse(page.text)
    assert doc.h1 == ["Ontwikkel-broker: kies een testidentiteit"]
    assert "Alleen voor ontwikkeling" in page.text
    assert set(doc.forms) == {"digid-form", "eherkenning-form", "eidas-form"}
    for method in ("digid", "eherkenning", "eidas"):
        assert doc.labels[f"{method}-identity"] == "Testidentiteit"
        assert doc.labels[f"{method}-level"] == "Betrouwbaarheidsniveau"
    texts = {button["id"]: button["text"] for button in doc.buttons}
    assert texts["digid-submit"] == "Inloggen met DigiD"
    assert texts["eherkenning-submit"] == "Inloggen met eHerkenning"
    assert texts["eidas-submit"] == "Inloggen met eIDAS"
    assert texts["digid-cancel"] == "Annuleren"
    assert page.text.count("<fieldset>") == 3 and page.text.count("<legend>") == 3


def test_scope_selects_method_and_acr_values_preselect_level(broker):
    page = Flow(broker).start(
        scope="openid digid", acr_values=f"{DIGID_SUBSTANTIEEL} {DIGID_MIDDEN}"
    )
    doc = parse(page.text)
    assert set(doc.forms) == {"digid-form"}
    assert doc.forms["digid-form"]["selects"]["level"]["selected"] == DIGID_MIDDEN
    assert "digid-missing-bsn" in doc.forms["digid-form"]["selects"]["identity"]["options"]


def test_full_authorization_code_flow_with_pkce(broker):
    flow = Flow(broker)
    page = flow.start(scope="openid digid")
    assert page.status == 200
    params = callback_params(flow.submit(page, "digid", "digid-burger", DIGID_SUBSTANTIEEL))
    assert flow.redirect_uri.startswith("http://127.0.0.1:")
    assert params["state"] == flow.state
    assert params["iss"] == broker.issuer
    assert params["code"]

    response = flow.token(params["code"])
    assert response.status == 200, response.text
    tokens = response.json()
    assert tokens["token_type"].lower() == "bearer"
    claims = jwt_payload(tokens["id_token"])
    header = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    assert header["kid"] == _jwks(broker)["keys"][0]["kid"]
    assert claims["iss"] == broker.issuer
    assert claims["aud"] == broker.client_id
    assert claims["sub"] == "digid-burger"
    assert claims["bsn"] == "999993653"
    assert claims["acr"] == DIGID_SUBSTANTIEEL
    assert claims["nonce"] == flow.nonce
    assert claims["login_method"] == "digid"

    userinfo = flow.browser.request(
        broker.discovery["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert userinfo.status == 200
    assert userinfo.json()["bsn"] == "999993653"
    assert userinfo.json()["sub"] == "digid-burger"
    assert userinfo.json()["login_method"] == "digid"


def test_client_secret_post_is_accepted(broker):
    flow = Flow(broker)
    params = callback_params(flow.submit(flow.start(), "digid", "digid-other"))
    response = flow.browser.request(
        broker.discovery["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": flow.redirect_uri,
            "code_verifier": flow.verifier,
            "client_id": broker.client_id,
            "client_secret": broker.client_secret,
        },
    )
    assert response.status == 200, response.text
    assert jwt_payload(response.json()["id_token"])["bsn"] == "999991772"


def test_cancel_returns_access_denied_with_state(broker):
    flow = Flow(broker, redirect_uri="http://testserver/oidc/callback/")
    page = flow.start(scope="openid eherkenning")
    params = callback_params(flow.submit(page, "eherkenning", "eh-company", action="cancel"))
    assert params["error"] == "access_denied"
    assert params["state"] == flow.state
    assert "code" not in params


def test_token_request_without_code_verifier_fails(broker):
    flow = Flow(broker)
    params = callback_params(flow.submit(flow.start(), "digid", "digid-burger"))
    response = flow.token(params["code"], with_verifier=False)
    assert response.status == 400
    assert response.json()["error"] in ("invalid_grant", "invalid_request")


def test_authorization_request_without_pkce_is_rejected(broker):
    browser = Browser()
    redirect_uri = local_redirect_uri()
    url = (
        broker.discovery["authorization_endpoint"]
        + "?"
        + urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": broker.client_id,
                "redirect_uri": redirect_uri,
                "scope": "openid",
                "state": "s1",
            }
        )
    )
    params = callback_params(browser.request(url))
    assert params["error"] == "invalid_request"
    assert params["state"] == "s1"


def test_foreign_redirect_uri_is_rejected(broker):
    _, challenge = pkce_pair()
    url = authorize_url(broker, "https://rp.example.org/callback", challenge, "s", "n")
    response = Browser().request(url)
    assert response.status == 400
    assert "redirect_uri" in response.text


# --- SSO, step-up, logout ----------------------------------------------------------------


def test_sso_step_up_and_logout(broker):
    browser = Browser()
    first = Flow(broker, browser).login("digid", "digid-burger", DIGID_BASIS)
    assert first["claims"]["acr"] == DIGID_BASIS

    # A broker session exists: a plain request is answered without login page.
    sso = Flow(broker, browser)
    params = callback_params(sso.start())
    assert params["state"] == sso.state and "code" in params

    # acr_values forces the login page again, preselected to the requested level.
    step_up = Flow(broker, browser)
    page = step_up.start(acr_values=DIGID_SUBSTANTIEEL)
    assert page.status == 200
    level_select = parse(page.text).forms["digid-form"]["selects"]["level"]
    assert level_select["selected"] == DIGID_SUBSTANTIEEL
    params = callback_params(step_up.submit(page, "digid", "digid-burger"))
    stepped = jwt_payload(step_up.token(params["code"]).json()["id_token"])
    assert stepped["acr"] == DIGID_SUBSTANTIEEL

    # prompt=login forces it too.
    assert Flow(broker, browser).start(prompt="login").status == 200

    # RP-initiated logout with id_token_hint, post_logout_redirect_uri and state.
    post_logout = f"http://localhost:{free_port()}/uitgelogd/"
    url = (
        broker.discovery["end_session_endpoint"]
        + "?"
        + urllib.parse.urlencode(
            {
                "id_token_hint": first["id_token"],
                "post_logout_redirect_uri": post_logout,
                "state": "bye",
            }
        )
    )
    done = submit_logout_page(browser, browser.request(url))
    assert done.status in (302, 303)
    assert done.location == f"{post_logout}?state=bye"

    # No silent SSO after logout.
    assert Flow(broker, browser).start().status == 200


def submit_logout_page(browser: Browser, page: Response) -> Response:
    """Press the no-JavaScript "Uitloggen" button of the broker's logout page."""
    assert page.status == 200, page.text[:500]
    assert '<html lang="nl">' in page.text
    doc = parse(page.text)
    button = next(b for b in doc.buttons if b.get("id") == "logout-submit")
    assert button["text"] == "Uitloggen"
    form = doc.forms[button["form"]]
    return browser.request(form["action"], data={**form["fields"], button["name"]: button["value"]})


def test_logout_without_broker_session_still_redirects_back(broker):
    tokens = Flow(broker).login("digid", "digid-burger")
    post_logout = "http://testserver/uitgelogd/"
    url = (
        broker.discovery["end_session_endpoint"]
        + "?"
        + urllib.parse.urlencode(
            {
                "id_token_hint": tokens["id_token"],
                "post_logout_redirect_uri": post_logout,
                "state": "st",
            }
        )
    )
    other_browser = Browser()  # has no broker session cookie
    done = submit_logout_page(other_browser, other_browser.request(url))
    assert done.location == f"{post_logout}?state=st"


def test_step_up_as_other_identity_ends_previous_session(broker):
    browser = Browser()
    Flow(broker, browser).login("digid", "digid-burger")
    flow = Flow(broker, browser)
    page = flow.start(acr_values=DIGID_SUBSTANTIEEL)
    # oidc-provider first ends the old session; the broker shows its own page.
    switch = flow.submit(page, "digid", "digid-other")
    assert switch.status == 200
    params = callback_params(
        browser.follow(submit_logout_page(browser, switch).location, stop_at=flow.redirect_uri)
    )
    assert params["state"] == flow.state
    claims = jwt_payload(flow.token(params["code"]).json()["id_token"])
    assert claims["sub"] == "digid-other" and claims["acr"] == DIGID_SUBSTANTIEEL
