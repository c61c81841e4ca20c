"""`in` on an integer column, given a number the column cannot hold.

Django leaves such a number out of `exact`, `gt` and the like (IntegerFieldOverflow), but not
out of `in`: there it reaches the database, which fails (SQLite: OverflowError; PostgreSQL:
integer out of range), and a form that sent "9999999999999999999999" as a choice got a 500
(ModelMultipleChoiceField checks its choices with `pk__in`; the admin has many). A number no row
can hold matches no row, so it is left out, as `in` already leaves out None. Registered at
start-up by config.apps, through Django's public `register_lookup`.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            try:
                low, high = connection.ops.integer_field_range(
                    self.lhs.output_field.get_internal_type()
                )
            except KeyError:  # not a column type with a range of its own
                low = high = None
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
