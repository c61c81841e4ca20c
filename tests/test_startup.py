"""An operator's first start: every missing or invalid setting in one message, no traceback,
whichever way the portal is started; and no server that answers every page with a 500."""

import pytest

from tests.support.portal_process import (
    PRODUCTION_ENV,
    REQUIRED,
    gunicorn,
    manage,
    python,
)

ENTRY_POINTS = {
    "manage.py migrate": lambda env: manage("migrate", env=env),
    "manage.py db_worker": lambda env: manage("db_worker", env=env),
    "manage.py run_worker": lambda env: manage("run_worker", env=env),
    "gunicorn": gunicorn,
    "gunicorn without our config": lambda env: gunicorn(env, config=False),
    "config.wsgi": lambda env: python("import config.wsgi", env),
    "config.asgi": lambda env: python("import config.asgi", env),
}


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_a_bare_environment_names_every_missing_setting_at_once(entry_point):
    result = ENTRY_POINTS[entry_point]({})
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "The portal cannot start. Solve these " in result.stderr, result.stderr
    missing = [name for name in REQUIRED if f"  - {name} is not set: " not in result.stderr]
    assert missing == [], result.stderr


def test_invalid_values_are_named_with_the_missing_ones():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "PSEUDONYM_KEY"}
    env |= {
        "SMS_BACKEND": "pigeon",
        "REGISTER_BAG_BACKEND": "fake",
        "DATABASE_CONN_MAX_AGE": "soon",
        "DJANGO_HTTPS": "ja",
        "CACHE_URL": "memcache-ish://cache",
        "GUNICORN_WORKERS": "many",
    }
    result = gunicorn(env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for line in (
        "  - PSEUDONYM_KEY is not set: ",
        "  - SMS_BACKEND is 'pigeon': set one of console, memory, http.",
        "  - REGISTER_BAG_BACKEND is 'fake': set one of demo, http, demo-down.",
        "  - DATABASE_CONN_MAX_AGE is 'soon': set a whole number",
        "  - DJANGO_HTTPS is 'ja': set true or false.",
        "  - CACHE_URL cannot be read: set a URL like redis://",
        "  - GUNICORN_WORKERS is 'many': set a whole number",
    ):
        assert line in result.stderr, result.stderr


def test_check_settings_prints_the_same_list_and_starts_nothing():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k not in ("EMAIL_URL", "LDV_SUBJECT_KEY")}
    refused = manage("migrate", env=env)
    checked = manage("check_settings", env=env)
    assert checked.returncode == 1
    assert "  - EMAIL_URL is not set" in checked.stderr
    assert "  - LDV_SUBJECT_KEY is not set" in checked.stderr
    # The same problems as the refused start, and the server's own one: static files.
    listed = {line for line in checked.stderr.splitlines() if line.startswith("  - ")}
    assert {line for line in refused.stderr.splitlines() if line.startswith("  - ")} < listed
    assert "run `python manage.py collectstatic --no-input`" in checked.stderr


def test_check_deploy_lists_the_problems_too():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", "--deploy", env=env)
    assert result.returncode == 1
    assert "(portal.E001) DJANGO_SECRET_KEY is not set" in result.stderr
    assert "(portal.E002) The static files are not collected" in result.stderr


def test_check_settings_says_so_when_the_portal_can_start(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_STATIC_ROOT": str(tmp_path)}
    collected = manage("collectstatic", "--no-input", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    result = manage("check_settings", env=env)
    assert result.returncode == 0, result.stderr
    assert "The settings are complete" in result.stdout


def test_a_server_without_collected_static_files_does_not_start(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_STATIC_ROOT": str(tmp_path / "never-collected")}
    for result in (gunicorn(env), manage("runserver", "--noreload", env=env)):
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "Solve this problem" in result.stderr
        assert "The static files are not collected in " in result.stderr
        assert "run `python manage.py collectstatic --no-input`" in result.stderr


def test_commands_that_need_no_server_run_without_collected_static_files(tmp_path):
    env = PRODUCTION_ENV | {"DJANGO_STATIC_ROOT": str(tmp_path / "never-collected")}
    result = manage("shell", "-c", "print('ran')", env=env)
    assert result.returncode == 0, result.stderr
