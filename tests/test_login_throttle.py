"""Starting a login stores a state in a session: a flood of starts must not fill the database."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_too_many_login_starts_from_one_address_get_a_clear_page_and_no_session(
    client, broker, settings
):
    settings.LOGIN_STARTS_PER_MINUTE = 5
    for _ in range(5):
        assert client.get("/inloggen/digid").status_code == 302
        client.cookies.clear()  # as a script without cookies would: a new session each time
    sessions = Session.objects.count()

    response = client.get("/inloggen/digid")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "Wacht een minuut" in response.content.decode()
    assert Session.objects.count() == sessions == 5


def test_another_address_can_still_log_in(client, broker, settings):
    settings.LOGIN_STARTS_PER_MINUTE = 1
    client.get("/inloggen/digid", REMOTE_ADDR="192.0.2.1")

    assert client.get("/inloggen/digid", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/inloggen/digid", REMOTE_ADDR="192.0.2.2").status_code == 302


def test_behind_a_trusted_proxy_the_visitor_counts_not_the_proxy(client, broker, settings):
    settings.LOGIN_STARTS_PER_MINUTE = 1
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    proxied = {"REMOTE_ADDR": "10.0.0.5"}
    client.get("/inloggen/digid", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxied)

    assert (
        client.get("/inloggen/digid", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxied).status_code
        == 429
    )
    assert (
        client.get("/inloggen/digid", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxied).status_code
        == 302
    )
    # An untrusted sender cannot pick its own address with the header.
    client.get("/inloggen/digid", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert (
        client.get(
            "/inloggen/digid", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="8.8.8.8"
        ).status_code
        == 429
    )
