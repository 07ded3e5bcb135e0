"""Background jobs that survive their worker: one lease on each job row, claimed, extended and finished once.

A job row (a council pack, an export, an import) is claimed by one conditional UPDATE that takes it when it is
queued, or running with an expired lease (its worker died), and has attempts left. The worker extends the lease
each time it reports progress. Its completion is an UPDATE conditional on its claim token, so a worker whose
lease was taken over cannot overwrite the newer attempt's result: a job runs any number of times, and takes
effect at most once. The sweep (`jobs_sweep`) queues again the rows whose lease expired, and fails them after
JOB_MAX_ATTEMPTS; it also queues the rows whose queueing failed (Redis was away when the request committed).

The request id of the request that asked for a job travels with it: the row keeps it, the task receives it,
and the worker sets it while the job runs, so logs and the audit trail written by the job carry it.
"""

from __future__ import annotations

import datetime
import functools
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from redis.exceptions import RedisError

from masar.core.context import current_request_id, new_request_id, reset_request_id, set_request_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger("masar.jobs")

# A worker polls the queue every second; a job still waiting after this long has no worker to pick it up.
WORKER_GRACE = datetime.timedelta(seconds=30)


class JobStatus(models.TextChoices):
    """The statuses every job row shares (each model words them its own way; the values are the same)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobFailure(models.TextChoices):
    ERROR = "error", _("The job stopped on an error.")
    WORKER_LOST = "worker_lost", _("The worker stopped each time it was tried, so it will not be tried again.")


class LeaseLost(Exception):
    """This attempt's lease was taken over by a newer attempt: stop, and leave the result to it."""


class LeasedJob(models.Model):
    """The lease fields of a job row; a concrete model also has `status` (JobStatus values) and `finished_at`."""

    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True, editable=False)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    enqueued_at = models.DateTimeField(_("queued at"), null=True, blank=True, editable=False)
    request_id = models.CharField(max_length=64, blank=True, default=current_request_id, editable=False)
    failure = models.CharField(_("failure"), max_length=16, choices=JobFailure.choices, blank=True)

    job_task: ClassVar[str]  # dotted path of the task that runs the job, called with the row's pk
    job_owner: ClassVar[str]  # the field holding the person who asked for it (the actor of the audit entry)
    job_audited: ClassVar[bool] = False  # record its completion in the audit trail (a file of data was made)

    class Meta:
        abstract = True


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


def max_attempts() -> int:
    return int(settings.JOB_MAX_ATTEMPTS)


def job_models() -> list[type[LeasedJob]]:
    """Return every concrete job model (each app's job rows share the one lease mechanism)."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, LeasedJob)]


@dataclass(frozen=True)
class Claim:
    """One attempt's hold on a job row: every write it makes is conditional on its token."""

    model: type[LeasedJob]
    pk: int
    token: str
    attempt: int

    def _mine(self) -> models.QuerySet[Any]:
        return self.model.objects.filter(pk=self.pk, claim_token=self.token)

    def heartbeat(self, *, via: BaseDatabaseWrapper | None = None, **fields: Any) -> None:
        """Extend the lease and record progress; raise LeaseLost if a newer attempt took the job over.

        via: another connection to write through, so the page and the sweep see it while the job's own
        transaction is still open (an import on PostgreSQL).
        """
        values = {"lease_expires_at": timezone.now() + lease_duration(), **fields}
        if via is None:
            changed = self._mine().update(**values)
        else:
            changed = _update_through(via, self.model, values, pk=self.pk, token=self.token)
        if not changed:
            raise LeaseLost(f"{self.model._meta.label} {self.pk} attempt {self.attempt}")

    def finish(self, *, status: str = JobStatus.DONE, written: str = "", **fields: Any) -> None:
        """Record the job's result if this attempt still holds it; else delete its file and raise LeaseLost.

        written: the name of the file this attempt stored (under a name of its own, so it never replaced
        another attempt's file), deleted when the result is not ours to record.
        """
        values = {"status": status, "lease_expires_at": None, "claim_token": "", "finished_at": timezone.now()}
        with transaction.atomic():
            changed = self._mine().update(**values, **fields)
            if changed and self.model.job_audited:
                _audit_completion(self, status)
        if not changed:
            if written:
                default_storage.delete(written)
            raise LeaseLost(f"{self.model._meta.label} {self.pk} attempt {self.attempt}")

    def fail(self, *, error: str, failure: str = JobFailure.ERROR) -> bool:
        """Record a failure if this attempt still holds the job; return whether it was recorded."""
        values = {"status": JobStatus.FAILED, "lease_expires_at": None, "claim_token": "", "failure": failure}
        values["finished_at"] = timezone.now()
        if "error" in {field.name for field in self.model._meta.get_fields()}:
            values["error"] = error[:2000]
        return bool(self._mine().update(**values))


def _update_through(
    via: BaseDatabaseWrapper, model: type[LeasedJob], values: dict[str, Any], *, pk: int, token: str
) -> int:
    """One UPDATE of a job row conditional on its token, through a connection the ORM does not manage."""
    quote = via.ops.quote_name
    fields = [model._meta.get_field(name) for name in values]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [field.get_db_prep_save(values[field.name], via) for field in fields]
    table, pk_column = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s AND {quote('claim_token')} = %s"
    with via.cursor() as cursor:
        cursor.execute(sql, [*params, pk, token])
        return int(cursor.rowcount)


def _audit_completion(claim: Claim, status: str) -> None:
    from masar.audit.models import Action
    from masar.audit.services import audit_record

    row = claim.model.objects.select_related(claim.model.job_owner).get(pk=claim.pk)
    changes = {"status": [JobStatus.RUNNING, status], "attempt": [None, claim.attempt]}
    audit_record(actor=getattr(row, claim.model.job_owner), action=Action.UPDATE, instance=row, changes=changes)


def job_claim(model: type[LeasedJob], pk: int, *, now: datetime.datetime | None = None) -> Claim | None:
    """Take a job row for one attempt, or return None when it is done, failed, or held by a living attempt.

    One conditional UPDATE: two workers handed the same job (a duplicate delivery, a retry racing a slow
    worker) cannot both get it.
    """
    now = now or timezone.now()
    token = uuid.uuid4().hex
    takeable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    changed = model.objects.filter(takeable, pk=pk, attempts__lt=max_attempts()).update(
        status=JobStatus.RUNNING,
        claim_token=token,
        lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1,
    )
    if not changed:
        return None
    attempt = model.objects.filter(pk=pk).values_list("attempts", flat=True).get()
    return Claim(model=model, pk=pk, token=token, attempt=attempt)


# Queueing ------------------------------------------------------------------------------------------

# What a broken queue raises: Redis away (RQ backend), or the database's own errors are the request's.
QUEUE_ERRORS = (RedisError, OSError)


def task_enqueue(job: Any, *args: Any, request_id: str | None = None) -> bool:
    """Queue a task now, carrying the request id; log and return False if the queue cannot be reached.

    A job row stays queued when this fails, and the sweep queues it again when the queue is back.
    """
    try:
        job.enqueue(*args, request_id=current_request_id() if request_id is None else request_id)
    except QUEUE_ERRORS:
        logger.exception("Could not queue %s%r; it will be queued again by the sweep", job.name, args)
        return False
    return True


def task_enqueue_on_commit(job: Any, *args: Any) -> None:
    """Queue a task once the transaction commits (the row it reads is then visible to the worker)."""
    request_id = current_request_id()
    transaction.on_commit(lambda: task_enqueue(job, *args, request_id=request_id))


def job_enqueue(row: LeasedJob) -> None:
    """Queue the task of a job row once the transaction commits, and note when it was queued."""
    model, pk, request_id = type(row), row.pk, row.request_id

    def send() -> None:
        if task_enqueue(import_string(model.job_task), pk, request_id=request_id):
            model.objects.filter(pk=pk, status=JobStatus.QUEUED).update(enqueued_at=timezone.now())

    transaction.on_commit(send)


def _connections_refresh() -> None:
    """Close the connections the database dropped or that outlived CONN_MAX_AGE (Django's close_old_connections),
    leaving alone any inside a transaction (a job run by the immediate backend, inside its caller's)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


def job_task(function: Callable[..., Any]) -> Any:
    """Make a function a task that runs under the request id it was queued with.

    A task whose attempt lost its lease (LeaseLost) ends quietly: the newer attempt owns the job.
    """

    @functools.wraps(function)
    def run(*args: Any, request_id: str = "", **kwargs: Any) -> Any:
        token = set_request_id(request_id or new_request_id())
        # A worker lives for days: a connection the database dropped (a restart, a failover) is replaced before the
        # job, not discovered half-way through it; and the job's own is closed after it, as a request's is.
        _connections_refresh()
        try:
            return function(*args, **kwargs)
        except LeaseLost as lost:
            logger.warning("Job attempt superseded, its result discarded: %s", lost)
            return None
        finally:
            _connections_refresh()
            reset_request_id(token)

    return task()(run)


# The sweep -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepOutcome:
    requeued: int = 0
    failed: int = 0
    resent: int = 0


def jobs_sweep(*, now: datetime.datetime | None = None) -> SweepOutcome:
    """Queue again the jobs whose worker died (lease expired) or whose queueing failed; fail those out of attempts.

    Each change is conditional on the row being as it was read, so several sweeps at once do each job once.
    """
    now = now or timezone.now()
    requeued = failed = resent = 0
    for model in job_models():
        expired = model.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now)
        # Out of attempts: a dead worker's last one, or a queued retry after JOB_MAX_ATTEMPTS was lowered.
        spent = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
        failed += model.objects.filter(spent, attempts__gte=max_attempts()).update(
            status=JobStatus.FAILED,
            failure=JobFailure.WORKER_LOST,
            lease_expires_at=None,
            claim_token="",
            finished_at=now,
        )
        for pk, token in expired.values_list("pk", "claim_token"):
            took = model.objects.filter(pk=pk, claim_token=token, status=JobStatus.RUNNING, lease_expires_at__lt=now)
            if took.update(status=JobStatus.QUEUED, claim_token="", lease_expires_at=None, enqueued_at=None):
                requeued += 1
        # Rows never queued (the queue was away), or queued so long ago that the queue must have lost them.
        lost = Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - datetime.timedelta(seconds=_requeue_seconds()))
        for row in model.objects.filter(lost, status=JobStatus.QUEUED):
            job_enqueue(row)
            resent += 1
    return SweepOutcome(requeued=requeued, failed=failed, resent=resent + _webhooks_overdue(now))


def _requeue_seconds() -> int:
    return int(settings.JOB_REQUEUE_SECONDS)


def _webhooks_overdue(now: datetime.datetime) -> int:
    """Queue the webhooks' safety net when deliveries are overdue (their task was lost with a worker or Redis).

    A delivery's own claim (next_attempt_at moved ahead while it is sent) is its lease: overdue by a job
    lease more, its worker died or its task never reached the queue. Sending it twice is prevented by that claim.
    """
    from masar.webhooks.models import DeliveryStatus, WebhookDelivery
    from masar.webhooks.tasks import webhooks_send_due

    overdue = now - lease_duration()
    late = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__lt=overdue) | Q(next_attempt_at__isnull=True, created_at__lt=overdue)
    )
    if not late.exists():
        return 0
    return 1 if task_enqueue(webhooks_send_due) else 0


def jobs_overview(*, now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Count each kind of job by state, for metrics and alerts (read-only).

    "stalled": running with an expired lease (a dead worker the sweep has not handled: is the sweep running?);
    "waiting": queued for longer than WORKER_GRACE (no worker, or too few); "worker_lost": failed after
    JOB_MAX_ATTEMPTS attempts whose worker died.
    """
    now = now or timezone.now()
    overview = {}
    for model in job_models():
        rows = model.objects.all()
        overview[model._meta.label_lower] = {
            "queued": rows.filter(status=JobStatus.QUEUED).count(),
            "running": rows.filter(status=JobStatus.RUNNING).count(),
            "stalled": rows.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now).count(),
            "waiting": rows.filter(status=JobStatus.QUEUED, created_at__lt=now - WORKER_GRACE).count(),
            "failed": rows.filter(status=JobStatus.FAILED).count(),
            "worker_lost": rows.filter(status=JobStatus.FAILED, failure=JobFailure.WORKER_LOST).count(),
        }
    return overview


# What the person waiting is told -------------------------------------------------------------------


def job_unclaimed(*, queued: bool, requested_at: datetime.datetime, now: datetime.datetime | None = None) -> bool:
    """Tell whether a job still waits for a worker long after it was asked for.

    The worker's first step moves a job out of its queued status (a pack to "running", an export to "running"),
    so a job still queued after WORKER_GRACE has not been picked up: no worker runs, or every worker is stuck.
    """
    now = now or timezone.now()
    return queued and now - requested_at > WORKER_GRACE


@dataclass(frozen=True)
class JobState:
    """What a job's page shows while its person waits: still waiting, nobody picked it up, and what happens."""

    waiting: bool
    unclaimed: bool
    notice: str


def job_state(row: Any, *, now: datetime.datetime | None = None) -> JobState:
    """Describe a job row for its page: the attempt it is at, a worker that stopped, why it failed."""
    now = now or timezone.now()
    queued = row.status == JobStatus.QUEUED
    waiting = row.status in (JobStatus.QUEUED, JobStatus.RUNNING)
    return JobState(
        waiting=waiting,
        unclaimed=job_unclaimed(queued=queued, requested_at=row.enqueued_at or row.created_at, now=now),
        notice=_notice(row, now),
    )


def _notice(row: Any, now: datetime.datetime) -> str:
    numbers = {"attempt": row.attempts, "next": row.attempts + 1, "max": max_attempts()}
    if row.status == JobStatus.FAILED and row.failure:
        return str(JobFailure(row.failure).label)
    if row.status == JobStatus.QUEUED and row.attempts:
        return gettext("The worker preparing it stopped; it will be tried again (attempt %(next)s of %(max)s).") % (
            numbers
        )
    if row.status == JobStatus.RUNNING and row.lease_expires_at and row.lease_expires_at < now:
        return gettext("The worker preparing it seems to have stopped; it will be tried again shortly.")
    if row.status == JobStatus.RUNNING:
        return gettext("Attempt %(attempt)s of %(max)s.") % numbers
    return ""
