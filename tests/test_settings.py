"""Production start-up: nothing secret has a default, and the portal says what is missing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-production-secret-for-this-test-only",
    "DATABASE_URL": "postgres://portal@db.invalid/portal",
    "OIDC_RP_CLIENT_ID": "portal",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_DISCOVERY_URL": "https://broker.example/.well-known/openid-configuration",
    "PSEUDONYM_KEY": "pseudonym-key",
    "LDV_SUBJECT_KEY": "ldv-key",
    "SMS_GATEWAY_URL": "https://sms.example/v1/messages",
    "SMS_GATEWAY_API_KEY": "sms-key",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example:587",
    "DEFAULT_FROM_EMAIL": "Mijn Omgeving Zakelijk <noreply@example.nl>",
    **{
        f"REGISTER_{name}_{part}": value
        for name in ("KVK", "BRP", "BAG")
        for part, value in (("URL", f"https://{name.lower()}.example/api"), ("API_KEY", "key"))
    },
}


def start_portal(env: dict, code: str = "print('started')") -> subprocess.CompletedProcess:
    """Start Django with production settings and only the given environment (no test values)."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean |= env | {"DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_start_when_everything_is_set():
    result = start_portal(PRODUCTION_ENV)
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
    result = start_portal({k: v for k, v in PRODUCTION_ENV.items() if k != missing})
    assert result.returncode != 0
    assert f"{missing} is not set: set it in the environment" in result.stderr


def test_explicit_broker_endpoints_replace_the_discovery_url():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "OIDC_OP_DISCOVERY_URL"}
    env |= {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://broker.example/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://broker.example/token",
        "OIDC_OP_USER_ENDPOINT": "https://broker.example/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://broker.example/jwks",
    }
    result = start_portal(env)
    assert result.returncode == 0, result.stderr


def test_production_defaults_are_safe():
    result = start_portal(
        PRODUCTION_ENV,
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
    )
    assert result.stdout.split() == ["False", "True", "True", "Lax", "True", "True", "31536000"], (
        result.stderr
    )


def test_development_starts_without_any_setting():
    result = start_portal(
        {"DJANGO_DEBUG": "true"},
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr
