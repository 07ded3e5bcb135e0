"""Reconciliation: find the records changed without passing through the services, hence not in the trail.

Every service edit of a versioned record raises its version and records that version in the trail. A write
that bypasses them (`queryset.update()`, a stray `save()` that bumps the version, raw SQL) leaves a row whose
version is ahead of the trail's latest for it, or a row the trail has never seen. Bulk writes (imports, the
synthetic portfolio) record one entry for many rows: a row stamped shortly before such an entry of its model
is accounted for by it (any bulk entry written up to AUDIT_RECONCILE_BULK_WINDOW seconds after the row's
`updated_at`, since one import writes several models under one entry). A bypass followed within that window by
a bulk write therefore goes unseen, and so does one followed by a service edit of the same record (the trail
then catches up with the version): the check runs nightly to keep that window short.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import TYPE_CHECKING

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast

from masar.audit.models import Action, AuditEntry
from masar.core.models import Versioned

if TYPE_CHECKING:
    from typing import Any

    from django.db.models import Model

logger = logging.getLogger("masar.audit")


@dataclasses.dataclass(frozen=True)
class Drift:
    """A record whose version the trail does not account for."""

    model_label: str
    object_id: Any
    version: int
    trail_version: int | None

    def __str__(self) -> str:
        if self.trail_version is None:
            return f"{self.model_label} #{self.object_id}: version {self.version}, never recorded in the trail"
        return (
            f"{self.model_label} #{self.object_id}: version {self.version} but the trail's latest is "
            f"{self.trail_version} (changed outside the services)"
        )


def versioned_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Versioned) and not model._meta.proxy and not model._meta.abstract
    ]


def _drifted(model: type[Model], limit: int) -> list[Drift]:
    """Return the model's rows the trail does not account for, in one query."""
    content_type = ContentType.objects.get_for_model(model)
    entries = AuditEntry.objects.filter(content_type=content_type).order_by()
    trail = (
        entries.filter(object_id=Cast(OuterRef("pk"), CharField()))
        .values("content_type")
        .annotate(latest=Max("version"))
        .values("latest")
    )
    window = datetime.timedelta(seconds=getattr(settings, "AUDIT_RECONCILE_BULK_WINDOW", 3600))
    # Any bulk entry: one import writes several models (projects and their milestones) under one entry.
    bulk = AuditEntry.objects.filter(
        action=Action.BULK_CREATE,
        created_at__gte=OuterRef("updated_at"),
        created_at__lte=OuterRef("updated_at") + window,
    )
    rows = (
        model._base_manager.annotate(trail_version=Subquery(trail))
        .filter(Q(trail_version__isnull=True) | Q(version__gt=F("trail_version")))
        .exclude(Exists(bulk))
        .order_by("pk")
        .values_list("pk", "version", "trail_version")[:limit]
    )
    label = model._meta.label_lower
    return [Drift(label, pk, version, trail_version) for pk, version, trail_version in rows]


def audit_reconcile(*, limit_per_model: int = 1000) -> list[Drift]:
    """Compare every versioned record with the trail; return those it does not account for (first ones per model)."""
    drifts: list[Drift] = []
    for model in versioned_models():
        drifts += _drifted(model, limit_per_model)
    return drifts


def audit_drift_log() -> int:
    """Reconcile and log each record found (what the nightly job does); return how many there were."""
    drifts = audit_reconcile()
    for drift in drifts:
        logger.warning("audit reconcile: %s", drift)
    return len(drifts)
