"""Every environment variable the portal reads is in the README's table and in .env.example,
and nothing is documented that the portal does not read.

The names come from the shared reader itself (config.env.env remembers every name it is asked
for), with the settings loaded for production and for development and config/gunicorn.py run;
a scan makes sure no module reads the environment around that reader.
"""

import json
import re
from pathlib import Path

import pytest

from tests.support.portal_process import PRODUCTION_ENV, python

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["config", "profiles", "consent", "notifications"]
# Modules that may touch os.environ: they only set DJANGO_SETTINGS_MODULE or test values.
SETS_ONLY = {"config/settings_test.py"}
NAME = re.compile(r"`([A-Z][A-Z0-9_]+)`")

READ_NAMES = """
import json, runpy
import django
django.setup()
from config.env import env
if env.bool("DJANGO_DEBUG", default=False):  # production stops there: no static files
    runpy.run_path("config/gunicorn.py")
print(json.dumps(sorted(env.names_read)))
"""


def readme_names() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Environment variables") :]
    table = table[: table.index("\n## ")]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return {name for first_cell in rows for name in NAME.findall(first_cell)}


def example_names() -> set[str]:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


@pytest.fixture(scope="module")
def names_read() -> set[str]:
    names = set()
    for env in ({"DJANGO_DEBUG": "true"}, PRODUCTION_ENV):
        result = python(READ_NAMES, env)
        assert result.returncode == 0, result.stderr
        names |= set(json.loads(result.stdout.strip().splitlines()[-1]))
    return names


def test_every_variable_read_is_in_the_readme_table(names_read):
    assert names_read - readme_names() == set()


def test_every_variable_in_the_readme_table_is_read(names_read):
    assert readme_names() - names_read == set()


def test_env_example_lists_exactly_the_readme_table():
    assert example_names() == readme_names()


def test_the_environment_is_read_only_through_the_shared_reader():
    reads = re.compile(r"os\.environ\.get|os\.environ\[|os\.getenv|environ\.Env\(")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for package in PACKAGES
        for path in sorted((REPO / package).rglob("*.py"))
        if str(path.relative_to(REPO)) not in SETS_ONLY
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reads.search(line)
        and "class PortalEnv(environ.Env)" not in line
        and not line.lstrip().startswith("env = PortalEnv(")
    ]
    assert found == []
