"""Tests of the organisation API that run its statements the way production does.

On PostgreSQL core/sql.py runs the API's statements on the alias `prepared`, a connection of
its own that prepares them, but only while `default` is outside a transaction: inside one
they must see its rows, so they run on `default`. An ordinary test runs inside a transaction
on `default` and would never reach the prepared path. A test marked `prepared_path` runs
outside one (pytest-django's transactional test: every write commits, and the tables are
emptied after the test), with `prepared` allowed: there the read, the prepared statements and
the committing INSERT are exactly production's.

On SQLite there is no such alias and the mark is an ordinary database test.

Usage::

    pytestmark = prepared_path

    with statements_counted(django_assert_max_num_queries, READS + writes()):
        caller.zoek(...)
"""

import pytest
from django.conf import settings

from core import sql

PREPARED = sql.PREPARED in settings.DATABASES

prepared_path = pytest.mark.django_db(
    transaction=PREPARED, databases=["default", sql.PREPARED] if PREPARED else ["default"]
)


def writes() -> int:
    """Statements of one processing-record write: the INSERT alone when it commits by itself,
    with SAVEPOINT and RELEASE around it inside the test's transaction."""
    return 3 if sql.database().in_atomic_block else 1


def statements_counted(assert_max_num_queries, most: int):
    """pytest-django's query count, on the connection the API's statements run on."""
    return assert_max_num_queries(most, connection=sql.database())
