import os

import pytest

from tests.support import browser as browser_support

# Playwright's sync API runs an event loop in this thread; Django would take that for async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    browser = browser_support.launch(playwright_instance)
    yield browser
    browser.close()


@pytest.fixture
def page(chromium, live_server, transactional_db):
    """A fresh browser tab (own cookies) with the live server as its base URL."""
    context = chromium.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    return browser_support.axe_violations


@pytest.fixture(scope="session")
def dev_broker():
    """The development OpenID provider as a real process, for the whole test session."""
    from tests.support.broker import run_broker

    with run_broker() as broker:
        yield broker


@pytest.fixture
def broker(dev_broker, settings):
    """Point the portal at the running development broker."""
    from django.core.cache import cache

    from config.integrations.csp import content_security_policy

    settings.OIDC_OP_DISCOVERY_URL = f"{dev_broker.issuer}/.well-known/openid-configuration"
    settings.CONTENT_SECURITY_POLICY = content_security_policy(form_targets=[dev_broker.issuer])
    cache.clear()
    yield dev_broker
    cache.clear()


@pytest.fixture
def login(client, broker):
    """Log the test client in through the real broker: login(method, identity, level)."""
    from tests.support.portal_login import BrokerUser

    def log_in(method="digid", identity="digid-burger", level="substantieel"):
        response = BrokerUser().login(client, method=method, identity=identity, level=level)
        assert response.status_code == 302, response.content[:300]
        return response.wsgi_request.user.profile

    return log_in


@pytest.fixture
def empty_processing_log(transactional_db):
    """For tests that commit processing records: the flush after a transactional test deletes
    rows one by one on SQLite, which the append-only guard refuses; lift it just for that."""
    import importlib

    from django.db import connection

    guard = importlib.import_module("consent.migrations.0005_processing_record_append_only")
    retention = importlib.import_module(
        "profiles.rights.migrations.0002_log_guards_allow_retention"
    )
    yield
    up = {"postgresql": [guard.POSTGRES_UP], "sqlite": guard.SQLITE_UP}[connection.vendor]
    down = {"postgresql": [guard.POSTGRES_DOWN], "sqlite": guard.SQLITE_DOWN}[connection.vendor]
    with connection.cursor() as cursor:
        for statement in down:
            cursor.execute(statement)
        cursor.execute(f"DELETE FROM {guard.TABLE}")  # noqa: S608 - a constant table name
        for statement in up:
            cursor.execute(statement)
        # 0005's guard is back; the retention exception of rights 0002 goes on top of it again.
        for statement in retention.UP[connection.vendor]:
            cursor.execute(statement)


def pytest_collection_modifyitems(items):
    """Tests that commit (transactional and browser tests) may reach the `prepared` alias.

    Outside a transaction on `default`, the organisation API's statements run on `prepared`
    (core/sql.py), as in production; pytest-django allows only `default` unless told otherwise.
    Inside the usual test transaction they run on `default`, so other tests need nothing.
    """
    from django.conf import settings

    if "prepared" not in settings.DATABASES:
        return
    committing = {"transactional_db", "live_server", "django_db_reset_sequences"}
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        if not (kwargs.get("transaction") or committing & set(getattr(item, "fixturenames", ()))):
            continue
        if kwargs.get("databases") == "__all__":
            continue
        item.add_marker(
            pytest.mark.django_db(**(kwargs | {"transaction": True, "databases": "__all__"})),
            append=False,
        )
