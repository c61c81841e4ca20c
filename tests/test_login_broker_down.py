"""A broker that is down, hangs or cannot be reached: the person reads the portal's own page, and
is never sent to a host that does not answer, also while the broker's discovery is kept."""

import socket
import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from profiles.choices import LoginEventKind
from profiles.login import broker as broker_module
from profiles.models import LoginEvent
from tests.support.broker import free_port, run_broker
from tests.support.http_peer import http_peer

pytestmark = pytest.mark.django_db

TITLE = "Inloggen lukt nu niet"


def assert_broker_unavailable(response):
    assert response.status_code == 503
    assert "Location" not in response
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert TITLE in body and "broker_unavailable" in body
    assert LoginEvent.objects.filter(
        kind=LoginEventKind.LOGIN_FAILED, reason="broker_unavailable"
    ).exists()


@pytest.fixture
def own_broker(settings):
    """A broker process of this test's own, so the test may stop it."""
    with run_broker() as started:
        settings.OIDC_OP_DISCOVERY_URL = f"{started.issuer}/.well-known/openid-configuration"
        cache.clear()
        yield started
    cache.clear()


def test_a_stopped_broker_gives_the_portal_page_while_its_discovery_is_kept(
    client, own_broker, monkeypatch
):
    monkeypatch.setattr(broker_module, "REACHABILITY_TTL", 1)
    first = client.get("/inloggen/digid")
    assert first.status_code == 302
    assert first["Location"].startswith(own_broker.discovery["authorization_endpoint"])

    own_broker.process.terminate()
    own_broker.process.wait(timeout=10)
    time.sleep(1.2)  # the verdict "it answers" has expired; the discovery document has not
    assert cache.get(f"oidc-discovery:{own_broker.issuer}/.well-known/openid-configuration")

    assert_broker_unavailable(client.get("/inloggen/digid"))


def test_a_broker_that_accepts_but_never_answers_is_given_up_on_quickly(
    client, dev_broker, settings
):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the connection; nobody ever reads or answers
        port = silent.getsockname()[1]
        settings.OIDC_OP_DISCOVERY_URL = f"{dev_broker.issuer}/.well-known/openid-configuration"
        settings.OIDC_OP_EXPLICIT_ENDPOINTS = {
            "authorization_endpoint": f"http://127.0.0.1:{port}/auth"
        }
        settings.OIDC_CHECK_TIMEOUT = 0.5
        cache.clear()
        started = time.monotonic()
        response = client.get("/inloggen/digid")
        took = time.monotonic() - started
    cache.clear()
    assert_broker_unavailable(response)
    assert took < 3  # OIDC_CHECK_TIMEOUT, not OIDC_TIMEOUT or longer; margin for a busy machine


def test_the_verdict_is_kept_so_a_busy_portal_asks_once_per_few_seconds(
    client, own_broker, monkeypatch
):
    asked = []
    real_head = broker_module.requests.head
    monkeypatch.setattr(
        broker_module.requests, "head", lambda *a, **kw: asked.append(a) or real_head(*a, **kw)
    )
    for _ in range(3):
        assert client.get("/inloggen/digid").status_code == 302
    assert len(asked) == 1


def test_without_the_shared_cache_login_still_starts(client, broker):
    """Redis down: discovery and the broker check are asked each time instead of kept."""
    unreachable = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    with override_settings(CACHES={"default": unreachable}):
        response = client.get("/inloggen/digid")
    assert response.status_code == 302
    assert response["Location"].startswith(broker.discovery["authorization_endpoint"])


@pytest.mark.parametrize(
    ("status", "sent_there"),
    [(400, True), (405, True), (500, True), (501, True), (502, False), (503, False), (504, False)],
)
def test_only_a_gateway_without_its_broker_counts_as_down(
    client, dev_broker, settings, status, sent_there
):
    """A HEAD without parameters may get an error from a broker that works; only the answers
    of a gateway whose broker is gone, or in maintenance, stop the login here."""
    with http_peer(lambda request: (status, {}, 0)) as gateway:
        settings.OIDC_OP_DISCOVERY_URL = f"{dev_broker.issuer}/.well-known/openid-configuration"
        authorize = f"http://127.0.0.1:{gateway.server_port}/authorize"
        settings.OIDC_OP_EXPLICIT_ENDPOINTS = {"authorization_endpoint": authorize}
        cache.clear()
        response = client.get("/inloggen/digid")
        assert [r["method"] for r in gateway.seen] == ["HEAD"]
    cache.clear()
    if sent_there:
        assert response.status_code == 302 and response["Location"].startswith(authorize)
    else:
        assert_broker_unavailable(response)
