"""The demo data of `make run`: admin accounts a newcomer can log in with at once, scoped to
their organisation; loaded twice it changes nothing; never loaded outside development."""

import sqlite3
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import get_password_validators, validate_password
from django.core.management import call_command
from django.urls import reverse

from config.demo_accounts import ACCOUNTS, DEMO_TOTP_SECRET, demo_totp_code
from config.management.commands.demo_totp import NOT_IN_PRODUCTION as DEMO_TOTP_REFUSED
from config.management.commands.load_demo_data import NOT_IN_PRODUCTION, ORGANISATIONS
from consent.models import Doelbinding, Organisation
from profiles.staff.roles import REGISTER_REPORT_HANDLERS
from tests.support.portal_process import PRODUCTION_ENV, manage
from tests.support.staff_login import code_step, password_step

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
STAFF = [account for account in ACCOUNTS if account.organisation_oin]
ROLES = [account for account in ACCOUNTS if account.group]
OPERATOR = next(account for account in ACCOUNTS if account.is_operator)
# What the later two-factor issue will ask of a password (Django's validators, length 12).
VALIDATORS = get_password_validators(
    [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 12},
        },
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
)


@pytest.fixture
def demo_data(db, settings):
    settings.DEBUG = True
    call_command("load_demo_data", verbosity=0)


def admin_login(client, account) -> None:
    """Through the login page: the published password, then the published authenticator's code."""
    asked = password_step(client, account.username, account.password)
    assert asked.status_code == 200, f"{account.username}: password refused"
    assert 'name="token-otp_token"' in asked.content.decode()
    response = code_step(client, demo_totp_code())
    assert response.status_code == 302, f"{account.username} could not log in"
    assert response["Location"] == "/beheer/"


def organisation_name(oin: str) -> str:
    return next(name for name, org_oin, *_ in ORGANISATIONS if org_oin == oin)


@pytest.mark.parametrize("account", STAFF, ids=lambda a: a.username)
def test_a_staff_account_sees_only_its_own_organisations_purposes(client, demo_data, account):
    admin_login(client, account)
    response = client.get(reverse("admin:consent_doelbinding_changelist"))
    assert response.status_code == 200
    shown = {d.organisation.oin for d in response.context["cl"].result_list}
    assert shown <= {account.organisation_oin}
    own = Doelbinding.objects.filter(organisation__oin=account.organisation_oin).count()
    assert len(response.context["cl"].result_list) == own
    # Sending notifications is part of the group's work (notifications migration 0003).
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 200


def test_the_portal_operator_sees_every_organisation(client, demo_data):
    admin_login(client, OPERATOR)
    response = client.get(reverse("admin:consent_doelbinding_changelist"))
    assert len(response.context["cl"].result_list) == Doelbinding.objects.count() > 0
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_loading_twice_changes_nothing(client, demo_data, settings):
    User = get_user_model()
    before = (User.objects.count(), Doelbinding.objects.count(), Organisation.objects.count())
    call_command("load_demo_data", verbosity=0)
    after = (User.objects.count(), Doelbinding.objects.count(), Organisation.objects.count())
    assert after == before
    for account in STAFF:
        user = User.objects.get(username=account.username)
        assert list(user.organisations.values_list("oin", flat=True)) == [account.organisation_oin]
        assert user.groups.count() == 1
    admin_login(client, STAFF[0])


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.username)
def test_demo_passwords_would_pass_the_coming_password_rules(account):
    user = get_user_model()(username=account.username)
    validate_password(account.password, user, password_validators=VALIDATORS)


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda a: a.username)
def test_the_readme_lists_each_account_with_its_password_and_organisation(account):
    row = next((line for line in README.splitlines() if f"`{account.username}`" in line), "")
    assert f"`{account.password}`" in row
    if account.is_operator:
        assert "every organisation" in row
    elif account.group:
        assert account.group in row
    else:
        assert organisation_name(account.organisation_oin) in row


def test_the_readme_gives_the_demo_authenticator_secret():
    assert f"`{DEMO_TOTP_SECRET}`" in README


def test_outside_development_it_refuses_and_writes_nothing(tmp_path):
    database = tmp_path / "production.sqlite3"
    env = PRODUCTION_ENV | {"DATABASE_URL": f"sqlite:///{database}"}
    migrated = manage("migrate", "--no-input", "-v0", env=env, timeout=300)
    assert migrated.returncode == 0, migrated.stderr

    result = manage("load_demo_data", env=env)

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"CommandError: {NOT_IN_PRODUCTION}"
    assert NOT_IN_PRODUCTION.endswith(".") and ". " not in NOT_IN_PRODUCTION  # one sentence
    with sqlite3.connect(database) as connection:
        users = connection.execute("SELECT count(*) FROM auth_user").fetchone()[0]
        organisations = connection.execute("SELECT count(*) FROM consent_organisation").fetchone()
    assert (users, organisations[0]) == (0, 0)


@pytest.mark.parametrize("account", ROLES, ids=lambda a: a.username)
def test_the_operators_role_accounts_have_their_group_and_no_organisation(demo_data, account):
    user = get_user_model().objects.get(username=account.username)
    assert list(user.groups.values_list("name", flat=True)) == [account.group]
    assert (user.is_staff, user.is_superuser, user.organisations.exists()) == (True, False, False)


def test_the_report_handler_sees_register_reports_and_municipal_staff_do_not(client, demo_data):
    handler = next(a for a in ROLES if a.group == REGISTER_REPORT_HANDLERS)
    admin_login(client, handler)
    assert client.get(reverse("admin:profiles_terugmelding_changelist")).status_code == 200
    client.logout()
    admin_login(client, STAFF[0])
    assert client.get(reverse("admin:profiles_terugmelding_changelist")).status_code == 403


def test_every_demo_account_needs_the_second_factor(client, demo_data):
    """The password alone opens no admin page: the login asks for the code next."""
    password_step(client, OPERATOR.username, OPERATOR.password)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_demo_totp_refuses_outside_development():
    result = manage("demo_totp", env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert result.stderr.strip() == f"CommandError: {DEMO_TOTP_REFUSED}"


def test_demo_totp_prints_the_code_the_login_takes(client, demo_data, capsys):
    call_command("demo_totp")
    code = capsys.readouterr().out.strip()
    password_step(client, STAFF[0].username, STAFF[0].password)
    assert code_step(client, code).status_code == 302
