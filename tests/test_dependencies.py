"""The lock files cover pyproject.toml: a dependency added there without `make lock` fails here,
instead of on a fresh clone, where `make` installs from the lock files alone (README)."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)", re.MULTILINE)


def pins(lock: str) -> dict[str, str]:
    text = (REPO / lock).read_text()
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", PROJECT["dependencies"]),
        (
            "requirements-dev.lock",
            PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"],
        ),
    ],
)
def test_every_dependency_is_locked_at_a_version_pyproject_allows(lock, requirements):
    locked = pins(lock)
    for line in requirements:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{name} is not in {lock}: run `make lock`"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"{lock} pins {name}=={locked[name]}, pyproject.toml asks {requirement.specifier}: "
            "run `make lock`"
        )


def test_the_image_runs_the_versions_ci_tested():
    main, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in main} == main


def test_the_lock_files_name_no_index_or_local_path():
    """pip finds the files by name and checks them by hash, from whatever index it is given."""
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (REPO / lock).read_text()
        assert "--hash=sha256:" in text
        for marker in ("--index-url", "--extra-index-url", "--find-links", "://"):
            assert marker not in text, f"{lock} names {marker}"
