"""Pages of open data: the public portal (catalogue and dataset pages) and the inventory's governance pages.

The portal reads only what every open-data door serves (`masar.opendata.selectors.catalogue`); its pages are
the same for every anonymous visitor and kept by the public page cache. The inventory is read through the
policy's `inventory_q` (`masar.opendata.inventory`); its writes go through the services, on POST only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from masar.core import policy
from masar.core.errors import DomainError
from masar.core.pages import form_save, tell_refusal
from masar.core.selectors import audit_trail_for, paginate
from masar.indicators.charts import embed_options
from masar.indicators.views import vega_version
from masar.opendata import services
from masar.opendata.forms import (
    CatalogueForm,
    DatasetChangeForm,
    DatasetFilterForm,
    DatasetForm,
    PublicationForm,
    change_decision_form,
    publication_decision_form,
)
from masar.opendata.inventory import (
    change_for_reader,
    dataset_changes,
    dataset_get,
    dataset_list,
    dataset_publications,
    publication_for_reader,
)
from masar.opendata.models import (
    CHANGE_WORKFLOW,
    PUBLICATION_WORKFLOW,
    ChangeAction,
    Dataset,
    Publication,
    PublicationAction,
    PublicationStatus,
)
from masar.opendata.preview import dataset_preview, theme_labels
from masar.opendata.selectors import (
    LANGUAGES,
    Facets,
    catalogue,
    catalogue_facets,
    data_dictionary,
    publication_get,
    with_record_data,
)

CATALOGUE_PAGE_SIZE = 20
# The API doors of one dataset (CKAN's Action API and its DCAT-AP record), at the site root.
CKAN_PACKAGE_SHOW = "/api/3/action/package_show?id={name}"
DCAT_DATASET_TTL = "/catalog/datasets/{name}.ttl"


def _language() -> str:
    language = (get_language() or "ar")[:2]
    return language if language in LANGUAGES else "ar"


# The portal: anonymous, the same for everyone -----------------------------------------------------


def _facet_groups(request: HttpRequest, facets: Facets, chosen: dict[str, str]) -> list[dict[str, Any]]:
    """Return each facet with a link per value narrowing the catalogue to it, and one widening it again."""
    groups = []
    titles = {
        "organization": _("Organization"),
        "theme": _("Theme"),
        "format": _("Format"),
        "licence": _("Licence"),
    }
    for param, title in titles.items():
        values = []
        for facet in getattr(facets, param):
            params = request.GET.copy()
            params.pop("page", None)
            params[param] = facet.key
            values.append(
                {
                    "label": facet.label,
                    "count": facet.count,
                    "href": "?" + params.urlencode(),
                    "chosen": facet.key == chosen.get(param),
                }
            )
        params = request.GET.copy()
        params.pop("page", None)
        params.pop(param, None)
        groups.append({"name": param, "title": title, "values": values, "clear": "?" + params.urlencode()})
    return groups


@require_safe
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """Show the open-data catalogue: search, facets with their counts, and the datasets by pages."""
    form = CatalogueForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        publications = Publication.objects.none()
        chosen: dict[str, str] = {}
    else:
        filters = form.to_filters()
        publications = catalogue(filters)
        chosen = {
            "organization": filters.organization,
            "theme": filters.theme,
            "format": filters.format,
            "licence": filters.licence,
        }
    facets = catalogue_facets(publications)
    page = paginate(with_record_data(publications), request.GET.get("page"), CATALOGUE_PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "facets": _facet_groups(request, facets, chosen),
        "q": form.cleaned_data.get("q", "") if status == 200 and form.is_bound else "",
    }
    return render(request, "opendata/catalogue.html", context, status=status)


@require_safe
def catalogue_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Show a published dataset: description, metadata, data dictionary, preview, chart, downloads, API, citation."""
    publication = publication_get(name)
    language = _language()
    dictionary = [
        {"name": e.name, "type": e.type, "meaning": e.meaning[language], "unit": e.unit[language]}
        for e in data_dictionary(publication)
    ]
    preview = dataset_preview(publication)
    url = request.build_absolute_uri(reverse("opendata-catalogue-detail", args=[publication.name]))
    year = (publication.published_at or publication.modified_at or publication.created_at).year
    context = {
        "publication": publication,
        "owner": publication.dataset.owner,
        "frequency": publication.dataset.get_update_frequency_display(),
        "themes": theme_labels(publication),
        "dictionary": dictionary,
        "preview": preview,
        "resources": list(publication.resources.all()),
        "api_links": [
            ("CKAN Action API (package_show)", CKAN_PACKAGE_SHOW.format(name=publication.name)),
            ("DCAT-AP (Turtle)", DCAT_DATASET_TTL.format(name=publication.name)),
        ],
        "citation": {"url": url, "year": year},
    }
    if preview.chart is not None:
        context.update(chart=preview.chart, chart_options=embed_options(), vega_version=vega_version())
    return render(request, "opendata/dataset.html", context)


# The inventory: governance -----------------------------------------------------------------------


@require_safe
def inventory_list(request: HttpRequest) -> HttpResponse:
    """List the datasets of the inventory this reader sees, filtered and by pages; an invalid filter is a 400."""
    form = DatasetFilterForm(request.GET or None, reader=request.reader)
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        datasets = Dataset.objects.none()
    else:
        datasets = dataset_list(request.reader, form.to_filters())
    page = paginate(datasets, request.GET.get("page"), settings.PAGE_SIZE)
    context = {
        "form": form,
        "page": page,
        "show_staff": policy.may_see_staff(request.reader),
        "clear": reverse("opendata-inventory-list"),
    }
    return render(request, "opendata/inventory_list.html", context, status=status)


@require_safe
def inventory_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Show a dataset of the inventory: its governance, publications, requested changes, audit trail and forms."""
    dataset = dataset_get(request.reader, code)
    can_steward = policy.may_steward(request.reader, dataset)
    can_govern = policy.may_govern_data(request.reader)
    changes = list(dataset_changes(request.reader, dataset))
    for change in changes:
        change.can_decide = can_govern and CHANGE_WORKFLOW.allows(change.status, ChangeAction.APPROVE)
    waiting = any(CHANGE_WORKFLOW.allows(change.status, ChangeAction.APPROVE) for change in changes)
    context = {
        "dataset": dataset,
        "publications": dataset_publications(request.reader, dataset),
        "changes": changes,
        "trail": audit_trail_for(dataset, request.user),
        "show_staff": policy.may_see_staff(request.reader),
        "can_steward": can_steward,
        "can_govern": can_govern,
        "change_form": DatasetChangeForm() if can_steward and not waiting else None,
        "decision_form": change_decision_form() if can_govern else None,
        "change_actions": ChangeAction.choices,
    }
    return render(request, "opendata/inventory_detail.html", context)


def _render_form(request: HttpRequest, template: str, form: Any, stale: Any, context: dict[str, Any]) -> HttpResponse:
    status = 409 if stale else (400 if form.is_bound else 200)
    return render(request, template, {"form": form, "stale": stale, **context}, status=status)


@login_required
def dataset_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a dataset's description; an edit based on a stale version is refused and shows what changed."""
    dataset = dataset_get(request.reader, code)
    if not policy.may_steward(request.reader, dataset):
        raise PermissionDenied
    form = DatasetForm(request.POST if request.method == "POST" else None, instance=dataset)

    def save(data: dict[str, Any], version: int) -> Dataset:
        return services.dataset_update(actor=request.user, dataset=dataset, data=data, expected_version=version)

    saved, stale = form_save(request, form, save, Dataset)
    if saved is not None:
        messages.success(request, _("The dataset was saved."))
        return redirect("opendata-inventory-detail", code=dataset.code)
    context = {"dataset": dataset, "again": request.path}
    return _render_form(request, "opendata/dataset_form.html", form, stale, context)


@login_required
@require_POST
def change_request(request: HttpRequest, code: str) -> HttpResponse:
    """Ask the national unit to change a dataset's classification or owner."""
    dataset = dataset_get(request.reader, code)
    form = DatasetChangeForm(request.POST)
    if not form.is_valid():
        if not policy.may_steward(request.reader, dataset):
            raise PermissionDenied
        messages.error(request, _("The request is not valid: %(errors)s") % {"errors": form.errors.as_text()})
    else:
        data = form.cleaned_data
        try:
            services.dataset_change_request(
                actor=request.user,
                dataset=dataset,
                reason=data["reason"] or "",
                classification=data["classification"] or "",
                owner=data["owner"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except DomainError as error:
            tell_refusal(request, error)
        else:
            messages.success(request, _("The change was requested; it waits for the national unit's decision."))
    return redirect("opendata-inventory-detail", code=dataset.code)


@login_required
@require_POST
def change_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or refuse a requested change of a dataset's classification or owner (the national unit)."""
    change = change_for_reader(request.reader, pk)
    if not policy.may_govern_data(request.reader):
        raise PermissionDenied
    form = change_decision_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse the change."))
    else:
        try:
            services.dataset_change_decide(
                actor=request.user,
                change=change,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            tell_refusal(request, error)
        else:
            messages.success(request, _("The decision on the change was recorded."))
    return redirect("opendata-inventory-detail", code=change.dataset.code)


# Publications ----------------------------------------------------------------------------------


@login_required
def publication_create(request: HttpRequest, code: str) -> HttpResponse:
    """Draft a published dataset of the inventory (its steward, the owner's coordinator or the national unit)."""
    dataset = dataset_get(request.reader, code)
    if not policy.may_steward(request.reader, dataset):
        raise PermissionDenied
    form = PublicationForm(request.POST if request.method == "POST" else None, reader=request.reader)

    def save(data: dict[str, Any], _version: int | None) -> Publication:
        return services.publication_create(actor=request.user, dataset=dataset, data=data)

    publication, _stale = form_save(request, form, save, Publication)
    if publication is not None:
        messages.success(request, _("The draft was saved. Check it, then propose it for publication."))
        return redirect("opendata-publication-detail", name=publication.name)
    context = {"dataset": dataset, "heading": _("New published dataset")}
    return _render_form(request, "opendata/publication_form.html", form, None, context)


@login_required
def publication_edit(request: HttpRequest, name: str) -> HttpResponse:
    """Edit a publication's view and metadata; an edit based on a stale version is refused and shows what changed."""
    publication = publication_for_reader(request.reader, name)
    dataset = publication.dataset
    if not (policy.may_steward(request.reader, dataset) or policy.may_govern_data(request.reader)):
        raise PermissionDenied
    form = PublicationForm(
        request.POST if request.method == "POST" else None, instance=publication, reader=request.reader
    )

    def save(data: dict[str, Any], version: int) -> Publication:
        return services.publication_update(
            actor=request.user, publication=publication, data=data, expected_version=version
        )

    saved, stale = form_save(request, form, save, Publication)
    if saved is not None:
        messages.success(request, _("The published dataset was saved."))
        return redirect("opendata-publication-detail", name=publication.name)
    context = {"dataset": dataset, "publication": publication, "heading": _("Edit the published dataset")}
    context["again"] = request.path
    return _render_form(request, "opendata/publication_form.html", form, stale, context)


@require_safe
def publication_detail(request: HttpRequest, name: str) -> HttpResponse:
    """Show a publication to its steward and the national unit: status, files, last generation error, actions."""
    if not policy.may_see_staff(request.reader):
        publication_get(name)  # the public reads a served dataset on the portal; any other is a 404
        return redirect("opendata-catalogue-detail", name=name)
    publication = publication_for_reader(request.reader, name)
    can_steward = policy.may_steward(request.reader, publication.dataset)
    can_govern = policy.may_govern_data(request.reader)
    status = publication.status
    decisions = [
        action
        for action in (PublicationAction.APPROVE, PublicationAction.REFUSE, PublicationAction.WITHDRAW)
        if can_govern and PUBLICATION_WORKFLOW.allows(status, action)
    ]
    may_propose = can_steward and PUBLICATION_WORKFLOW.allows(status, PublicationAction.PROPOSE)
    context = {
        "publication": publication,
        "dataset": publication.dataset,
        "themes": theme_labels(publication),
        "resources": publication.resources.defer("content").order_by("format"),
        "served": publication.status == PublicationStatus.PUBLISHED
        and Publication.objects.filter(policy.open_data_q(), pk=publication.pk).exists(),
        "refusals": services.publication_refusals(publication) if may_propose else [],
        "may_propose": may_propose,
        "may_revise": can_steward and PUBLICATION_WORKFLOW.allows(status, PublicationAction.REVISE),
        "may_edit": can_govern or may_propose,
        "decision_form": publication_decision_form() if decisions else None,
        "decisions": [(action.value, action.label) for action in decisions],
        "trail": audit_trail_for(publication, request.user),
    }
    return render(request, "opendata/publication_detail.html", context)


def _publication_action(request: HttpRequest, name: str, act: Any, done: str) -> HttpResponse:
    publication = publication_for_reader(request.reader, name)
    try:
        act(publication)
    except DomainError as error:
        tell_refusal(request, error)
    else:
        messages.success(request, done)
    return redirect("opendata-publication-detail", name=publication.name)


@login_required
@require_POST
def publication_propose(request: HttpRequest, name: str) -> HttpResponse:
    """Propose a draft to the national unit; refused with the reasons when it may not be published."""
    return _publication_action(
        request,
        name,
        lambda publication: services.publication_propose(actor=request.user, publication=publication),
        _("The dataset was proposed for publication; the national unit decides."),
    )


@login_required
@require_POST
def publication_revise(request: HttpRequest, name: str) -> HttpResponse:
    """Take a refused or withdrawn publication back to draft."""
    return _publication_action(
        request,
        name,
        lambda publication: services.publication_revise(actor=request.user, publication=publication),
        _("The published dataset is a draft again."),
    )


@login_required
@require_POST
def publication_decide(request: HttpRequest, name: str) -> HttpResponse:
    """Approve, refuse or withdraw a publication (the national unit); refusing and withdrawing need a reason."""
    publication = publication_for_reader(request.reader, name)
    if not policy.may_govern_data(request.reader):
        raise PermissionDenied
    form = publication_decision_form(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve, refuse or withdraw the publication."))
        return redirect("opendata-publication-detail", name=publication.name)
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    return _publication_action(
        request,
        name,
        lambda pub: services.publication_decide(actor=request.user, publication=pub, action=action, reason=reason),
        _("The decision on the publication was recorded."),
    )
