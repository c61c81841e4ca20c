"""Hand-written SQL for the few hot paths, with rows turned back into model instances.

Django builds the SQL of a queryset anew every time it runs. On the organisation API's read
that building cost more than the database work itself (about 1.5 ms of a 6 ms read), so the
read's lookups are written once as SQL. The column lists and the conversion of values come
from the models, so a new field or another database needs no change in those queries.

Use it only where a profile shows the need; everywhere else the ORM is clearer.
"""

from functools import cache

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


@cache
def table(model: type[models.Model]) -> str:
    return quote(model._meta.db_table)


@cache
def columns(model: type[models.Model], alias: str) -> str:
    """Every concrete column of the model, in the order Model(*values) expects them."""
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def width(model: type[models.Model]) -> int:
    return len(model._meta.concrete_fields)


@cache
def _converters(model: type[models.Model], vendor: str) -> tuple:
    # What the ORM's compiler applies per column: SQLite hands back text for dates and
    # integers for booleans, PostgreSQL mostly Python values already. `vendor` keys the cache.
    found = []
    for position, field in enumerate(model._meta.concrete_fields):
        column = field.get_col(model._meta.db_table)
        convs = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if convs:
            found.append((position, tuple(convs), column))
    return tuple(found)


def instance(model: type[models.Model], row, start: int = 0):
    """The model instance in row[start:start + width(model)], or None when its id is NULL
    (a LEFT JOIN that found nothing)."""
    values = list(row[start : start + width(model)])
    if values[_pk_position(model)] is None:
        return None
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks itself up on every attribute
    for position, convs, column in _converters(model, db.vendor):
        value = values[position]
        for convert in convs:
            value = convert(value, column, db)
        values[position] = value
    return model.from_db(db.alias, None, values)


@cache
def _pk_position(model: type[models.Model]) -> int:
    return model._meta.concrete_fields.index(model._meta.pk)


def fetch(statement: str, params) -> list[tuple]:
    with _cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def execute(statement: str, params) -> None:
    with _cursor(connections[DEFAULT_DB_ALIAS]) as cursor:
        cursor.execute(statement, params)


def _cursor(db):
    """Django's cursor; on PostgreSQL one that binds on the server, so each statement is
    prepared once per connection and PostgreSQL does not plan it again on every request.

    Django keeps psycopg from preparing, for connection poolers that cannot keep prepared
    statements (PgBouncer before 1.21); config/settings.py lets these statements be prepared
    unless DATABASE_PREPARED_STATEMENTS=false. While queries are logged (DEBUG, or a test
    counting them) Django's own cursor runs them, because Django can only show the SQL of a
    statement it bound itself.
    """
    if db.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS or db.queries_logged:
        return db.cursor()
    db.close_if_health_check_failed()
    db.ensure_connection()
    db.validate_thread_sharing()
    # Django's wrapper still turns driver errors into django.db errors.
    return db.make_cursor(psycopg.Cursor(db.connection))
