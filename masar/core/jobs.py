"""What a page can tell about a background job (a council pack, a large export) while its person waits."""

import datetime

from django.utils import timezone

# A worker polls the queue every second; a job still waiting after this long has no worker to pick it up.
WORKER_GRACE = datetime.timedelta(seconds=30)


def job_unclaimed(*, queued: bool, requested_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Tell whether a job still waits for a worker long after it was asked for.

    The worker's first step moves a job out of its queued status (a pack to "running", an export to "running"),
    so a job still queued after WORKER_GRACE has not been picked up: no worker runs, or every worker is stuck.
    """
    now = now or timezone.now()
    return queued and now - requested_at > WORKER_GRACE
