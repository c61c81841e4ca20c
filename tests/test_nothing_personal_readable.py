"""After a full use of the portal, a database dump and the log lines hold nothing personal."""

import logging
import os
import shutil
import subprocess

import pytest
from django.db import connection

from config.integrations.logging import JsonFormatter
from tests.support.full_use import run_full_use

ON_POSTGRES = connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_after_a_full_use_shows_no_personal_value(broker, empty_processing_log):
    if not ON_POSTGRES or not shutil.which("pg_dump"):
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs this on PostgreSQL, with pg_dump")
        pytest.skip("a dump of the real database: PostgreSQL (CI sets DATABASE_URL)")
    used = run_full_use()

    settings = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"],
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""},
        check=True,
    ).stdout

    assert "profiles_identity" in dump and "pd1$" in dump  # it is the right database
    # Each value with the line (table row) that shows it, so a failure says where to look.
    current_table = ""
    found = []
    for line in dump.splitlines():
        if line.startswith("COPY "):
            current_table = line.split()[1]
        found += [(value, current_table) for value in used.values if value in line]
    assert found == [], f"readable in the dump: {found}"


@pytest.mark.django_db(transaction=True)
def test_the_log_lines_of_a_full_use_name_nobody(broker, empty_processing_log, caplog):
    formatter = JsonFormatter()
    with caplog.at_level(logging.DEBUG):
        used = run_full_use()

    lines = [formatter.format(record) for record in caplog.records]
    assert len(lines) > 10  # the script did log: logins, codes, deliveries, reads
    leaks = [(value, line) for line in lines for value in used.values if value in line]
    assert leaks == []
