"""Background work of open data: regenerate the published files whose public rows changed, render the catalogue."""

from masar.core.jobs import job_task
from masar.opendata.dcat import catalogue_warm
from masar.opendata.services import publications_refresh


@job_task
def opendata_refresh(publication_id: int | None = None) -> dict[str, int]:
    """Regenerate the published datasets whose public rows changed (one, or all); render the catalogue's pages."""
    counts = publications_refresh(only=publication_id)
    counts["catalogue_pages"] = catalogue_warm()
    return counts
