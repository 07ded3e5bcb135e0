"""Record visibility as QuerySet methods: each model declares where its classification, owner and
manager live; the rules themselves are in `masar.core.policy`."""

from typing import Any

from django.db import models

from masar.core import policy


class ClassifiedQuerySet(models.QuerySet):
    """Subclasses name the lookups to the record's classification, owner and manager."""

    classification_lookup = "classification"
    owner_lookup = "owner"
    manager_lookup: str | None = None  # a user who may read and change the record, e.g. a project's manager
    coordinator_writes = True  # whether sector coordinators change records owned in their subtree
    coordinators_read_drafts = False  # whether the owner's line coordinators read records not yet published
    published: tuple[str, Any] | None = None  # e.g. ("status", "approved"): read by outsiders once there
    reveals: tuple[str, ...] = ()  # relations to the records this one shows (its parents and inputs)

    def lookups(self, depth: int = 3) -> policy.Lookups:
        """Return where this model keeps what the policy reads, with the records it reveals."""
        reveals = []
        if depth > 0:
            for relation in self.reveals:
                related = self.model._meta.get_field(relation).related_model
                reveals.append((relation, related._default_manager.get_queryset().lookups(depth - 1)))
        return policy.Lookups(
            classification=self.classification_lookup,
            owner=self.owner_lookup,
            manager=self.manager_lookup,
            coordinator_writes=self.coordinator_writes,
            coordinators_read_drafts=self.coordinators_read_drafts,
            published=self.published,
            reveals=tuple(reveals),
            record_type=getattr(self.model, "record_type", ""),
            model=self.model,
        )

    def visible_to(self, reader):
        """Return the records this reader (a Reader or a user) may read."""
        return self.filter(policy.visible_q(reader, self.lookups()))

    def writable_by(self, reader):
        """Return the records this reader may change."""
        return self.filter(policy.writable_q(reader, self.lookups()))
