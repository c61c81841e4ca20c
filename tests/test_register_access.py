"""The ways into a register: an OAuth2 token from a real local token endpoint that counts its
calls, and mutual TLS with a real local HTTPS server and certificates made for the test."""

import logging

import pytest

from profiles.registers import RegisterUnavailable, access
from profiles.registers.access import Access, OAuthClient, forget_tokens
from profiles.registers.brp import HttpBrpClient
from tests.support.clock import Clock
from tests.support.fake_registers import FakeBrp, TokenServer, serving
from tests.support.http_peer import unused_port
from tests.support.register_data import BRP_PERSONS, BURGER_BSN
from tests.support.tls import Authority

NAME = "jonkheer Jo Anne van Hoogh"


@pytest.fixture(autouse=True)
def no_kept_tokens():
    forget_tokens()
    yield
    forget_tokens()


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(access, "clock", moved)
    return moved


@pytest.fixture
def tokens():
    with serving(TokenServer(lifetime=300)) as server:
        yield server


@pytest.fixture
def brp(tokens):
    with serving(FakeBrp(BRP_PERSONS, tokens=tokens)) as fake:
        yield fake


def oauth_for(tokens: TokenServer, **changes) -> OAuthClient:
    values = {"client_id": tokens.client_id, "client_secret": tokens.secret, "scope": tokens.scope}
    return OAuthClient(token_url=tokens.url, **(values | changes))


def brp_client(fake, **access_values) -> HttpBrpClient:
    return HttpBrpClient(base_url=fake.url, access=Access(**access_values), timeout=2)


def bearers(fake) -> list[str]:
    return [r["headers"].get("authorization", "") for r in fake.seen]


def logged(caplog) -> list[tuple]:
    records = [r for r in caplog.records if r.name == "profiles.registers"]
    return [(r.levelname, r.reason, getattr(r, "code", "")) for r in records]


# --- OAuth2 client credentials ------------------------------------------------------------


def test_one_token_serves_every_call_while_it_is_valid(brp, tokens, clock):
    client = brp_client(brp, oauth=oauth_for(tokens))

    names = [client.person(BURGER_BSN).full_name for _ in range(3)]

    assert names == [NAME] * 3
    assert tokens.calls == 1
    [token_request] = tokens.seen
    assert token_request["method"] == "POST"
    assert token_request["body"] == "grant_type=client_credentials&scope=brp"
    assert token_request["headers"]["authorization"].startswith("Basic ")
    assert bearers(brp) == ["Bearer token-1"] * 3
    assert "x-api-key" not in brp.seen[0]["headers"]


def test_a_token_is_renewed_shortly_before_it_expires(brp, tokens, clock):
    client = brp_client(brp, oauth=oauth_for(tokens))
    client.person(BURGER_BSN)

    clock.forward(300 - 31)  # still more than the margin of 30 seconds left
    client.person(BURGER_BSN)
    clock.forward(2)  # now less
    client.person(BURGER_BSN)

    assert tokens.calls == 2
    assert bearers(brp) == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]


def test_a_token_the_register_no_longer_takes_gets_one_fresh_token_and_one_retry(
    brp, tokens, clock
):
    client = brp_client(brp, oauth=oauth_for(tokens))
    client.person(BURGER_BSN)
    tokens.expire_all()  # mid-run: the register ends the token before we expected

    person = client.person(BURGER_BSN)

    assert person.full_name == NAME
    assert tokens.calls == 2
    assert bearers(brp) == ["Bearer token-1", "Bearer token-1", "Bearer token-2"]
    assert brp.statuses == [200, 401, 200]


def test_a_register_that_refuses_every_token_is_asked_once_more_and_no_more(tokens, caplog):
    # This register trusts another token server: not one of our tokens gets in.
    with serving(TokenServer()) as other, serving(FakeBrp(BRP_PERSONS, tokens=other)) as brp:
        client = brp_client(brp, oauth=oauth_for(tokens))

        with caplog.at_level(logging.WARNING):
            with pytest.raises(RegisterUnavailable):
                client.person(BURGER_BSN)  # a new token refused: no retry
            with pytest.raises(RegisterUnavailable):
                client.person(BURGER_BSN)  # a kept token refused: one fresh one, one retry

        assert (tokens.calls, len(brp.seen)) == (2, 3)
    assert logged(caplog) == [("WARNING", "unexpected_status", "authentication")] * 2


def test_a_token_server_that_refuses_the_client_is_a_logged_fault(brp, tokens, caplog):
    client = brp_client(brp, oauth=oauth_for(tokens, client_secret="wrong"))

    with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
        client.person(BURGER_BSN)

    assert raised.value.reason == "token_refused"
    assert logged(caplog) == [("ERROR", "token_refused", "invalid_client")]
    assert brp.seen == []  # the register is not asked without a token
    assert "wrong" not in caplog.text and BURGER_BSN not in caplog.text


def test_a_token_server_that_is_down_makes_the_register_unavailable(brp):
    oauth = OAuthClient(f"http://127.0.0.1:{unused_port()}/token", "portal", "secret")

    with pytest.raises(RegisterUnavailable) as raised:
        brp_client(brp, oauth=oauth).person(BURGER_BSN)

    assert raised.value.reason == "token_connection_error"
    assert brp.seen == []


# --- mutual TLS ------------------------------------------------------------------------------


@pytest.fixture
def ca(tmp_path):
    return Authority(tmp_path)


@pytest.fixture
def gateway(ca):
    """The BRP behind a gateway as in production: HTTPS that wants a client certificate from
    our CA, and a token from a token server behind the same gateway."""
    context = ca.server_context(require_client_cert=True)
    tokens = TokenServer()
    with (
        serving(tokens, tls=context),
        serving(FakeBrp(BRP_PERSONS, tokens=tokens), tls=context) as fake,
    ):
        yield fake


def test_a_client_certificate_and_a_token_get_through_the_gateway(gateway, ca):
    portal = ca.issue("portal.test")

    person = brp_client(
        gateway,
        client_cert=str(portal.cert),
        client_key=str(portal.key),
        ca_bundle=str(ca.pem.cert),
        oauth=oauth_for(gateway.tokens),
    ).person(BURGER_BSN)

    assert person.full_name == NAME
    for request in (*gateway.tokens.seen, *gateway.seen):
        assert dict(part[0] for part in request["client_cert"]["subject"])["commonName"] == (
            "portal.test"
        )


@pytest.mark.parametrize("certificate", ["none", "other CA"])
def test_without_a_certificate_from_the_right_ca_the_gateway_lets_nothing_through(
    gateway, ca, tmp_path, certificate
):
    values = {"ca_bundle": str(ca.pem.cert), "oauth": oauth_for(gateway.tokens)}
    if certificate == "other CA":
        (tmp_path / "other").mkdir()
        stranger = Authority(tmp_path / "other", name="Other CA").issue("stranger.test")
        values |= {"client_cert": str(stranger.cert), "client_key": str(stranger.key)}

    with pytest.raises(RegisterUnavailable) as raised:
        brp_client(gateway, **values).person(BURGER_BSN)

    assert raised.value.reason in {"token_tls_error", "token_connection_error"}
    assert gateway.tokens.seen == [] and gateway.seen == []


def test_a_register_whose_certificate_is_not_trusted_is_not_asked(gateway, ca):
    portal = ca.issue("portal.test")
    # No CA bundle: the default bundle does not know the test CA (nor PKIoverheid Private).
    values = {"client_cert": str(portal.cert), "client_key": str(portal.key)}

    with pytest.raises(RegisterUnavailable) as raised:
        brp_client(gateway, **values, oauth=oauth_for(gateway.tokens)).person(BURGER_BSN)

    assert raised.value.reason == "token_tls_error"
    assert gateway.seen == []


def test_a_missing_certificate_file_is_a_logged_fault_not_a_crash(ca, tmp_path, caplog):
    context = ca.server_context(require_client_cert=True)
    with serving(FakeBrp(BRP_PERSONS), tls=context) as brp:
        values = {
            "api_key_header": "X-API-KEY",
            "api_key": "test-key",
            "ca_bundle": str(ca.pem.cert),
        }
        values |= {
            "client_cert": str(tmp_path / "gone.crt"),
            "client_key": str(tmp_path / "gone.key"),
        }

        with caplog.at_level(logging.WARNING), pytest.raises(RegisterUnavailable) as raised:
            brp_client(brp, **values).person(BURGER_BSN)

        assert brp.seen == []
    assert raised.value.reason == "client_certificate"
    assert logged(caplog) == [("ERROR", "client_certificate", "")]
