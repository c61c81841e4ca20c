"""Hand-written SQL for the few hot paths, with rows turned back into model instances.

Django builds the SQL of a queryset anew every time it runs. On the organisation API's read
that building cost more than the database work itself (about 1.5 ms of a 6 ms read), so the
read's lookups are written once as SQL; so are the reads of every page (the session, the
request's user and the hot pages' rows), where the ORM's building cost 1.5-4 ms of CPU per
page (bench/pages_cpu.py). The column lists and the conversion of values come
from the models, so a new field or another database needs no change in those queries. On
PostgreSQL they are also prepared, on a connection of their own (database() below): a page's
statement then costs PostgreSQL about 50 µs of CPU instead of about 190 µs to parse and plan.

Use it only where a profile shows the need; everywhere else the ORM is clearer.
"""

from functools import cache

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

PREPARED = "prepared"  # the alias of config/integrations/database.py, when there is one


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
    # Whichever connection read the row: the instance belongs to `default` (models are read and
    # written there; the router keeps them there), and both aliases convert alike.
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
    with database().cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def execute(statement: str, params) -> int:
    """Run one statement; the number of rows it changed. Outside a transaction it commits by
    itself before this returns."""
    with database().cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def database():
    """The connection the statements run on: Django's public cursor on one alias or the other.

    On PostgreSQL that is the alias `prepared` (config/integrations/database.py): a connection
    of its own, always in autocommit, that binds parameters on the server, so each statement
    is prepared once per connection and PostgreSQL does not plan it again on every request.
    It is `default` where that alias does not exist (SQLite; DATABASE_PREPARED_STATEMENTS=false)
    and whenever `default` is inside a transaction: a statement there must see the rows that
    transaction wrote and a write must commit or roll back with it, which a second connection
    cannot do (it would not see those rows, and a record that refers to one would fail its
    foreign key). The organisation API's read and the pages' reads run outside any transaction,
    so they are prepared; so are the tests that run outside one (tests/support/prepared.py).
    """
    default = connections[DEFAULT_DB_ALIAS]
    if default.in_atomic_block or PREPARED not in settings.DATABASES:
        return default
    return connections[PREPARED]
