"""Bulk imports through the API: a file (CSV, XLSX, JSON) or records in a JSON body, checked (dry
run) or saved atomically, by the same import services as the import page."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from masar.api.paging import one
from masar.api.problems import ERRORS
from masar.api.references import actor_of, require
from masar.api.schemas import Body
from masar.imports.models import ImportJob, ImportKind, ImportStatus
from masar.imports.reasons import problem_text
from masar.imports.services import import_records, import_start

router = Router(tags=["imports"])


class ImportProblem(Schema):
    row: int = Field(..., description="The row of the file (1 is the first row after the header; 0: the file)")
    column: str
    code: str = Field(..., description="The reason, as a stable key")
    reason: str = Field(..., description="The reason in the language of Accept-Language")


class ImportOut(Schema):
    id: int
    kind: ImportKind
    format: str
    filename: str
    dry_run: bool
    status: ImportStatus
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    unchanged: int
    problems: list[ImportProblem]
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_created(obj: ImportJob) -> int:
        return obj.created_count

    @staticmethod
    def resolve_updated(obj: ImportJob) -> int:
        return obj.updated_count

    @staticmethod
    def resolve_unchanged(obj: ImportJob) -> int:
        return obj.unchanged_count

    @staticmethod
    def resolve_problems(obj: ImportJob) -> list[dict[str, Any]]:
        return [
            {
                "row": item.get("row", 0),
                "column": item.get("column", ""),
                "code": item.get("code", ""),
                "reason": problem_text(item),
            }
            for item in obj.errors
        ]


def _answer(request: HttpRequest, job: ImportJob) -> Any:
    """A job still queued or running answers 202 (poll its address); a finished one 201 with its outcome."""
    status = 202 if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING) else 201
    return Status(status, one(request, job))


@router.post(
    "/imports/",
    response={201: ImportOut, 202: ImportOut, **ERRORS},
    summary="Import a file",
)
def import_file(
    request: HttpRequest,
    kind: Form[ImportKind],
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
) -> Any:
    """Check (dry_run, the default) or save a file of projects with milestones, progress updates,
    obstacles or indicator values. A refused file or row is reported by row, column and reason; a
    saved import is all or nothing; rows name their sending system and its id (`source_system`,
    `external_id`), so sending the same file again updates and never duplicates. Large files are
    handled by the worker: the answer is then 202 and the import's address gives its progress."""
    require(request, kind, write=True)
    job = import_start(actor=actor_of(request), kind=kind, upload=file, dry_run=dry_run)
    return _answer(request, job)


class RecordsIn(Body):
    kind: ImportKind
    dry_run: bool = True
    records: list[dict[str, Any]] = Field(..., max_length=10_000, description="The rows, as objects of the columns")


@router.post(
    "/imports/records/",
    response={201: ImportOut, 202: ImportOut, **ERRORS},
    summary="Import records sent as JSON",
)
def import_json(request: HttpRequest, body: RecordsIn) -> Any:
    """The same as importing a file, for rows sent in the body (up to 10,000; larger sets as a file)."""
    require(request, body.kind, write=True)
    job = import_records(actor=actor_of(request), kind=body.kind, records=body.records, dry_run=body.dry_run)
    return _answer(request, job)


@router.get("/imports/{import_id}/", response={200: ImportOut, **ERRORS}, summary="Read an import")
def import_read(request: HttpRequest, import_id: int) -> Any:
    """Return an import's progress and outcome: only to whoever started it."""
    job = ImportJob.objects.filter(pk=import_id, user=actor_of(request)).first()
    if job is None:
        raise Http404
    return one(request, job)
