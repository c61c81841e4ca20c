"""Content Security Policy: nothing inline but the portal's own stylesheet (by its hash), nothing
from third parties."""

from csp.constants import NONE, SELF

from config.css import inline_hash, minified


def content_security_policy(*, form_targets: list[str]) -> dict:
    # form-action must name the broker: browsers apply it to the redirect after a form post,
    # and both login and logout are forms that end at the broker.
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            # The stylesheet inlined in every page's head (config/css.py), by its hash only.
            "style-src": [SELF, inline_hash(minified())],
            "img-src": [SELF, "data:"],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "frame-ancestors": [NONE],
            "form-action": [SELF, *[t for t in form_targets if t]],
        }
    }
