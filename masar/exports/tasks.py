"""Background work of exports, run by the task worker (database or Redis backend)."""

from masar.core.jobs import job_task
from masar.exports.models import Export
from masar.exports.services import export_build


@job_task
def export_build_task(export_pk: int):
    """Build one large export; the export is loaded by id and its owner's visibility re-applied."""
    export = Export.objects.get(pk=export_pk)
    export = export_build(export=export)
    return {"export": export.pk, "rows": export.rows_written}
