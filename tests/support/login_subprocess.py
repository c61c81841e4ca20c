"""Log in once in a fresh portal process whose settings come only from its environment.

Run as `python -m tests.support.login_subprocess METHOD IDENTITY LEVEL`; prints one JSON line.
Used to show that claim names and level mappings change through environment variables alone.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from profiles.login.session import SESSION_KEY  # noqa: E402
from tests.support.portal_login import BrokerUser  # noqa: E402


def main(method: str, identity: str, level: str) -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)
    client = Client()
    response = BrokerUser().login(client, method=method, identity=identity, level=level)
    login = client.session.get(SESSION_KEY, {})
    user = response.wsgi_request.user
    identity_row = user.profile.identity if user.is_authenticated else None
    print(
        json.dumps(
            {
                "status": response.status_code,
                "level": login.get("level"),
                "identity": [identity_row.type, identity_row.value, identity_row.branch]
                if identity_row
                else None,
                "reason": "unknown_level" if "unknown_level" in response.content.decode() else "",
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
