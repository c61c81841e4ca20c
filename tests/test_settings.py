"""Production settings: nothing secret has a default, and each missing value is named."""

import pytest

from tests.support.portal_process import PRODUCTION_ENV, manage, python


def test_production_settings_start_when_everything_is_set():
    result = manage("shell", "-c", "print('started')", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "OIDC_RP_CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET",
        "OIDC_OP_DISCOVERY_URL",
        "PSEUDONYM_KEY",
        "LDV_SUBJECT_KEY",
        "PERSONAL_DATA_KEYS",
        "BLIND_INDEX_KEY",
        "SMS_GATEWAY_URL",
        "SMS_GATEWAY_API_KEY",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
        "REGISTER_KVK_URL",
        "REGISTER_BRP_API_KEY",
        "REGISTER_BAG_URL",
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing):
    result = manage("migrate", env={k: v for k, v in PRODUCTION_ENV.items() if k != missing})
    assert result.returncode == 1
    assert f"  - {missing} is not set: set " in result.stderr
    assert "Solve this problem" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("missing", "alternative"),
    [
        ("REGISTER_KVK_URL", "or REGISTER_KVK_BACKEND=demo for built-in test data"),
        ("SMS_GATEWAY_API_KEY", "or SMS_BACKEND=console to print text messages"),
        ("EMAIL_URL", "or EMAIL_URL=consolemail:// to print mail"),
        ("OIDC_OP_DISCOVERY_URL", "or set all of OIDC_OP_AUTHORIZATION_ENDPOINT"),
    ],
)
def test_a_missing_setting_with_an_alternative_names_it(missing, alternative):
    result = manage("migrate", env={k: v for k, v in PRODUCTION_ENV.items() if k != missing})
    assert alternative in result.stderr


def test_an_alternative_value_is_enough_to_start():
    env = {k: v for k, v in PRODUCTION_ENV.items() if not k.startswith(("SMS_", "REGISTER_KVK"))}
    env |= {"SMS_BACKEND": "console", "REGISTER_KVK_BACKEND": "demo"}
    result = manage("shell", "-c", "print('started')", env=env)
    assert result.returncode == 0, result.stderr


def test_explicit_broker_endpoints_replace_the_discovery_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "OIDC_OP_DISCOVERY_URL"}
    env |= {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://broker.example/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://broker.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://broker.example/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://broker.example/jwks",
    }
    result = manage("shell", "-c", "print('started')", env=env)
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_safe():
    result = python(
        "import django; django.setup(); "
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
        PRODUCTION_ENV,
    )
    assert result.stdout.split() == ["False", "True", "True", "Lax", "True", "True", "31536000"], (
        result.stderr
    )


def test_development_starts_without_any_setting():
    result = python(
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        {"DJANGO_DEBUG": "true"},
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("PORTAL_OIN", "", "PORTAL_OIN is '': set the portal's OIN: 20 digits."),
        ("PERSONAL_DATA_KEYS", "k1:bm90LTMyLWJ5dGVz", "key 'k1' is not 32 bytes"),
        ("BLIND_INDEX_KEY", "not base64!", "is not valid base64"),
    ],
)
def test_a_malformed_identity_or_key_stops_start_up_with_what_to_set(name, value, says):
    result = manage("migrate", env=PRODUCTION_ENV | {name: value})
    assert result.returncode == 1
    assert says in result.stderr, result.stderr
