"""The signed-in pages of the services catalogue for those who keep it: the list, a service's page, adding and
changing a service, its required documents, the projects that digitize it, its monthly usage, and the figures
per ministry. The pages of the citizens' voice are in `masar.catalogue.voice_views`.

Each page parses its input, calls a selector or a service and renders; who may do what is asked of the policy
(`masar.core.policy`) through the selectors of `masar.catalogue.owner_selectors`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from masar.catalogue import selectors, services
from masar.catalogue.forms import (
    DocumentFormSet,
    ProjectLinkForm,
    ServiceFilterForm,
    ServiceForm,
    UnlinkForm,
    UsageForm,
)
from masar.catalogue.models import Service
from masar.catalogue.once_only import documents_with_holders
from masar.catalogue.owner_selectors import (
    is_public,
    satisfaction_by_ministry,
    service_satisfaction,
    service_voice,
    usage_table,
)
from masar.core import policy
from masar.core.errors import DomainError, Invalid, NotPermitted, http_status
from masar.core.pages import form_save, refuse_in_form
from masar.core.selectors import audit_trail_for, paginate


@login_required
@require_safe
def service_list(request: HttpRequest) -> HttpResponse:
    """List the services this reader reads, filtered and paginated; an invalid filter is a 400 listing nothing."""
    form = ServiceFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        rows = Service.objects.none()
    else:
        rows = selectors.service_list(request.reader, form.to_filters())
    context = {
        "form": form,
        "page": paginate(rows, request.GET.get("page"), settings.PAGE_SIZE),
        "clear": reverse("catalogue-service-list"),
        "may_add": policy.may_add_services(request.reader),
        "reads_voice": policy.may_hear_citizens(request.reader),
    }
    return render(request, "catalogue/service_list.html", context, status=status)


def _public_page_or_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a visitor who is not signed in to the portal's page of the service (search results link here for every
    reader), or to the sign-in page while the portal has none."""
    try:
        return redirect(reverse("portal-service-detail", args=[pk]))
    except NoReverseMatch:
        return redirect_to_login(request.get_full_path())


@require_safe
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a service whole: its fields, documents and who holds them, projects, usage, satisfaction, the
    citizens' voice for those who answer, and its audit trail."""
    if not request.user.is_authenticated:
        return _public_page_or_sign_in(request, pk)
    reader = request.reader
    service = selectors.service_for_reader(reader, pk)
    context = {
        "service": service,
        "documents": documents_with_holders(reader, service),
        "project_links": selectors.service_projects(reader, service),
        "usage": usage_table(service),
        "satisfaction": service_satisfaction(service),
        "voice": service_voice(reader, service),
        "may_change": policy.may_write(reader, service),
        "may_report_usage": policy.may_report_usage(reader, service),
        "is_public": is_public(service),
        "trail": audit_trail_for(service, request.user),
    }
    return render(request, "catalogue/service_detail.html", context)


def _service_form_page(request: HttpRequest, form: ServiceForm, service: Service | None, stale: Any) -> HttpResponse:
    status = 409 if stale else (400 if form.is_bound else 200)
    context = {"form": form, "service": service, "stale": stale, "again": request.path}
    return render(request, "catalogue/service_form.html", context, status=status)


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    """Add a service for an organization the reader may add services for (403 for those who may for none)."""
    if not policy.may_add_services(request.reader):
        raise PermissionDenied
    form = ServiceForm(request.POST or None, reader=request.reader)

    def save(data: dict[str, Any], version: int | None) -> Service:
        return services.service_create(actor=request.user, data=data)

    saved, _stale = form_save(request, form, save, Service)
    if saved is not None:
        messages.success(request, _("The service was added to the catalogue."))
        return redirect("catalogue-service-detail", pk=saved.pk)
    return _service_form_page(request, form, None, None)


@login_required
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a service; an edit based on a stale version is refused and shows what changed meanwhile."""
    service = selectors.service_for_reader(request.reader, pk, write=True)
    form = ServiceForm(request.POST or None, instance=service, reader=request.reader)

    def save(data: dict[str, Any], version: int | None) -> Service:
        return services.service_update(actor=request.user, service=service, data=data, expected_version=version)

    saved, stale = form_save(request, form, save, Service)
    if saved is not None:
        messages.success(request, _("The service was saved."))
        return redirect("catalogue-service-detail", pk=service.pk)
    return _service_form_page(request, form, service, stale)


def _document_rows(service: Service) -> list[dict[str, Any]]:
    return [
        {"name_ar": d.name_ar, "name_fr": d.name_fr, "name_en": d.name_en, "held_by": d.held_by, "ORDER": i}
        for i, d in enumerate(selectors.service_documents(service), start=1)
    ]


def _place_document_errors(error: DomainError, forms: list[Any]) -> list[str]:
    """Put each error of a refused list beside the row it names ("documents-<position>"); return the others."""
    if not isinstance(error, Invalid) or not error.errors:
        return [str(error.message)]
    others = []
    for name, message in error.errors:
        position = str(name or "").removeprefix("documents-")
        if position.isdigit() and int(position) < len(forms):
            forms[int(position)].add_error("name_ar", message)
        else:
            others.append(str(message))
    return others


@login_required
def service_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the ordered list of a service's required documents and who already holds each one."""
    service = selectors.service_for_reader(request.reader, pk, write=True)
    formset = DocumentFormSet(request.POST or None, initial=_document_rows(service), prefix="documents")
    errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        rows = formset.entries()
        try:
            services.service_documents_set(actor=request.user, service=service, documents=[e for e, _f in rows])
        except NotPermitted as error:
            raise PermissionDenied(str(error.message)) from error
        except DomainError as error:
            errors = _place_document_errors(error, [form for _entry, form in rows])
        else:
            messages.success(request, _("The required documents were saved."))
            return redirect("catalogue-service-detail", pk=service.pk)
    status = 400 if formset.is_bound else 200
    context = {"service": service, "formset": formset, "errors": errors}
    return render(request, "catalogue/service_documents.html", context, status=status)


@login_required
def service_projects(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a project the reader reads to the service with its target level and date, or remove a link."""
    service = selectors.service_for_reader(request.reader, pk, write=True)
    links = selectors.service_projects(request.reader, service)
    unlinking = request.method == "POST" and "link" in request.POST
    form = ProjectLinkForm(request.POST if request.method == "POST" and not unlinking else None, reader=request.reader)
    status = 200
    if unlinking:
        unlink = UnlinkForm(request.POST)
        link = links.filter(pk=unlink.cleaned_data["link"]).first() if unlink.is_valid() else None
        if link is None:
            raise Http404
        try:
            services.service_project_unlink(actor=request.user, link=link)
        except DomainError as error:
            refuse_in_form(form, error)
            status = http_status(error)
        else:
            messages.success(request, _("The project is no longer linked to the service."))
            return redirect("catalogue-service-projects", pk=service.pk)
    elif form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_project_link(
                    actor=request.user,
                    service=service,
                    project=data["project"],
                    target_level=data["target_level"],
                    target_date=data["target_date"],
                )
            except DomainError as error:
                refuse_in_form(form, error)
                status = http_status(error)
            else:
                messages.success(request, _("The project was linked to the service."))
                return redirect("catalogue-service-projects", pk=service.pk)
    context = {"service": service, "links": links, "form": form}
    return render(request, "catalogue/service_projects.html", context, status=status)


@login_required
def usage_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter one month of one channel of a service's usage; a refused entry shows each error beside its field."""
    service = selectors.service_for_reader(request.reader, pk)
    if not policy.may_report_usage(request.reader, service):
        raise PermissionDenied
    form = UsageForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if form.is_valid():
        try:
            services.usage_record(actor=request.user, service=service, entry=form.entry())
        except DomainError as error:
            refuse_in_form(form, error)
            status = http_status(error)
        else:
            messages.success(request, _("The month's usage was recorded."))
            return redirect("catalogue-usage-record", pk=service.pk)
    context = {"service": service, "form": form, "usage": usage_table(service)}
    return render(request, "catalogue/usage_form.html", context, status=status)


@login_required
@require_safe
def satisfaction(request: HttpRequest) -> HttpResponse:
    """Show, for each ministry, its services' digitization, online transactions, ratings and open complaints."""
    figures = satisfaction_by_ministry(request.reader)
    context = {"figures": figures, "reads_voice": policy.may_hear_citizens(request.reader)}
    return render(request, "catalogue/satisfaction.html", context)
