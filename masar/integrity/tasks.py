"""Background work of integrity: the detection run, queued by the schedule or by the national unit."""

import logging

from masar.core.jobs import job_task
from masar.integrity.detection import detection_run


@job_task
def integrity_scan(codes: list[str] | None = None, statistics: bool = True) -> dict[str, object]:
    """Run the rules (all, or those codes) and the statistical detectors, and keep their findings as alerts."""
    run = detection_run(codes=codes, statistics=statistics)
    return {"run": run.pk, "counts": run.counts}


def scan_enqueue() -> None:
    """Ask the worker for a detection run (the job sweep does every INTEGRITY_SCAN_SECONDS, the nightly job too)."""
    try:
        integrity_scan.enqueue()
    except Exception:  # noqa: BLE001 - the next round of the schedule queues it again
        logging.getLogger("masar.integrity").warning("integrity scan could not be queued", exc_info=True)
