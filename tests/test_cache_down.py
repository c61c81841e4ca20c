"""A Redis that does not answer costs speed, not pages: what is cached only to save time (register
answers, the broker's discovery and whether it answers) is then asked of its source each time.
(Logging in without it: tests/test_login_broker_down.py.)"""

import pytest
from django.test import override_settings

from profiles.models import Identity
from tests.support.broker import free_port
from tests.support.fake_registers import API_KEY, FakeBrp, serving
from tests.support.register_data import BRP_PERSONS, BURGER_BSN

pytestmark = pytest.mark.django_db

UNREACHABLE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


def test_the_overview_shows_the_register_without_the_cache(client, login, settings):
    profile = login("digid", "digid-burger", "substantieel")
    Identity.objects.filter(pk=profile.identity.pk).update(value=BURGER_BSN)

    with serving(FakeBrp(BRP_PERSONS)) as brp:
        settings.REGISTER_BRP_BACKEND = "http"
        settings.REGISTER_BRP_URL = brp.url
        settings.REGISTER_BRP_API_KEY = API_KEY
        settings.REGISTER_BRP_TIMEOUT = 10  # a loaded machine answers slowly
        with override_settings(CACHES={"default": UNREACHABLE}):
            answers = [client.get("/mijn-gegevens") for _ in range(2)]

    for response in answers:
        assert response.status_code == 200
        assert "Jo Anne" in response.content.decode()
    assert len(brp.seen) == 2  # nothing kept: the register was asked each time
