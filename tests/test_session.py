"""Session length: idle timeout, absolute length, 'Doorgaan' — by moving the clock."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from profiles.choices import LoginEventKind
from profiles.login import session as session_module
from profiles.models import LoginEvent
from tests.support.clock import Clock
from tests.support.portal_login import BrokerUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(session_module, "clock", moved)
    return moved


@pytest.fixture
def logged_in(client, broker, clock):
    BrokerUser().login(client, method="digid", identity="digid-burger", level="midden")
    return client


def test_a_session_idle_for_15_minutes_ends_with_an_explanation(logged_in, clock):
    clock.forward(15 * 60 + 1)
    response = logged_in.get("/mijn-gegevens")

    assert response.status_code == 302
    assert response["Location"] == "/sessie-verlopen"
    page = logged_in.get("/sessie-verlopen")
    assert "U bent automatisch uitgelogd" in page.content.decode()
    assert logged_in.get("/mijn-gegevens")["Location"].startswith("/inloggen")
    assert LoginEvent.objects.filter(kind=LoginEventKind.SESSION_EXPIRED).count() == 1


def test_activity_keeps_the_session_alive(logged_in, clock):
    for _ in range(4):
        clock.forward(10 * 60)
        assert logged_in.get("/mijn-gegevens").status_code == 200


def test_continue_in_the_warning_extends_the_session(logged_in, clock):
    clock.forward(14 * 60)
    response = logged_in.post("/sessie-verlengen", HTTP_ACCEPT="application/json")
    assert response.json() == {"seconds_left": 15 * 60}
    clock.forward(14 * 60)
    assert logged_in.get("/mijn-gegevens").status_code == 200


def test_continue_without_javascript_returns_to_the_page(logged_in, clock):
    clock.forward(14 * 60)
    response = logged_in.post("/sessie-verlengen", {"next": "/mijn-gegevens"})
    assert response["Location"] == "/mijn-gegevens"


def test_continue_after_the_end_does_not_bring_the_session_back(logged_in, clock):
    clock.forward(16 * 60)
    response = logged_in.post("/sessie-verlengen", HTTP_ACCEPT="application/json")
    assert response.status_code == 302
    assert logged_in.get("/mijn-gegevens")["Location"].startswith("/inloggen")


# What Chromium sends with a form: */* too, but a page first.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8"


@pytest.mark.parametrize(
    ("accept", "htmx", "status", "answer"),
    [
        (BROWSER_ACCEPT, False, 302, "/sessie-verlopen"),
        ("", False, 302, "/sessie-verlopen"),
        ("application/json", False, 401, {"seconds_left": 0}),
        ("*/*", True, 401, {"seconds_left": 0}),
    ],
)
def test_continue_after_the_session_ended_elsewhere_gets_a_page_unless_json_is_asked_for(
    logged_in, clock, accept, htmx, status, answer
):
    clock.forward(16 * 60)
    logged_in.get("/mijn-gegevens")  # another tab: this ends the session
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    if htmx:
        headers["HTTP_HX_REQUEST"] = "true"

    response = logged_in.post("/sessie-verlengen", {"next": "/mijn-gegevens"}, **headers)

    assert response.status_code == status
    assert (response.json() if status == 401 else response["Location"]) == answer


def test_a_session_ends_after_its_absolute_length_even_when_active(logged_in, clock, settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 60 * 60
    for _ in range(4):
        clock.forward(14 * 60)
        assert logged_in.get("/mijn-gegevens").status_code == 200
    clock.forward(5 * 60)
    assert logged_in.get("/mijn-gegevens")["Location"] == "/sessie-verlopen"


def test_the_idle_timeout_is_configurable(logged_in, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    clock.forward(5 * 60 + 1)
    assert logged_in.get("/mijn-gegevens")["Location"] == "/sessie-verlopen"


def test_the_page_tells_the_warning_script_how_long_is_left(logged_in, clock):
    clock.forward(60)
    page = logged_in.get("/mijn-gegevens").content.decode()
    assert 'data-session-left="900"' in page
    assert 'id="session-dialog"' in page


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_a_second_page_view_within_the_minute_writes_nothing(logged_in, clock):
    clock.forward(60)
    with CaptureQueriesContext(connection) as first:
        assert logged_in.get("/mijn-gegevens").status_code == 200
    clock.forward(30)
    with CaptureQueriesContext(connection) as second:
        assert logged_in.get("/toestemmingen").status_code == 200

    assert len(_writes(first)) == 1  # a minute on: the activity is recorded
    assert _writes(second) == []


def test_activity_is_recorded_once_a_minute_and_the_idle_time_counts_from_the_record(
    logged_in, clock
):
    clock.forward(59)
    # Not recorded yet: the page counts from the login, a minute at most behind.
    assert 'data-session-left="841"' in logged_in.get("/mijn-gegevens").content.decode()
    clock.forward(1)
    assert 'data-session-left="900"' in logged_in.get("/mijn-gegevens").content.decode()
    clock.forward(59)
    logged_in.get("/mijn-gegevens")  # not recorded: the session ends 15 minutes after t=60
    clock.forward(15 * 60 - 59)
    assert logged_in.get("/mijn-gegevens")["Location"] == "/sessie-verlopen"


def test_continue_always_records_the_activity(logged_in, clock):
    clock.forward(30)
    response = logged_in.post("/sessie-verlengen", HTTP_ACCEPT="application/json")
    assert response.json() == {"seconds_left": 15 * 60}
