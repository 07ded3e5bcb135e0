"""The page that imports services and their monthly usage from a CSV or XLSX file, and the files' templates.

The page parses the form and calls `masar.catalogue.imports.catalogue_import`; who may write each row is judged
row by row by the catalogue's services (`policy.may_create_service`, `may_write`, `may_report_usage`).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masar.catalogue.imports import (
    COLUMNS,
    CatalogueImportInvalid,
    CatalogueImportKind,
    ImportReport,
    RowError,
    catalogue_import,
    column_help,
    column_names,
)
from masar.core import policy
from masar.imports.models import ImportFormat
from masar.imports.views import columns_file


class CatalogueImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=CatalogueImportKind.choices)
    file = forms.FileField(label=gettext_lazy("File (CSV UTF-8 or XLSX)"))
    dry_run = forms.TypedChoiceField(
        label=gettext_lazy("What to do"),
        choices=[
            ("1", gettext_lazy("Check only (dry run): nothing is saved")),
            ("0", gettext_lazy("Save, if every row is correct")),
        ],
        coerce=lambda value: value == "1",
        initial="1",
        widget=forms.RadioSelect,
    )


def _importer(request: HttpRequest) -> None:
    """Importing is for people who sign in; the rows they may write are judged one by one."""
    if not policy.may_import(request.reader):  # type: ignore[attr-defined]
        raise Http404


def _outcome(report: ImportReport) -> str:
    counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
    if report.dry_run:
        return (
            _(
                "Every row is correct: %(created)s would be created, %(updated)s updated, "
                "%(unchanged)s left unchanged. Nothing was saved."
            )
            % counts
        )
    return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts


@login_required
def catalogue_import_page(request: HttpRequest) -> HttpResponse:
    """Offer the import of services or of monthly usage; import on POST, all rows or none."""
    _importer(request)
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    checked = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = catalogue_import(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    content=upload.read(),
                    filename=str(upload.name or ""),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except CatalogueImportInvalid as refused:
                errors, status = refused.errors, 400
            else:
                if not report.dry_run:
                    messages.success(request, _outcome(report))
                    return redirect("catalogue-import")
                checked = _outcome(report)
        else:
            status = 400
    columns = [
        (kind, label, [(c.name, c.required, column_help(c.name)) for c in COLUMNS[CatalogueImportKind(kind)]])
        for kind, label in CatalogueImportKind.choices
    ]
    context = {"form": form, "errors": errors, "checked": checked, "kinds": columns}
    return render(request, "catalogue/import.html", context, status=status)


def catalogue_import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Send an empty file with the columns of one kind of catalogue import (CSV UTF-8, or XLSX)."""
    if kind not in CatalogueImportKind.values or fmt not in (ImportFormat.CSV, ImportFormat.XLSX):
        raise Http404
    return columns_file(column_names(kind), sheet=kind, filename=f"services-{kind}.{fmt}", fmt=fmt)
