"""Django's database sessions, read with one hand-written statement.

Every page view reads its session. Through the ORM that read cost about 0.3 ms of CPU per
request for building a two-condition SELECT (bench/pages_cpu.py), more than the statement and
the decryption together. The statement is written once here; writing, expiring and deleting
sessions stay Django's own, and so do the table and the meaning of an expired session.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from core import sql


@cache
def _statement() -> str:
    key, expires = (
        sql.quote(Session._meta.get_field(name).column) for name in ("session_key", "expire_date")
    )
    return (
        f"SELECT {sql.columns(Session, 's')} FROM {sql.table(Session)} s "
        f"WHERE s.{key} = %s AND s.{expires} > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            # Django's key check: a cookie with a malformed key is no session (no query either).
            self._session_key = None
            return None
        # SQLite keeps datetimes as text: the value is adapted the way the ORM adapts it.
        now = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(timezone.now())
        rows = sql.fetch(_statement(), [self.session_key, now], prepared=False)
        if not rows:
            self._session_key = None
            return None
        return sql.instance(Session, rows[0])
