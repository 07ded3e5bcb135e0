"""Writes of exports: ask for a large export, and build it in the background."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import translation

from masar.core.jobs import job_claim, job_enqueue
from masar.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from masar.exports.selectors import export_form, export_headers, export_queryset, export_values
from masar.exports.writers import csv_lines, xlsx_write

if TYPE_CHECKING:
    from masar.accounts.models import User

PROGRESS_EVERY = 1000  # rows between two progress updates of a background export


def export_request(*, user: User, kind: str, fmt: str, query: str, language: str, total: int) -> Export:
    """Record a large export for this user and queue the task that builds it."""
    with transaction.atomic():
        export = Export.objects.create(user=user, kind=kind, format=fmt, query=query, language=language, total=total)
        job_enqueue(export)
    return export


def export_build(*, export: Export) -> Export:
    """Build an export's file under its owner's visibility and language, updating progress as rows are written.

    An export already built, failed, or being built by a living worker is left as it is (the task may be
    delivered twice, or retried after its worker died): only the attempt that still holds it records its file.
    """
    claim = job_claim(Export, export.pk)
    if claim is None:
        export.refresh_from_db()
        return export
    user = get_user_model().objects.get(pk=export.user_id)  # the rule is re-applied to the user as they are now
    claim.heartbeat(rows_written=0)
    try:
        with translation.override(export.language):
            form = export_form(export.kind, QueryDict(export.query), user)
            if not form.is_valid():
                raise ValueError(form.errors.as_text())
            queryset = export_queryset(export.kind, form, user)
            total = queryset.count()
            claim.heartbeat(total=total)
            headers = export_headers(export.kind)
            rows = export_values(export.kind, queryset, user)

            def on_row(count):
                if count % PROGRESS_EVERY == 0:
                    claim.heartbeat(rows_written=count)

            with tempfile.TemporaryFile() as handle:
                if export.format == ExportFormat.XLSX:
                    written = xlsx_write(
                        handle,
                        headers,
                        rows,
                        sheet_title=str(ExportKind(export.kind).label),
                        right_to_left=translation.get_language_bidi(),
                        on_row=on_row,
                    )
                else:
                    written = -1  # the header line
                    for line in csv_lines(headers, rows):
                        handle.write(line.encode("utf-8"))
                        written += 1
                        on_row(written)
                handle.seek(0)
                # A name of this attempt's own: a file another attempt half wrote is never the one shown.
                name = export.file.storage.save(f"exports/{export.pk}-a{claim.attempt}-{export.filename}", File(handle))
    except Exception as error:
        claim.fail(error=str(error))
        raise
    claim.finish(status=ExportStatus.DONE, written=name, rows_written=written, total=total, file=name)
    export.refresh_from_db()
    return export
