"""Background work of open data: regenerate the published files whose public rows changed."""

from masar.core.jobs import job_task
from masar.opendata.services import publications_refresh


@job_task
def opendata_refresh(publication_id: int | None = None) -> dict[str, int]:
    """Regenerate the published datasets whose public rows changed (one, or all)."""
    return publications_refresh(only=publication_id)
