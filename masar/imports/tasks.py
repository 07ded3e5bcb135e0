"""Background work of imports, run by the task worker (database or Redis backend)."""

from masar.core.jobs import job_task
from masar.imports.services import import_run


@job_task
def import_run_task(job_pk: int):
    """Check or save one large import; the job is loaded by id and its importer's rights re-applied."""
    job = import_run(job_pk)
    return {"import": job.pk, "status": job.status, "rows": job.processed_rows}
