"""Delivery records for tests."""

import datetime
from decimal import Decimal

from masar.core.services import model_update
from masar.delivery.models import ProjectHealth
from masar.delivery.services import updates


def make_health(project, computed, *, declared="", flagged=False, computed_on="2026-01-01", **extra):
    """Store a project's rating as the nightly refresh would."""
    return ProjectHealth.objects.create(
        project=project, computed=computed, declared=declared, flagged=flagged, computed_on=computed_on, **extra
    )


def make_update(project, period, spend_to_date, *, by, reviewer, percent=50, classification=None, today=None):
    """Report, submit and approve a project's monthly update; publish it when classification says so (the national
    unit's choice: updates are restricted by default)."""
    today = today or datetime.date(2026, 5, 20)
    update = updates.update_save(
        project=project,
        actor=by,
        period=period,
        percent_complete=Decimal(percent),
        spend_to_date=Decimal(spend_to_date),
        declared_confidence="green",
        narrative="ملاحظة داخلية",
        today=today,
        figures_confirmed=True,
    )
    updates.update_submit(update=update, actor=by, today=today)
    update = updates.update_approve(update=update, actor=reviewer, today=today)
    if classification is not None:
        update = model_update(
            instance=update, actor=None, data={"classification": classification}, expected_version=update.version
        )
    return update
