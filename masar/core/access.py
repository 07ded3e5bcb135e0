"""Record visibility as QuerySet methods: each model declares where its classification, owner and
manager live; the rules themselves are in `masar.core.policy`."""

from django.db import models

from masar.core import policy


class ClassifiedQuerySet(models.QuerySet):
    """Subclasses name the lookups to the record's classification, owner and manager."""

    classification_lookup = "classification"
    owner_lookup = "owner"
    manager_lookup: str | None = None  # a user who may read and change the record, e.g. a project's manager
    coordinator_writes = True  # whether sector coordinators change records owned in their subtree

    @classmethod
    def lookups(cls) -> policy.Lookups:
        return policy.Lookups(
            classification=cls.classification_lookup,
            owner=cls.owner_lookup,
            manager=cls.manager_lookup,
            coordinator_writes=cls.coordinator_writes,
        )

    def visible_to(self, reader):
        """Return the records this reader (a Reader or a user) may read."""
        return self.filter(policy.visible_q(reader, self.lookups()))

    def writable_by(self, reader):
        """Return the records this reader may change."""
        return self.filter(policy.writable_q(reader, self.lookups()))


# Transitional names, removed once every caller asks masar.core.policy directly.
can_write = policy.may_write
get_for_user = policy.get_for_reader
