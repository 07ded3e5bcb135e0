"""`in` on an integer column that leaves out the values the column cannot hold.

Django already does so for `exact`, `gt`, `lt`... (IntegerFieldOverflow) but not for `in`: a
multi-select sent with a 20-digit id reached the database and failed there (a 500 on SQLite:
"Python int too large to convert to SQLite INTEGER"). Registered on IntegerField (keys included)
when the core app is ready, it serves every door at once: forms, filters, the API, the admin.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            kept = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
            if not kept:
                raise EmptyResultSet
            self.rhs = kept
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerIn)
