"""Pages of the document library: the list, adding a document or a version, a document beside its text,
and the original handed out only to those who may read it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masar.core.errors import DomainError, StaleEditError
from masar.core.forms import add_field_errors, add_service_errors
from masar.core.pages import refusal_text
from masar.core.policy import get_for_reader, may_add_documents, may_change_document
from masar.core.selectors import audit_trail_for, paginate
from masar.documents import selectors, services
from masar.documents.forms import DocumentFilterForm, DocumentForm, VersionForm
from masar.documents.models import Document, DocumentVersion


def _limit_mb():
    return round(services.max_bytes() / (1024 * 1024), 1)


def document_list(request):
    """List the documents this reader may read, filterable by kind, organization and language."""
    form = DocumentFilterForm(request.GET or None)
    status = 400 if form.is_bound and not form.is_valid() else 200
    documents = selectors.document_list(request.reader, form.to_filters()) if status == 200 else Document.objects.none()
    page = paginate(documents, request.GET.get("page"), settings.PAGE_SIZE)
    context = {"page": page, "form": form, "can_add": may_add_documents(request.reader)}
    return render(request, "documents/list.html", context, status=status)


def _save_failure(form, error):
    """Put a service's refusal beside the fields it concerns."""
    if isinstance(error, ValidationError):
        add_service_errors(form, error, model=Document)
    elif isinstance(error, DomainError):
        pairs = getattr(error, "errors", None) or [(None, refusal_text(error))]
        add_field_errors(form, pairs, model=Document)


@login_required
def document_create(request):
    """Add a document: a file or its pasted text, its details, and the records it concerns."""
    if not may_add_documents(request.reader):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, reader=request.reader)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                document, content = services.document_create(
                    actor=request.user,
                    title=data["title"],
                    kind=data["kind"],
                    classification=data["classification"],
                    organization=data["organization"],
                    date=data["date"],
                    language=data["language"],
                    text=data["text"],
                    upload=data["file"] or None,
                    **form.links(),
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not do this."))
            except (ValidationError, DomainError) as error:
                _save_failure(form, error)
            else:
                messages.success(request, _("The document was added."))
                if content.warning:
                    messages.warning(request, content.warning)
                return redirect("documents-document-detail", pk=document.pk)
    return render(request, "documents/form.html", {"form": form, "limit_mb": _limit_mb()}, status=status)


def document_detail(request, pk):
    """Show a document: its details, the records it concerns, its versions, and its text beside the original."""
    document = get_for_reader(Document.objects.select_related("organization"), request.reader, pk)
    versions = list(selectors.document_versions(request.reader, document))
    current = versions[0] if versions else None
    can_change = may_change_document(request.reader, document)
    context = {
        "document": document,
        "current": current,
        "versions": versions,
        "links": selectors.document_links(request.reader, document),
        "can_change": can_change,
        "version_form": VersionForm(initial={"expected_version": document.version}) if can_change else None,
        "limit_mb": _limit_mb(),
        "trail": audit_trail_for(document, request.user),
    }
    return render(request, "documents/detail.html", context)


@login_required
@require_POST
def document_version_add(request, pk):
    """Add a version (a file or a pasted text): the older versions stay; the document's text becomes the new one's."""
    document = get_for_reader(Document.objects.select_related("organization"), request.reader, pk)
    if not may_change_document(request.reader, document):
        raise PermissionDenied
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Upload a file or paste the document's text."))
        return redirect("documents-document-detail", pk=document.pk)
    try:
        _document, content = services.document_add_version(
            actor=request.user,
            document=document,
            expected_version=form.cleaned_data["expected_version"],
            upload=form.cleaned_data["file"] or None,
            text=form.cleaned_data["text"],
        )
    except StaleEditError as error:
        messages.error(request, str(error.message))
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("The new version was added; the earlier ones are kept."))
        if content.warning:
            messages.warning(request, content.warning)
    return redirect("documents-document-detail", pk=document.pk)


def document_download(request, pk):
    """Hand out a version's original to those who may read its document: never sniffed, never cached.

    `?inline=1` shows a PDF in the page, in a sandbox (no script, no form, no navigation); anything
    else is always a download.
    """
    version = get_for_reader(DocumentVersion.objects.select_related("document"), request.reader, pk)
    if not version.file:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = request.GET.get("inline") == "1" and version.is_pdf
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=version.original_name or f"document-{version.document_id}-{version.number}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
    return response
