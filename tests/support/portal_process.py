"""Run the portal's entry points (manage.py, gunicorn, config.wsgi) as real processes with only
the environment a test gives them: no test settings, no values from the developer's shell."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

# A complete production environment (no DEBUG); nothing in it is reached at start-up.
PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-production-secret-for-this-test-only-0123456789",
    "DATABASE_URL": "postgres://portal@db.invalid/portal",
    "OIDC_RP_CLIENT_ID": "portal",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_DISCOVERY_URL": "https://broker.example/.well-known/openid-configuration",
    "PSEUDONYM_KEY": "pseudonym-key",
    "LDV_SUBJECT_KEY": "ldv-key",
    "PERSONAL_DATA_KEYS": "p1:cHJvZHVjdGlvbi10ZXN0LXBlcnNvbmFsLWRhdGEta2U=",
    "BLIND_INDEX_KEY": "cHJvZHVjdGlvbi10ZXN0LWJsaW5kLWluZGV4LWtleSE=",
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

# What production must set, by the README's table: a bare environment misses each of them.
REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "EMAIL_URL",
    "DEFAULT_FROM_EMAIL",
    "OIDC_RP_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET",
    "OIDC_OP_DISCOVERY_URL",
    "PSEUDONYM_KEY",
    "LDV_SUBJECT_KEY",
    "PERSONAL_DATA_KEYS",
    "BLIND_INDEX_KEY",
    "REGISTER_KVK_URL",
    "REGISTER_KVK_API_KEY",
    "REGISTER_BRP_URL",
    "REGISTER_BRP_API_KEY",
    "REGISTER_BAG_URL",
    "REGISTER_BAG_API_KEY",
    "SMS_GATEWAY_URL",
    "SMS_GATEWAY_API_KEY",
)


# For code that imports a settings module itself: stop as the entry points do (config/startup).
EXIT_ON_NOTED_PROBLEMS = (
    "from config.env import env; import sys; "
    "env.problems and sys.exit('\\n'.join(str(p) for p in env.problems.values()))"
)


def bare_env(env: dict) -> dict:
    """Only PATH, HOME and LANG from this process, plus `env`."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return clean | env


def run(args: list[str], env: dict, *, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=REPO, env=bare_env(env), capture_output=True, text=True, timeout=timeout
    )


def manage(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env, timeout=timeout)


def gunicorn(env: dict, *, config: bool = True) -> subprocess.CompletedProcess:
    """gunicorn as production starts it (or bare, without config/gunicorn.py); only for starts
    that are expected to stop by themselves."""
    options = ["-c", "config/gunicorn.py"] if config else ["--bind", "127.0.0.1:0"]
    return run([str(BIN / "gunicorn"), *options, "config.wsgi"], env)


def python(code: str, env: dict) -> subprocess.CompletedProcess:
    return run([sys.executable, "-c", code], env | {"DJANGO_SETTINGS_MODULE": "config.settings"})
