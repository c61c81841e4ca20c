"""`manage.py rotate_personal_data_key`: rewrite every personal value with the current key.

Rotation without downtime (README, "Keys"): put the new key first in PERSONAL_DATA_KEYS and keep
the old one after it, restart, run this command, then remove the old key. The portal reads both
meanwhile. The command works in batches, each its own short transaction, and picks only values
not yet under the current key, so stopping it (or a crash) loses nothing: run it again and it
goes on where it was. A value the portal changes meanwhile is written with the current key
anyway; the update below only replaces a value that is still the one it read.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from core import crypto
from core.fields import EncryptedTextField


def encrypted_columns():
    """(model, [fields]) for every model with encrypted fields."""
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if fields and not model._meta.proxy:
            yield model, fields


class Command(BaseCommand):
    help = (
        "Re-encrypt every personal value that is not yet under the first key of "
        "PERSONAL_DATA_KEYS, in batches; safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--new-key", action="store_true", help="Only print a fresh random key and stop."
        )

    def handle(self, *args, batch_size, new_key, **options):
        if new_key:
            self.stdout.write(crypto.new_key())
            return
        current = crypto.current_key_id()
        total = 0
        for model, fields in encrypted_columns():
            done = 0
            while rewritten := self._batch(model, fields, current, batch_size):
                done += rewritten
            total += done
            self.stdout.write(f"{model._meta.label}: {done} value(s) rewritten")
        self.stdout.write(f"Done: {total} value(s) now under key {current!r}.")

    def _batch(self, model, fields, current: str, size: int) -> int:
        quote = connection.ops.quote_name
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = [quote(f.column) for f in fields]
        # Empty values stay empty; anything else not sealed with the current key is due.
        stale = " OR ".join(f"({c} <> '' AND {c} NOT LIKE %s)" for c in columns)
        pattern = f"{crypto.PREFIX}${current}$%"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {stale} "
                f"ORDER BY {pk} LIMIT %s",
                [pattern] * len(columns) + [size],
            )
            rows = cursor.fetchall()
            for row_pk, *stored in rows:
                fresh = [
                    crypto.seal(crypto.reveal(value, place=f.place), place=f.place)
                    if value and crypto.key_id_of(value) != current
                    else value
                    for f, value in zip(fields, stored, strict=True)
                ]
                assignments = ", ".join(f"{c} = %s" for c in columns)
                unchanged = " AND ".join(f"{c} = %s" for c in columns)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {unchanged}",
                    [*fresh, row_pk, *stored],
                )
        return len(rows)
