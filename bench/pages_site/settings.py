"""The portal's own settings, with one URLconf that adds a trivial view (bench/pages.py)."""

from bench.bare_site.settings import HERE as BARE_SITE
from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_site.urls"
# The trivial view renders the bare project's template, so only the middleware differs.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BARE_SITE / "templates"]  # noqa: F405
