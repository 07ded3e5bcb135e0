"""Bulk imports of projects with milestones, progress updates, obstacles and indicator values.

Entry points (pages, the worker and the REST API call these):

- ``import_start(*, actor, kind, upload, dry_run, language=None) -> ImportJob``: record the file
  (an uploaded file: anything with ``.read()`` and ``.name``) and check or save it now, or on
  the worker when it has more than ``settings.IMPORT_WORKER_ROWS`` rows.
- ``import_records(*, actor, kind, records, dry_run, language=None) -> ImportJob``: the same for
  a JSON body already parsed (a list of objects), as the API receives it.
- ``import_run(job_id) -> ImportJob``: do the work of a recorded job (the worker's task calls it).

A dry run checks every row through the same services as a commit, inside a transaction that is
then rolled back: it changes nothing and reports every problem. A commit is atomic: one refused
row and nothing is written. Each row names its sending system and that system's id of the record
(``source_system`` + ``external_id``, kept as ExternalReference): the same file sent twice updates
the same records, and rows that change nothing are counted as unchanged. Problems are stored on the
job as reason keys with their parameters ({"row", "column", "code", "params"}) and worded in the
reader's language when shown (masar.imports.reasons.problem_text).

On PostgreSQL, indicator values and projects with milestones in files of more than
``settings.IMPORT_BULK_ROWS`` rows go through COPY into a staging table with set-based checks and
writes (masar.imports.bulk, masar.imports.bulk_projects).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, connections, transaction
from django.utils import timezone, translation

from masar.core.errors import DomainError
from masar.core.jobs import Claim, LeaseLost, job_claim, job_enqueue
from masar.imports.columns import columns_of
from masar.imports.handlers import CREATED, UNCHANGED, UPDATED, RowRefused
from masar.imports.handlers.delivery import ObstacleRows, ProgressUpdateRows
from masar.imports.handlers.measurements import MeasurementRows
from masar.imports.handlers.projects import ProjectRows
from masar.imports.models import ImportJob, ImportKind, ImportStatus
from masar.imports.parsers import FileRefused, Source, guess_format, header_problems, open_source
from masar.imports.reasons import problem, rule_problems
from masar.imports.values import read_row

if TYPE_CHECKING:
    from masar.accounts.models import User

HANDLERS = {
    ImportKind.PROJECTS: ProjectRows,
    ImportKind.PROGRESS_UPDATES: ProgressUpdateRows,
    ImportKind.OBSTACLES: ObstacleRows,
    ImportKind.MEASUREMENTS: MeasurementRows,
}
PROGRESS_EVERY = 200  # rows between two progress reports
MAX_PROBLEMS = 5000  # a file wrong on every row reports this many, then stops listing


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def import_start(*, actor: User, kind: str, upload: Any, dry_run: bool, language: str | None = None) -> ImportJob:
    """Record an import of a file for actor; check or save it now, or queue it for the worker if it is large."""
    kind = ImportKind(kind)
    content = upload.read()
    filename = (getattr(upload, "name", "") or "import")[-200:]
    job = ImportJob(
        user=actor,
        kind=kind,
        filename=filename,
        dry_run=dry_run,
        language=(language or translation.get_language() or "ar")[:8],
    )
    limit = _setting("IMPORT_MAX_MB", 256)
    try:
        if len(content) > limit * 1024 * 1024:
            raise FileRefused([problem(0, "", "too_large", limit=limit)])
        job.format = guess_format(filename, content)
        source = open_source(content, job.format)
        refused = source.problems + header_problems(kind, source.header)
        if refused:
            raise FileRefused(refused)
        job.total_rows = sum(1 for _row in source.rows)
    except FileRefused as refusal:
        job.format = job.format or "csv"
        job.status, job.errors, job.finished_at = ImportStatus.REFUSED, refusal.problems, timezone.now()
        job.save()
        return job
    with transaction.atomic():
        job.save()
        job.file.save(f"{job.pk}-{kind}.{job.format}", ContentFile(content), save=True)
        if job.total_rows > _setting("IMPORT_WORKER_ROWS", 2000):
            job_enqueue(job)
            return job
    return import_run(job.pk)


def import_records(
    *, actor: User, kind: str, records: list[Any], dry_run: bool, language: str | None = None
) -> ImportJob:
    """Import records already parsed from a JSON body (a list of objects), as `import_start` imports a file."""
    body = json.dumps(records, ensure_ascii=False, default=str).encode("utf-8")
    return import_start(
        actor=actor, kind=kind, upload=ContentFile(body, name="records.json"), dry_run=dry_run, language=language
    )


def import_run(job_id: int) -> ImportJob:
    """Check, or save, the rows of a recorded import; store what happened on the job.

    An import already done, refused, failed, or being run by a living worker is left as it is (the task may
    be delivered twice, or retried after its worker died). The rows and the job's result are committed
    together, on the condition that this attempt still holds the job: an attempt whose worker was replaced
    rolls back all it wrote, so a file is saved once.
    """
    claim = job_claim(ImportJob, job_id)
    if claim is None:
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.get(pk=job_id)
    actor = get_user_model().objects.get(pk=job.user_id)  # the rules apply to the importer as they are now
    claim.heartbeat(processed_rows=0)
    try:
        with transaction.atomic():
            _import_rows(job, actor, claim)
    except LeaseLost:
        raise
    except Exception as error:
        claim.fail(error=str(error))
        raise
    job.refresh_from_db()
    return job


def _import_rows(job: ImportJob, actor: User, claim: Claim) -> None:
    try:
        with translation.override(job.language):
            with job.file.open("rb") as handle:
                content = handle.read()
            source = open_source(content, job.format)
            refused = source.problems + header_problems(job.kind, source.header)
            if refused:
                _finish(claim, job, refused, {})
                return
            from masar.imports import bulk, bulk_projects

            outcome = None
            if bulk.applies(job):
                outcome = bulk.import_measurements(job=job, actor=actor, source=source)
            elif bulk_projects.applies(job):
                outcome = bulk_projects.import_projects(job=job, actor=actor, source=source)
                if outcome is None:  # a file only the row path decides: read it again from its start
                    source = open_source(content, job.format)
            problems, counts = outcome if outcome is not None else _run_rows(job, actor, source, claim)
    except FileRefused as refusal:
        _finish(claim, job, refusal.problems, {})
        return
    _finish(claim, job, problems, counts)


def _finish(claim: Claim, job: ImportJob, problems: list[dict[str, Any]], counts: dict[str, int]) -> None:
    problems = sorted(problems, key=lambda p: (p["row"], p["column"]))[:MAX_PROBLEMS]
    claim.finish(
        status=ImportStatus.REFUSED if problems else ImportStatus.DONE,
        errors=problems,
        processed_rows=job.total_rows if not problems else ImportJob.objects.get(pk=job.pk).processed_rows,
        created_count=0 if problems else counts.get(CREATED, 0),
        updated_count=0 if problems else counts.get(UPDATED, 0),
        unchanged_count=0 if problems else counts.get(UNCHANGED, 0),
    )


class _Rollback(Exception):
    """Leave the import's transaction without keeping anything (a dry run, or a refused row)."""


def read_rows(kind: str, source: Source) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """Return every row typed (a cell that does not read is None) and the problems of the cells."""
    columns = {column.name: column for column in columns_of(kind)}
    rows, problems = [], []
    for number, cells in source.rows:
        values, cell_problems = read_row(columns, source.header, number, cells)
        problems += cell_problems
        rows.append((number, values))
    return rows, problems


def _run_rows(job: ImportJob, actor: User, source: Source, claim: Claim) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Write the rows one by one through the services in one transaction; keep it only if all pass."""
    rows, problems = read_rows(job.kind, source)
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    progress = _Progress(claim)
    try:
        with transaction.atomic():
            handler = HANDLERS[ImportKind(job.kind)](actor=actor)
            problems += _unseen(problems, handler.prepare(rows))
            refused = {p["row"] for p in problems}
            ordered = handler.order(rows) if hasattr(handler, "order") else rows
            for done, (number, values) in enumerate(ordered, start=1):
                if number not in refused:
                    outcome = _write_row(handler, number, values, problems)
                    if outcome:
                        counts[outcome] += 1
                progress.report(done)
            if problems or job.dry_run:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        progress.close()
    return problems, counts


def _unseen(known: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the problems found on cells that have none yet (an unreadable code is not also unknown)."""
    cells = {(p["row"], p["column"]) for p in known}
    return [p for p in found if (p["row"], p["column"]) not in cells]


def _write_row(handler: Any, number: int, values: dict[str, Any], problems: list[dict[str, Any]]) -> str | None:
    """Write one row in its own savepoint; on refusal add its problems and undo only that row."""
    try:
        with transaction.atomic():
            return handler.write(number, values)
    except RowRefused as refusal:
        problems.append(problem(number, refusal.column, refusal.code, **refusal.params))
    except PermissionDenied:
        problems.append(problem(number, "", "not_permitted"))
    except (DomainError, ValidationError) as error:
        problems.extend(rule_problems(number, error))
    return None


class _Progress:
    """Tell the job page how many rows are done, and extend the job's lease, while its transaction is open.

    On PostgreSQL the count is written through a second connection, so the page and the sweep see it before
    the import commits; on SQLite (one writer at a time) it is written in the import's own transaction.
    """

    def __init__(self, claim: Claim):
        self.claim = claim
        self.side = connections.create_connection("default") if connection.vendor == "postgresql" else None

    def report(self, done: int, *, force: bool = False) -> None:
        if done % PROGRESS_EVERY and not force:
            return
        self.claim.heartbeat(via=self.side, processed_rows=done)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def job_list(actor: User, *, limit: int = 20) -> Any:
    """Return the importer's own recent imports, latest first."""
    return ImportJob.objects.filter(user=actor).order_by("-created_at", "-pk")[:limit]
