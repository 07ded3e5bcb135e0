"""Background work of integrity: the detection run, queued by the schedule or by the national unit."""

from masar.core.jobs import job_task
from masar.integrity.detection import detection_run


@job_task
def integrity_scan(codes: list[str] | None = None, statistics: bool = True) -> dict[str, object]:
    """Run the rules (all, or those codes) and the statistical detectors, and keep their findings as alerts."""
    run = detection_run(codes=codes, statistics=statistics)
    return {"run": run.pk, "counts": run.counts}
