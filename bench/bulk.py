"""Bulk writes for the benchmarks' generators: rows straight into their tables, fast, and said once in the trail."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.utils import timezone

CHUNK = 50_000


class Writer:
    """Insert rows given as tuples of named columns: COPY on PostgreSQL, executemany elsewhere.

    The model's other columns get their defaults (now for automatic dates), so a row names only what varies.
    """

    def __init__(self, counts: Counter):
        self.now = timezone.now()
        self.counts = counts

    def _default(self, f: models.Field):
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            return self.now
        return f.get_default()

    def write(self, model: type[models.Model], names: Sequence[str], rows: Iterable[tuple]) -> int:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in names and not f.primary_key]
        tail = tuple(f.get_db_prep_save(self._default(f), connection) for f in rest)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in [*(fields[n] for n in names), *rest])
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
        else:
            typed = (models.DateField, models.DecimalField, models.JSONField)  # DateTimeField is a DateField
            prep = [(i, fields[n]) for i, n in enumerate(names) if isinstance(fields[n], typed)]
            marks = ", ".join(["%s"] * (len(names) + len(rest)))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            with connection.cursor() as cursor:
                rows = iter(rows)
                while batch := list(itertools.islice(rows, CHUNK)):
                    for n, row in enumerate(batch):
                        values = list(row)
                        for i, f in prep:
                            values[i] = f.get_db_prep_save(values[i], connection)
                        batch[n] = (*values, *tail)
                    cursor.executemany(sql, batch)
                    count += len(batch)
        self.counts[model._meta.label] += count
        return count


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def sequences_follow(models_: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL's sequences past the keys the generator gave."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {table}",  # noqa: S608
                [table],
            )


def audit_bulk(counts: Counter, source: str, seed: int) -> None:
    """Say in the trail what was created in bulk: one entry per model (this also moves the data version)."""
    from django.apps import apps

    from masar.audit.models import Action
    from masar.audit.services import audit_record

    for label, count in counts.items():
        model = apps.get_model(label)
        changes = {"count": count, "seed": seed, "source": source}
        audit_record(
            actor=None, action=Action.BULK_CREATE, instance=None, model=model, object_id=source, changes=changes
        )
