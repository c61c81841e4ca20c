"""Staff sign-in at /beheer/: two factors, lockout per account and per address, the audit
trail of every attempt, and the password rules (issue 13). Through the real login page."""

import base64
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.core.cache import cache
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from maykin_2fa.test import get_valid_totp_token

from profiles.login import session as session_module
from profiles.staff.events import UNKNOWN_ACCOUNT
from tests.support.clock import Clock
from tests.support.staff_login import code_step, password_step

pytestmark = pytest.mark.django_db

PASSWORD = "Lang-Genoeg-Wachtwoord-8123"
LOCKED = "Te vaak een verkeerd wachtwoord of een verkeerde code."
WRONG = "De gebruikersnaam of het wachtwoord klopt niet."


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    moved = Clock()
    monkeypatch.setattr(session_module, "clock", moved)
    return moved


@pytest.fixture
def staff():
    user = User.objects.create_user("medewerker", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def asks_for_the_code(response) -> bool:
    return 'name="token-otp_token"' in response.content.decode()


def staff_logins(user=None):
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("pk")
    if user is not None:
        entries = entries.filter(object_pk=str(user.pk))
    return [(e.additional_data["staff_login"], e.additional_data["step"]) for e in entries]


def test_the_password_alone_opens_no_admin_page(client, staff):
    asked = password_step(client, "medewerker", PASSWORD)

    assert asked.status_code == 200
    assert 'name="token-otp_token"' in asked.content.decode()
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/beheer/login/")


def test_password_and_code_open_the_admin_and_are_in_the_audit_trail(client, staff):
    password_step(client, "medewerker", PASSWORD)
    response = code_step(client, get_valid_totp_token(staff))

    assert response.status_code == 302
    assert response["Location"] == "/beheer/"
    assert client.get("/beheer/").status_code == 200
    assert staff_logins(staff) == [("success", "second_factor")]
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == staff
    assert entry.additional_data["address"] == "127.0.0.1"


def test_staff_without_a_second_factor_must_set_one_up_first(client):
    User.objects.create_user("nieuw", password=PASSWORD, is_staff=True)

    response = password_step(client, "nieuw", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/beheer/mfa/setup/"
    for page in ("/beheer/", "/beheer/auth/user/"):
        refused = client.get(page)
        assert refused.status_code == 302
        assert refused["Location"].startswith("/beheer/login/")


def test_a_wrong_code_is_refused_and_written_down(client, staff):
    password_step(client, "medewerker", PASSWORD)
    wrong = f"{(int(get_valid_totp_token(staff)) + 1) % 1_000_000:06d}"

    response = code_step(client, wrong)

    assert response.status_code == 200
    assert client.get("/beheer/").status_code == 302
    assert staff_logins(staff) == [("failed", "second_factor")]


def test_after_the_configured_failures_even_the_right_password_is_refused(
    client, staff, settings, clock
):
    settings.STAFF_LOGIN_MAX_FAILURES = 3
    settings.STAFF_LOCKOUT_SECONDS = 600
    for _ in range(3):
        assert WRONG in password_step(client, "medewerker", "fout-wachtwoord").content.decode()

    refused = password_step(client, "medewerker", PASSWORD)

    page = refused.content.decode()
    assert LOCKED in page
    assert "Probeer het over 10 minuten opnieuw." in page
    assert 'name="token-otp_token"' not in page
    assert staff_logins(staff) == [
        ("failed", "password"),
        ("failed", "password"),
        ("locked", "password"),
        ("locked", "password"),
    ]
    for _ in range(5):  # hammering a locked login adds nothing to the audit trail
        password_step(client, "medewerker", PASSWORD)
    assert len(staff_logins(staff)) == 4
    clock.forward(601)
    assert asks_for_the_code(password_step(client, "medewerker", PASSWORD))


def test_the_name_is_locked_as_typed_so_an_unknown_name_tells_nothing(client, settings):
    settings.STAFF_LOGIN_MAX_FAILURES = 2
    for _ in range(3):
        response = password_step(client, "bestaat-niet", "fout-wachtwoord")
    assert LOCKED in response.content.decode()
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert {e.object_repr for e in entries} == {UNKNOWN_ACCOUNT}
    assert "bestaat-niet" not in json.dumps([e.additional_data for e in entries])


def test_wrong_codes_count_too_and_a_lock_sends_the_login_back_to_the_start(
    client, staff, settings
):
    settings.STAFF_LOGIN_MAX_FAILURES = 2
    password_step(client, "medewerker", PASSWORD)
    code_step(client, "000000")
    code_step(client, "000001")

    response = code_step(client, get_valid_totp_token(staff))

    page = response.content.decode()
    assert response.status_code == 200
    assert LOCKED in page
    assert 'name="auth-username"' in page
    assert client.get("/beheer/").status_code == 302


def test_failures_from_one_address_lock_that_address_for_every_account(client, staff, settings):
    settings.STAFF_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for name in ("a-medewerker", "b-medewerker", "c-medewerker"):
        password_step(client, name, "fout-wachtwoord")

    assert LOCKED in password_step(client, "medewerker", PASSWORD).content.decode()
    # Another address (REMOTE_ADDR of a visitor not behind our proxy) is not locked.
    elsewhere = client.post(
        "/beheer/login/?next=/beheer/",
        {
            "admin_login_view-current_step": "auth",
            "auth-username": "medewerker",
            "auth-password": PASSWORD,
        },
        REMOTE_ADDR="192.0.2.10",
    )
    assert 'name="token-otp_token"' in elsewhere.content.decode()


def test_a_full_login_clears_the_accounts_failures(client, staff, settings):
    settings.STAFF_LOGIN_MAX_FAILURES = 3
    password_step(client, "medewerker", "fout-wachtwoord")
    password_step(client, "medewerker", "fout-wachtwoord")
    password_step(client, "medewerker", PASSWORD)
    code_step(client, get_valid_totp_token(staff))
    client.logout()

    password_step(client, "medewerker", "fout-wachtwoord")
    assert asks_for_the_code(password_step(client, "medewerker", PASSWORD))


def test_no_password_is_ever_in_the_audit_trail(client, staff):
    password_step(client, "medewerker", "Geheim-Fout-Wachtwoord-1")
    password_step(client, "medewerker", PASSWORD)
    code_step(client, get_valid_totp_token(staff))

    everything = json.dumps(
        list(LogEntry.objects.values("object_repr", "changes", "additional_data", "changes_text"))
    )
    assert "Geheim-Fout-Wachtwoord-1" not in everything
    assert PASSWORD not in everything


def test_someone_without_staff_status_cannot_log_in_here(client):
    User.objects.create_user("burger", password=PASSWORD)

    response = password_step(client, "burger", PASSWORD)

    assert "medewerkersaccount" in response.content.decode()
    assert staff_logins() == [("failed", "password")]


def test_a_staff_logout_is_in_the_audit_trail(client, staff):
    password_step(client, "medewerker", PASSWORD)
    code_step(client, get_valid_totp_token(staff))
    client.post("/beheer/logout/")
    assert staff_logins(staff) == [("success", "second_factor"), ("logout", "")]


def test_a_backup_code_opens_the_admin_once(client, staff):
    backup = StaticDevice.objects.create(user=staff, name="backup")
    backup.token_set.create(token="reserve1")
    password_step(client, "medewerker", PASSWORD)

    response = client.post(
        "/beheer/mfa/recovery/?next=/beheer/",
        {"admin_login_view-current_step": "backup", "backup-otp_token": "reserve1"},
    )

    assert response.status_code == 302
    assert client.get("/beheer/").status_code == 200
    assert staff_logins(staff) == [("success", "backup_code")]
    assert not backup.token_set.exists()  # used up


def test_a_new_staff_member_sets_up_an_authenticator_and_then_gets_in(client):
    """The first login: password, then the set-up wizard (an authenticator app's secret and
    its first code); only then do admin pages open."""
    user = User.objects.create_user("nieuw", password=PASSWORD, is_staff=True, is_superuser=True)
    assert password_step(client, "nieuw", PASSWORD)["Location"] == "/beheer/mfa/setup/"
    setup = "/beheer/mfa/setup/"
    prefix = "admin_setup_view"
    client.get(setup)
    client.post(setup, {f"{prefix}-current_step": "welcome"})
    client.post(setup, {f"{prefix}-current_step": "method", "method-method": "generator"})
    secret = client.session["django_two_factor-qr_secret_key"]
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"

    response = client.post(setup, {f"{prefix}-current_step": "generator", "generator-token": code})

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/beheer/").status_code == 200


def test_every_admin_page_links_to_the_staff_members_own_second_factors(client, staff):
    password_step(client, "medewerker", PASSWORD)
    code_step(client, get_valid_totp_token(staff))
    page = client.get("/beheer/").content.decode()
    assert '<a href="/beheer/mfa/">Inloggen in twee stappen</a>' in page
    assert client.get("/beheer/mfa/").status_code == 200
