"""The database router: reads to a streaming replica where masar.core.replicas allows it, writes to the primary.

With no DATABASE_REPLICA_URLS it answers None everywhere, and Django uses "default" as if it were not installed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

from masar.core.replicas import note_write, read_alias


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return read_alias(model)

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        note_write(model)
        return DEFAULT_DB_ALIAS if settings.REPLICA_DATABASES else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        """Rows read on a replica are the primary's rows: they may be related to each other."""
        ours = {DEFAULT_DB_ALIAS, *settings.REPLICA_DATABASES}
        return True if obj1._state.db in ours and obj2._state.db in ours else None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        """Migrate the primary only: replicas receive its schema by streaming (they are read-only)."""
        if db in settings.REPLICA_DATABASES:
            return False
        return None
