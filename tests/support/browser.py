"""Headless Chromium from Debian, driven by Playwright, with axe-core for accessibility.

Never downloads a browser. Without Chromium a browser test skips on a developer's machine and
fails in CI (CI=true), so a missing install step cannot turn the suite green.
"""

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = REPO / "dev" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


def launch(playwright):
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def axe_violations(page, rules: list[str] | None = None) -> list[str]:
    """Run axe-core on the page as it is now; return one readable line per violation.

    By default the WCAG 2.0-2.2 A/AA rules; `rules` runs just those (e.g. a best practice such
    as "landmark-unique").
    """
    from axe_playwright_python.sync_playwright import Axe

    if not AXE_JS.exists():
        unavailable(f"axe-core missing at {AXE_JS} (npm ci in dev/axe)")
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    results = Axe.from_file(AXE_JS).run(page, options={"runOnly": run_only})
    return [
        f"{v['id']}: {v['help']} -> {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
    ]
