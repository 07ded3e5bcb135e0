"""The delivery unit's settings: changed by the national unit only, versioned and audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from masar.audit.models import Action
from masar.audit.services import audit_record, diff, snapshot
from masar.core import policy
from masar.core.services import model_update
from masar.delivery.models import SETTINGS_ROW, DeliverySettings

if TYPE_CHECKING:
    from masar.accounts.models import User


@transaction.atomic
def delivery_settings_update(
    *, actor: User | None, data: dict[str, Any], expected_version: int | None
) -> DeliverySettings:
    """Change the delivery settings unless they changed since expected_version; every change is audited.

    Ratings follow at the next refresh (nightly, or whenever a project's data changes).
    """
    if not policy.may_edit_delivery_settings(actor):
        raise PermissionDenied
    row = DeliverySettings.objects.select_for_update().filter(pk=SETTINGS_ROW).first()
    if row is None:
        row = DeliverySettings.objects.create(pk=SETTINGS_ROW)
        audit_record(actor=actor, action=Action.CREATE, instance=row, changes=diff({}, snapshot(row)))
    return model_update(instance=row, actor=actor, data=data, expected_version=expected_version)
