"""Background work of the core: the jobs' sweep, for deployments that schedule tasks."""

from masar.core.jobs import job_task, jobs_sweep


@job_task
def jobs_sweep_task():
    """Queue again the jobs whose worker died or whose queueing failed; fail those out of attempts."""
    outcome = jobs_sweep()
    return {"requeued": outcome.requeued, "failed": outcome.failed, "resent": outcome.resent}
