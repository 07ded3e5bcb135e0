from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.attachments.forms import AttachmentForm
from masar.attachments.models import Attachment
from masar.attachments.services import attachment_add
from masar.core.errors import DomainError
from masar.core.policy import get_for_reader


def _record(kind, pk, reader):
    from masar.delivery.models import Obstacle, ProgressUpdate

    if kind == "update":
        return get_for_reader(ProgressUpdate.objects.select_related("project"), reader, pk), "delivery-update-detail"
    if kind == "obstacle":
        return get_for_reader(Obstacle.objects.select_related("project"), reader, pk), "delivery-obstacle-detail"
    raise Http404


@login_required
@require_POST
def attachment_upload(request, kind, pk):
    """Attach a file to a progress update or an obstacle, then go back to its page."""
    record, page = _record(kind, pk, request.reader)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
    else:
        try:
            attachment_add(record=record, actor=request.user, upload=form.cleaned_data["file"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The file was attached."))
    return redirect(page, pk=record.pk)


def attachment_download(request, pk):
    """Hand out a file to those who may read its record: always as a download, never sniffed or cached."""
    attachment = get_for_reader(Attachment.objects.all(), request.reader, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
