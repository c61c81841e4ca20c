"""The development OpenID provider's claims per method and style, and its own guards."""

from __future__ import annotations

import re
import time

import pytest

from tests.support.broker import run_broker
from tests.support.oidc_client import (
    Browser,
    Flow,
    callback_params,
    jwt_payload,
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


# --- claims per method and style ---------------------------------------------------------


def test_eherkenning_urn_claims(broker):
    result = Flow(broker).login("eherkenning", "eh-branch", EH3, scope="openid eherkenning")
    for claims in (result["claims"], result["userinfo"]):
        assert claims["urn:etoegang:core:LegalSubjectID"] == "69599084"
        assert claims["urn:etoegang:core:LegalSubjectID:namequalifier"] == (
            "urn:etoegang:1.9:EntityConcernedID:KvKnr"
        )
        assert claims["urn:etoegang:1.9:ServiceRestriction:Vestigingsnr"] == "000038509490"
        assert claims["urn:etoegang:core:ActingSubjectID"].startswith("acting-")
        assert claims["login_method"] == "eherkenning"
    assert result["claims"]["acr"] == EH3

    rsin = Flow(broker).login("eherkenning", "eh-rsin-only", scope="openid eherkenning")["claims"]
    assert rsin["urn:etoegang:core:LegalSubjectID"] == "002564440"
    assert rsin["urn:etoegang:core:LegalSubjectID:namequalifier"].endswith(":RSIN")

    missing = Flow(broker).login("eherkenning", "eh-missing-kvk")["claims"]
    assert "urn:etoegang:core:LegalSubjectID" not in missing
    assert "urn:etoegang:core:ActingSubjectID" in missing


def test_eidas_and_missing_identifiers(broker):
    eidas = Flow(broker).login("eidas", "eidas-person", scope="openid eidas")
    for claims in (eidas["claims"], eidas["userinfo"]):
        assert claims["eidas_pseudonym"] == "NL/DE/0123456789abcdef"
        assert claims["sub"] == "eidas-person"
        assert claims["given_name"] and claims["family_name"] and claims["birthdate"]
    assert eidas["claims"]["acr"] == "http://eidas.europa.eu/LoA/low"
    assert "eidas_pseudonym" not in Flow(broker).login("eidas", "eidas-missing-id")["claims"]
    missing_bsn = Flow(broker).login("digid", "digid-missing-bsn")
    assert "bsn" not in missing_bsn["claims"] and "bsn" not in missing_bsn["userinfo"]


def test_plain_style_custom_loa_claim_and_token_delay():
    env = {"BROKER_KVK_STYLE": "plain", "BROKER_LOA_CLAIM": "loa", "BROKER_TOKEN_DELAY_MS": "400"}
    with run_broker(env=env) as broker:
        flow = Flow(broker)
        params = callback_params(flow.submit(flow.start(), "eherkenning", "eh-branch", EH3))
        started = time.monotonic()
        tokens = flow.token(params["code"]).json()
        assert time.monotonic() - started >= 0.4
        claims = jwt_payload(tokens["id_token"])
        assert claims["kvk"] == "69599084"
        assert claims["vestigingsnummer"] == "000038509490"
        assert claims["acting_subject"].startswith("acting-")
        assert not any(key.startswith("urn:etoegang") for key in claims)
        assert claims["loa"] == EH3 and claims["acr"] == EH3
        userinfo = flow.browser.request(
            broker.discovery["userinfo_endpoint"],
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
        ).json()
        assert userinfo["loa"] == EH3 and userinfo["kvk"] == "69599084"

        rsin = Flow(broker).login("eherkenning", "eh-rsin-only")["claims"]
        assert rsin["rsin"] == "002564440" and "kvk" not in rsin


def test_login_with_identity_of_other_method_is_refused(broker):
    flow = Flow(broker)
    page = flow.start()
    response = flow.submit(page, "digid", "eh-company")
    assert response.status == 400
    assert "login-error" in response.text
    # The interaction is still usable afterwards.
    params = callback_params(flow.submit(page, "digid", "digid-burger"))
    assert params["state"] == flow.state


def test_prompt_consent_is_granted_without_screen(broker):
    browser = Browser()
    Flow(broker, browser).login("digid", "digid-burger")
    flow = Flow(broker, browser)
    params = callback_params(flow.start(prompt="consent"))
    assert params["state"] == flow.state and "code" in params


def test_run_broker_without_node_raises_clear_error(monkeypatch):
    import tests.support.broker as broker_module

    monkeypatch.setattr(broker_module.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match="node"), broker_module.run_broker():
        pass


def test_elfproef_of_test_identities():
    def elfproef(number: str) -> bool:
        weights = [9, 8, 7, 6, 5, 4, 3, 2, -1]
        return (
            len(number) == 9
            and sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0
        )

    for valid in ("999993653", "999990019", "999991772", "002564440"):
        assert elfproef(valid), valid
    assert not elfproef("123456789")


def test_login_page_has_no_external_assets(broker):
    page = Flow(broker).start()
    assert not re.search(r"""(src|href)=["']https?://""", page.text)
    assert "@import" not in page.text
