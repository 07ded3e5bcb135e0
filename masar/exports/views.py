import tempfile

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from masar.core import policy
from masar.core.jobs import job_state
from masar.exports.models import Export, ExportFormat, ExportKind, ExportStatus
from masar.exports.selectors import export_form, export_headers, export_queryset, export_values
from masar.exports.services import export_request
from masar.exports.writers import csv_lines, xlsx_write

# Rows above which a signed-in reader's export is built in the background. A download is streamed, and gunicorn's
# gthread workers do not cut a long request, but it holds one of the server's few threads: at national size on
# 2 busy cores a 20,000-row CSV took 10-25 s and an XLSX about twice that. So a reader who can be sent the file
# later gets at most 5,000 rows at once (about a quarter of those times) and the worker builds the rest.
BACKGROUND_THRESHOLD = 5_000
# A visitor who is not signed in has no background export: public lists up to this many rows are streamed to them
# (the whole public portfolio of a country), beyond it they are asked to sign in.
PUBLIC_STREAM_LIMIT = 20_000

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _attachment(filename):
    return f'attachment; filename="{filename}"'


def export_list(request, kind, fmt):
    """Export a list with the filters of its page, in the reader's language and through their visibility."""
    if kind not in ExportKind.values or fmt not in ExportFormat.values:
        raise Http404
    form = export_form(kind, request.GET, request.user)
    if not form.is_valid():
        return render(request, "exports/invalid.html", {"form": form}, status=400)
    queryset = export_queryset(kind, form, request.user)
    total = queryset.count()
    may_queue = policy.may_request_export(request.reader)
    if total > (BACKGROUND_THRESHOLD if may_queue else PUBLIC_STREAM_LIMIT):
        if not may_queue:
            return redirect_to_login(request.get_full_path())
        if request.method != "POST":  # recording an export is a write: a GET only offers it
            return render(request, "exports/confirm.html", {"total": total})
        export = export_request(
            user=request.user,
            kind=kind,
            fmt=fmt,
            query=request.GET.urlencode(),
            language=translation.get_language(),
            total=total,
        )
        return redirect("exports-export-detail", pk=export.pk)
    headers = export_headers(kind)
    rows = export_values(kind, queryset, request.user)
    filename = f"{kind}.{fmt}"
    if fmt == ExportFormat.CSV:
        lines = in_language(translation.get_language(), csv_lines(headers, rows))
        response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = _attachment(filename)
        return response
    # A workbook is a zip, complete only once its last row is in: its rows go to a temporary file as they are
    # read, and the file is sent from there (the response closes it once sent).
    handle = tempfile.TemporaryFile()
    try:
        xlsx_write(
            handle,
            headers,
            rows,
            sheet_title=str(ExportKind(kind).label),
            right_to_left=translation.get_language_bidi(),
        )
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])


def in_language(language, lines):
    """Yield the lines of a streamed file in the request's language, whatever is active when they are sent."""
    with translation.override(language):
        yield from lines


def _own_export(request, pk):
    """Return an export of the person asking; anyone else gets a 404."""
    if not policy.may_request_export(request.reader):
        raise Http404
    return get_object_or_404(Export, pk=pk, user=request.user)


def export_detail(request, pk):
    """Show a background export's progress, and its download link once done."""
    export = _own_export(request, pk)
    state = job_state(export)
    return render(
        request,
        "exports/export_detail.html",
        {
            "export": export,
            "running": state.waiting,
            "unclaimed": state.unclaimed,
            "notice": state.notice,
            "retention_days": settings.EXPORT_RETENTION_DAYS,
        },
    )


def export_download(request, pk):
    """Send a finished background export to the person who asked for it."""
    export = _own_export(request, pk)
    if export.is_expired:  # its page says so
        return redirect("exports-export-detail", pk=export.pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        default_storage.open(export.file.name, "rb"),
        as_attachment=True,
        filename=export.filename,
        content_type=CONTENT_TYPES[export.format],
    )
