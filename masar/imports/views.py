import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from masar.core import policy
from masar.core.jobs import job_state
from masar.imports.columns import column_names
from masar.imports.forms import ImportForm
from masar.imports.models import ImportFormat, ImportJob, ImportKind
from masar.imports.reasons import problem_text
from masar.imports.services import import_start, job_list

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer(request):
    """Importing is for people who sign in; the rows they may write are judged one by one."""
    if not policy.may_import(request.reader):
        raise Http404


@login_required
def import_page(request):
    """Offer the import form and the reader's recent imports; start an import on POST."""
    _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_start(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
            language=translation.get_language(),
        )
        return redirect("imports-job-detail", pk=job.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "jobs": job_list(request.user), "kinds": ImportKind.choices}
    return render(request, "imports/import_page.html", context, status=status)


def _own_job(request, pk):
    """Return an import of the person asking; anyone else gets a 404."""
    _importer(request)
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


def _job_context(job):
    problems = [{**item, "text": problem_text(item)} for item in job.errors]
    state = job_state(job)
    return {
        "job": job,
        "problems": problems,
        "running": state.waiting,
        "unclaimed": state.unclaimed,
        "notice": state.notice,
    }


@login_required
def import_detail(request, pk):
    """Show an import: its progress while it runs, then what it did or every problem by row and column."""
    job = _own_job(request, pk)
    return render(request, "imports/job_detail.html", _job_context(job))


@login_required
def import_progress(request, pk):
    """The part of the job page that htmx polls while the import runs."""
    job = _own_job(request, pk)
    return render(request, "imports/_job_status.html", _job_context(job))


def import_template(request, kind, fmt):
    """Send an empty file with the columns of one kind of import (CSV or XLSX)."""
    if kind not in ImportKind.values or fmt not in (ImportFormat.CSV, ImportFormat.XLSX):
        raise Http404
    return columns_file(column_names(kind), sheet=kind, filename=f"{kind}.{fmt}", fmt=fmt)


def columns_file(names: list[str], *, sheet: str, filename: str, fmt: str) -> HttpResponse:
    """Return an empty file with one header row of column names, as an attachment (CSV UTF-8 with BOM, or XLSX)."""
    if fmt == ImportFormat.CSV:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(names)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.active.title = sheet[:31]
        workbook.active.append(names)
        response = HttpResponse(content_type=XLSX)
        workbook.save(response)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
