"""The portal's own settings, with one URLconf that adds the bare comparison view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_site.urls"
