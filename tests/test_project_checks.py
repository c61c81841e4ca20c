"""Checks that keep the project honest: migrations, translations, lint."""

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[1]
SOURCES = [
    "manage.py",
    "config",
    "core",
    "profiles",
    "consent",
    "notifications",
    "templates",
    "locale",
    "static",  # the settings read the minified stylesheet for its CSP hash (config/css.py)
]


@pytest.mark.django_db
def test_every_model_change_has_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:  # makemigrations --check exits 1 when a migration is missing
        pytest.fail(f"missing migration (exit {exc.code}):\n{out.getvalue()}")


@pytest.mark.skipif(not shutil.which("msgattrib"), reason="GNU gettext is not installed")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_message_is_left_untranslated(tmp_path, language):
    # Extract the strings from a copy of the sources, so the check sees what the code says now
    # and never rewrites the committed catalogues.
    for name in SOURCES:
        source = REPO / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy(source, target)
    env = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    catalogue = tmp_path / "locale" / language / "LC_MESSAGES" / "django.po"
    problems = []
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(catalogue)],
            capture_output=True,
            text=True,
            check=True,
        )
        entries = [
            e for e in result.stdout.split("\n\n") if "msgid" in e and 'msgid ""\nmsgstr' not in e
        ]
        problems += entries
    assert not problems, f"{len(problems)} {language} messages need a translation:\n" + "\n\n".join(
        problems[:20]
    )


@pytest.mark.skipif(not (REPO / ".venv" / "bin" / "ruff").exists(), reason="ruff not installed")
def test_ruff_is_clean():
    result = subprocess.run(
        [str(REPO / ".venv" / "bin" / "ruff"), "check", "--quiet", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_static_files_build_with_hashed_compressed_names(tmp_path):
    # What the Docker build does: a missing file referenced from CSS would stop it there.
    env = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    code = (
        "import django, sys; from django.conf import settings; "
        f"settings.STATIC_ROOT = {str(tmp_path)!r}; django.setup(); "
        "from django.core.management import call_command; "
        "call_command('collectstatic', interactive=False, verbosity=0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/portal.css"]
    assert hashed != "css/portal.css"
    assert (tmp_path / f"{hashed}.gz").exists()
