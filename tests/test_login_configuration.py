"""Claim names and level mappings are configuration: environment variables alone change them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.broker import run_broker

REPO = Path(__file__).resolve().parents[1]


def login_in_fresh_portal(broker, portal_env: dict, method: str, identity: str, level: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "DATABASE_URL"))}
    env |= {
        "OIDC_OP_DISCOVERY_URL": f"{broker.issuer}/.well-known/openid-configuration",
        "DATABASE_URL": "sqlite:///:memory:",
        **portal_env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.support.login_subprocess", method, identity, level],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def urn_broker():
    with run_broker(env={"BROKER_KVK_STYLE": "urn", "BROKER_LOA_CLAIM": "assurance"}) as broker:
        yield broker


@pytest.fixture(scope="module")
def plain_broker():
    with run_broker(env={"BROKER_KVK_STYLE": "plain"}) as broker:
        yield broker


def test_a_broker_with_urn_claims_gives_the_company_and_branch(urn_broker):
    result = login_in_fresh_portal(urn_broker, {}, "eherkenning", "eh-branch", "substantieel")
    assert result["identity"] == ["kvk", "69599084", "000038509490"]
    assert result["level"] == "substantieel"


def test_a_broker_with_a_plain_kvk_claim_gives_the_same_company(plain_broker):
    result = login_in_fresh_portal(plain_broker, {}, "eherkenning", "eh-branch", "substantieel")
    assert result["identity"] == ["kvk", "69599084", "000038509490"]


def test_the_level_claim_name_comes_from_the_environment(urn_broker):
    named = login_in_fresh_portal(
        urn_broker, {"OIDC_CLAIM_LOA": "assurance"}, "eherkenning", "eh-company", "hoog"
    )
    assert named["level"] == "hoog"
    missing = login_in_fresh_portal(
        urn_broker, {"OIDC_CLAIM_LOA": "no_such_claim"}, "eherkenning", "eh-company", "hoog"
    )
    assert missing["status"] == 400
    assert missing["reason"] == "unknown_level"


def test_the_level_mapping_comes_from_the_environment(plain_broker):
    # This broker's EH3 counts as "hoog" here: one mapping, set in the environment only.
    mapping = "urn:etoegang:core:assurance-class:loa3=hoog"
    result = login_in_fresh_portal(
        plain_broker, {"OIDC_LOA_MAP": mapping}, "eherkenning", "eh-company", "substantieel"
    )
    assert result["level"] == "hoog"


def test_the_kvk_claim_name_comes_from_the_environment(plain_broker):
    # Told that the KvK number is in another claim, the portal finds none in `kvk`.
    result = login_in_fresh_portal(
        plain_broker,
        {"OIDC_CLAIM_KVK": "kvk_nummer", "OIDC_CLAIM_LEGAL_SUBJECT": "absent"},
        "eherkenning",
        "eh-company",
        "substantieel",
    )
    assert result["status"] == 400
    assert result["identity"] is None
