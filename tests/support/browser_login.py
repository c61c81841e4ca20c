"""Log in through the real broker in the browser (Playwright)."""

import re

LEVEL_INDEX = {"basis": 0, "midden": 1, "substantieel": 2, "hoog": 3}


def browser_login(page, *, method="digid", identity="digid-burger", level="substantieel"):
    """Start at /inloggen/<method>, pick the identity and level at the broker, return logged in."""
    page.goto(f"/inloggen/{method}")
    page.wait_for_url(re.compile(r"/interaction/"))
    page.locator(f"#{method}-identity").select_option(identity)
    levels = page.locator(f"#{method}-level option").evaluate_all("os => os.map(o => o.value)")
    index = LEVEL_INDEX[level] - (1 if method == "eidas" else 0)  # eIDAS starts at "low"
    page.locator(f"#{method}-level").select_option(levels[index])
    page.locator(f"#{method}-submit").click()
    page.wait_for_url(re.compile(r"/mijn-gegevens"))
