"""Three organisation API reads in a fresh portal process whose settings come from its
environment, on a database the calling test has committed to.

Run as `python -m tests.support.api_reads_subprocess BODY HEADERS` (both JSON); prints one JSON
line: the database aliases and how many statements PostgreSQL keeps prepared for the portal's
connections. Used to show that DATABASE_PREPARED_STATEMENTS=false switches preparing off.
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from tests.support.api import ZOEK  # noqa: E402


def main(body: dict, headers: dict) -> None:
    client = Client()
    for _ in range(3):
        answer = client.post(ZOEK, body, content_type="application/json", headers=headers)
        assert answer.status_code == 200, answer.content
    prepared = 0
    for db in connections.all(initialized_only=True):  # every connection the reads opened
        with db.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements")
            prepared += cursor.fetchone()[0]
    print(json.dumps({"aliases": sorted(settings.DATABASES), "prepared": prepared}))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]), json.loads(sys.argv[2]))
