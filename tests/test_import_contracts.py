"""The import contracts in .importlinter: the layers config -> notifications -> consent ->
profiles -> core, and no cycle inside an app. They run in `make test` too; here they are also
shown to fail on the two mistakes they exist for."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ["config", "core", "profiles", "consent", "notifications"]
LINT = "from importlinter.cli import lint_imports_command; lint_imports_command()"

pytest.importorskip("importlinter")


def _lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", LINT, "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
    )


@pytest.fixture
def copy(tmp_path):
    """The packages and the contracts, copied, so a test can break them."""
    for name in PACKAGES:
        shutil.copytree(REPO / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / ".importlinter", tmp_path / ".importlinter")
    return tmp_path


def _add_import(module: Path, line: str) -> None:
    module.write_text(f"{line}  # noqa\n" + module.read_text())


def test_the_code_keeps_the_import_contracts():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout[-3000:]


def test_an_arrow_upward_breaks_the_layers(copy):
    _add_import(copy / "profiles" / "models.py", "import notifications.models")

    result = _lint(copy)

    assert result.returncode != 0
    assert "profiles.models -> notifications.models" in result.stdout


def test_a_new_cycle_inside_an_app_breaks_the_contract(copy):
    # profiles.selectors already imports profiles.models; the other way round closes a cycle.
    _add_import(copy / "profiles" / "models.py", "import profiles.selectors")

    result = _lint(copy)

    assert result.returncode != 0
    assert "No cycles are allowed in profiles" in result.stdout


def test_core_imports_no_app(copy):
    _add_import(copy / "core" / "sql.py", "import profiles.models")

    result = _lint(copy)

    assert result.returncode != 0
    assert "core.sql -> profiles.models" in result.stdout
