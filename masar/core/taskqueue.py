"""What the serving side reads about the background queue: whether it is reachable and how many jobs wait.

The queue is the default task backend: a table for the database backend (`db_worker`), Redis for RQ
(`rqworker`). Readiness (/readyz) pings it; the metrics (/metrics) count its jobs at each scrape.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import router, transaction
from django.db.models import Count
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django_tasks.backends.base import BaseTaskBackend


class QueueKind(enum.StrEnum):
    DATABASE = "database"
    REDIS = "redis"
    NONE = "none"  # the immediate backend (tests, a shell): jobs run in the request, nothing to reach


@dataclass(frozen=True)
class QueueCounts:
    queue: str
    waiting: int  # ready to run now, not yet picked up by a worker
    running: int
    failed: int  # kept results of jobs that raised


def _backend() -> BaseTaskBackend:
    return task_backends[DEFAULT_TASK_BACKEND_ALIAS]


def queue_kind(backend: BaseTaskBackend | None = None) -> QueueKind:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_rq.backend import RQBackend

    backend = backend or _backend()
    if isinstance(backend, DatabaseBackend):
        return QueueKind.DATABASE
    if isinstance(backend, RQBackend):
        return QueueKind.REDIS
    return QueueKind.NONE


def queue_ping() -> QueueKind:
    """Reach the queue once, raising the backend's own error when it cannot be reached."""
    backend = _backend()
    kind = queue_kind(backend)
    if kind == QueueKind.DATABASE:
        from django_tasks_db.models import DBTaskResult

        # Where jobs are enqueued (the primary, whatever the router does with reads); in a savepoint, so a missing
        # table does not break the transaction a caller is in.
        alias = router.db_for_write(DBTaskResult)
        with transaction.atomic(using=alias):
            DBTaskResult.objects.using(alias).filter(status=TaskResultStatus.READY).exists()
    elif kind == QueueKind.REDIS:
        import django_rq

        for name in sorted(backend.queues):
            django_rq.get_queue(name).connection.ping()
    return kind


def queue_counts() -> list[QueueCounts]:
    """Count the jobs waiting, running and failed in each queue of the default backend."""
    backend = _backend()
    kind = queue_kind(backend)
    if kind == QueueKind.DATABASE:
        from django_tasks_db.models import DBTaskResult

        # A savepoint here too: a failed count leaves the caller's transaction usable.
        alias = router.db_for_read(DBTaskResult)
        with transaction.atomic(using=alias):
            return _database_counts(backend, alias)
    if kind == QueueKind.REDIS:
        return _redis_counts(backend)
    return []


def _database_counts(backend: BaseTaskBackend, alias: str) -> list[QueueCounts]:
    from django_tasks_db.models import DBTaskResult

    results = DBTaskResult.objects.using(alias).filter(backend_name=backend.alias)
    waiting = dict(results.ready().values_list("queue_name").annotate(n=Count("id")).order_by())
    others: dict[tuple[str, str], int] = {
        (queue, status): n
        for queue, status, n in results.filter(status__in=[TaskResultStatus.RUNNING, TaskResultStatus.FAILED])
        .values_list("queue_name", "status")
        .annotate(n=Count("id"))
        .order_by()
    }
    names = sorted(set(backend.queues) | set(waiting) | {queue for queue, _status in others})
    return [
        QueueCounts(
            queue=name,
            waiting=waiting.get(name, 0),
            running=others.get((name, TaskResultStatus.RUNNING), 0),
            failed=others.get((name, TaskResultStatus.FAILED), 0),
        )
        for name in names
    ]


def _redis_counts(backend: BaseTaskBackend) -> list[QueueCounts]:
    import django_rq

    counts = []
    for name in sorted(backend.queues):
        queue = django_rq.get_queue(name)
        counts.append(
            QueueCounts(
                queue=name,
                waiting=queue.count,
                running=queue.started_job_registry.count,
                failed=queue.failed_job_registry.count,
            )
        )
    return counts
