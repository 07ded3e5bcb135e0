"""Background work of the catalogue: the digitization indicators recomputed whole (command, nightly job)."""

from __future__ import annotations

from masar.catalogue.indicators import digitization_refresh_all
from masar.core.jobs import job_task


@job_task
def catalogue_indicators_refresh(months: int | None = None) -> dict[str, object]:
    """Recompute every ministry's digitization indicators (online shares of the last `months` months, or all)."""
    outcome = digitization_refresh_all(months=months)
    return {
        "ministries": len(outcome.ministries),
        "indicators": outcome.indicators,
        "created": outcome.created,
        "changed": outcome.changed,
        "deleted": outcome.deleted,
    }
