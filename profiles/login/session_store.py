"""Django's database sessions, read and updated with one hand-written statement each.

Every page view reads its session. Through the ORM that read cost about 0.3 ms of CPU per
request for building a two-condition SELECT (bench/pages_cpu.py), more than the statement and
the decryption together. A form that keeps an answer in the session (the first step of every
change) updates it: through the ORM that was BEGIN, UPDATE and COMMIT, three round trips; one
UPDATE on its own commits by itself. Creating, expiring and deleting sessions stay Django's
own, and so do the table and the meaning of an expired session.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from core import sql


def _column(name: str) -> str:
    return sql.quote(Session._meta.get_field(name).column)


@cache
def _update() -> str:
    return (
        f"UPDATE {sql.table(Session)} SET {_column('session_data')} = %s, "
        f"{_column('expire_date')} = %s WHERE {_column('session_key')} = %s"
    )


@cache
def _statement() -> str:
    return (
        f"SELECT {sql.columns(Session, 's')} FROM {sql.table(Session)} s "
        f"WHERE s.{_column('session_key')} = %s AND s.{_column('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            # Django's key check: a cookie with a malformed key is no session (no query either).
            self._session_key = None
            return None
        # SQLite keeps datetimes as text: the value is adapted the way the ORM adapts it.
        now = connections[DEFAULT_DB_ALIAS].ops.adapt_datetimefield_value(timezone.now())
        rows = sql.fetch(_statement(), [self.session_key, now])
        if not rows:
            self._session_key = None
            return None
        return sql.instance(Session, rows[0])

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)  # a new key: Django's INSERT
        ops = connections[DEFAULT_DB_ALIAS].ops
        data = self.encode(self._get_session(no_load=must_create))
        expires = ops.adapt_datetimefield_value(self.get_expiry_date())
        if not sql.execute(_update(), [data, expires, self.session_key]):
            # As Django's own save: the session was deleted meanwhile (logged out in another
            # tab); SessionMiddleware answers that the session was interrupted.
            raise UpdateError
