"""The CKAN Action API over the open-data catalogue, for harvesters, data portals and `ckanapi`.

Served at `/api/3/action/<name>` and `/api/action/<name>` (where `ckanapi.RemoteCKAN` posts; no redirect,
the client follows none), by GET with query parameters or POST with a JSON or form body, with no session.
Answers have CKAN's envelope (`help`, `success`, `result`) and CKAN's errors: 404 Not Found Error, 409
Validation Error naming the parameter, 400 for an unknown action. Everything is read through
`masar.opendata.selectors`: what the catalogue serves is decided there, never here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext, override
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masar.opendata import ckan_params
from masar.opendata.ckan_params import CkanValidationError, natural_number, text
from masar.opendata.ckan_records import Records, group_dicts
from masar.opendata.models import Publication
from masar.opendata.selectors import (
    CatalogueFilters,
    catalogue,
    catalogue_facets,
    catalogue_keywords,
    publication_get,
    published_organization_get,
    published_organizations,
    record_fingerprints,
    record_fingerprints_of,
    resource_get,
    with_record_data,
)

CKAN_VERSION = "2.10.0"  # the version of CKAN's Action API this door answers like
Action = Callable[[HttpRequest, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(function: Action) -> Action:
    ACTIONS[function.__name__] = function
    return function


class NotFound(Exception):
    pass


def _required(data: dict[str, Any], key: str) -> str:
    value = text(data, key).strip()
    if not value:
        raise CkanValidationError({key: [gettext("Missing value")]})
    return value


# The actions ----------------------------------------------------------------------------------


@action
def status_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's title, address, CKAN API version and default language."""
    with override(settings.LANGUAGE_CODE):
        return {
            "site_title": gettext("Masar"),
            "site_description": gettext("Masar: following the national digital transformation"),
            "site_url": request.build_absolute_uri("/").rstrip("/"),
            "ckan_version": CKAN_VERSION,
            "error_emails_to": None,
            "locale_default": settings.LANGUAGE_CODE,
            "extensions": [],
        }


@action
def site_read(request: HttpRequest, data: dict[str, Any]) -> bool:
    """Return True: the catalogue may be read by anyone."""
    return True


@action
def help_show(request: HttpRequest, data: dict[str, Any]) -> str:
    """Return the documentation of an action (name)."""
    name = _required(data, "name")
    if name not in ACTIONS:
        raise NotFound
    return ACTIONS[name].__doc__ or ""


@action
def package_list(request: HttpRequest, data: dict[str, Any]) -> list[str]:
    """Return the names of the published datasets, by name (limit and offset page them)."""
    limit = natural_number(data, "limit", None)
    offset = natural_number(data, "offset", 0) or 0
    names = catalogue(CatalogueFilters()).values_list("name", flat=True)
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


RECORD_CACHE_SECONDS = 3600  # a record kept under its fingerprint: any change to what it says changes its key


def kept_packages(records: Records, ids: list[int]) -> list[dict[str, Any]]:
    """Return the package records of these publications, in order, built once per version of what they say.

    Each record is kept under the fingerprint of its publication, dataset, owner, coverage and files (two light
    queries for the page), so an unchanged record is not loaded and built again; one that changed is.
    """
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for row in record_fingerprints(Publication.objects.filter(pk__in=ids)):
        rows.setdefault(row[0], []).append(row)
    keys = {pk: records.key("package", rows.get(pk, [])) for pk in ids}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in ids if keys[pk] not in found]
    if missing:
        built = {}
        for publication in with_record_data(Publication.objects.filter(pk__in=missing)):
            package = records.package(publication)
            built[records.key("package", record_fingerprints_of([publication]))] = package
            found[keys[publication.pk]] = package
        cache.set_many(built, RECORD_CACHE_SECONDS)
    return [found[keys[pk]] for pk in ids if keys[pk] in found]


@action
def package_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one published dataset (id: its name or id) with its resources."""
    publication = publication_get(_required(data, "id"))
    return Records(request).package(publication)


@action
def package_search(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Search the published datasets: q, fq, rows (at most 1000), start, sort, facet.field; full records."""
    params = ckan_params.search_params(data)
    records = Records(request)
    facets: dict[str, dict[str, int]] = {field: {} for field in params.facet_fields}
    count, results = 0, []
    if not params.nothing:
        publications = catalogue(params.filters)
        count = publications.order_by().values("pk").count()
        if params.rows and params.start < count:
            ids = list(publications.values_list("pk", flat=True)[params.start : params.start + params.rows])
            results = kept_packages(records, ids)
        if count and params.facet_fields:
            facets = _facets(records, publications, params)
    request.api_records = len(results)  # type: ignore[attr-defined]  # the exchange log counts them
    return {
        "count": count,
        "facets": facets,
        "results": results,
        "sort": params.sort,
        "search_facets": _search_facets(records, facets),
    }


def _facets(records: Records, publications: Any, params: ckan_params.SearchParams) -> dict[str, dict[str, int]]:
    counted: dict[str, list[tuple[str, int]]] = {}
    with override(settings.LANGUAGE_CODE):  # display names in the catalogue's first language
        found = catalogue_facets(publications)
    records.remember_organizations({f.key: f.label for f in found.organization})
    counted["organization"] = [(f.key, f.count) for f in found.organization]
    counted["groups"] = [(f.key, f.count) for f in found.theme]
    counted["res_format"] = [(f.key.upper(), f.count) for f in found.format]
    counted["license_id"] = [(f.key, f.count) for f in found.licence]
    counted["tags"] = [(f.key, f.count) for f in found.keyword]
    limit = params.facet_limit if params.facet_limit >= 0 else None
    facets = {}
    for field in params.facet_fields:
        items = sorted(counted[field], key=lambda item: (-item[1], item[0]))[:limit]
        facets[field] = dict(items)
    return facets


def _search_facets(records: Records, facets: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Return the facets as CKAN restructures them: items with name, display_name and count, by display name."""
    restructured = {}
    for field, counts in facets.items():
        items = [
            {"name": name, "display_name": records.facet_label(field, name), "count": n} for name, n in counts.items()
        ]
        items.sort(key=lambda item: str(item["display_name"]), reverse=True)
        restructured[field] = {"title": field, "items": items}
    return restructured


@action
def organization_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the organizations that publish datasets (their names, or records with all_fields)."""
    organizations = list(published_organizations())
    sort = text(data, "sort").strip() or "name asc"
    field, _space, direction = sort.partition(" ")
    if field not in ("name", "package_count", "title") or direction.strip() not in ("", "asc", "desc"):
        raise CkanValidationError({"sort": [ckan_params.sort_message(sort)]})
    counts = {organization.pk: getattr(organization, "package_count", 0) for organization in organizations}
    keys: dict[str, Callable[[Any], Any]] = {
        "name": lambda o: o.code,
        "title": lambda o: o.name_ar,
        "package_count": lambda o: counts[o.pk],
    }
    organizations.sort(key=keys[field], reverse=direction.strip() == "desc")
    records = Records(request)
    if not _flag(data, "all_fields"):
        return [organization.code for organization in organizations]
    return [records.organization(organization, package_count=counts[organization.pk]) for organization in organizations]


@action
def organization_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one organization that publishes datasets (id: its name or id)."""
    organization = published_organization_get(_required(data, "id"))
    record = Records(request).organization(organization, package_count=getattr(organization, "package_count", 0))
    if _flag(data, "include_datasets"):
        records = Records(request)
        owned = catalogue(CatalogueFilters(organization=organization.code))
        record["packages"] = [records.package(p) for p in with_record_data(owned)[: ckan_params.ROWS_MAX]]
    return record


@action
def group_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the themes (EU data themes and the national taxonomy) as groups: names, or records with all_fields."""
    counts = {facet.key: facet.count for facet in catalogue_facets(catalogue(CatalogueFilters())).theme}
    groups = group_dicts(counts)
    if not _flag(data, "all_fields"):
        return [group["name"] for group in groups]
    return groups


@action
def tag_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Return the keywords of the published datasets (query narrows them; all_fields gives records)."""
    query = text(data, "query").strip().lower()
    names = sorted(facet.key for facet in catalogue_keywords(catalogue(CatalogueFilters())))
    if query:
        names = [name for name in names if query in name.lower()]
    if not _flag(data, "all_fields"):
        return names
    return [{"id": name, "name": name, "display_name": name, "vocabulary_id": None} for name in names]


@action
def resource_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Return one resource (file) of a published dataset (id: its id)."""
    resource = resource_get(_required(data, "id"))
    return Records(request).resource(resource, resource.publication)


def _flag(data: dict[str, Any], key: str) -> bool:
    value = data.get(key)
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("true", "1", "yes", "t", "y", "on")


# The door -------------------------------------------------------------------------------------

JSON_TYPE = "application/json;charset=utf-8"


def _answer(body: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(
        body, status=status, safe=False, content_type=JSON_TYPE, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _bad_request(message: str) -> JsonResponse:
    return _answer(f"Bad request - {message}", status=400)


def request_data(request: HttpRequest) -> dict[str, Any]:
    """Return the action's parameters as CKAN reads them: a form, else the query, else a JSON body."""

    def mixed(values: Any) -> dict[str, Any]:
        return {key: items[0] if len(items) == 1 else items for key, items in values.lists()}

    if request.method == "POST" and request.POST:
        form = mixed(request.POST)
        if len(form) == 1 and list(form.values())[0] in ("1", ""):  # a JSON object posted as a form's key
            try:
                parsed = json.loads(next(iter(form)))
            except ValueError:
                return form
            return parsed if isinstance(parsed, dict) else form
        return form
    if request.GET:
        return mixed(request.GET)
    if request.method == "POST" and request.body:
        parsed = json.loads(request.body)
        if not isinstance(parsed, dict):
            raise ValueError(f"Request data JSON decoded to {parsed!r} but it needs to be a dictionary.")
        return parsed
    return {}


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action_view(request: HttpRequest, name: str, version: str = "3") -> JsonResponse:
    """Answer one call of the Action API in CKAN's envelope, or with CKAN's error."""
    function = ACTIONS.get(name)
    if function is None:
        return _bad_request(f"Action name not known: {name}")
    envelope: dict[str, Any] = {"help": request.build_absolute_uri(f"/api/3/action/help_show?name={name}")}
    try:
        data = request_data(request)
    except ValueError as error:
        return _bad_request(f"JSON Error: {error}")
    try:
        envelope["result"] = function(request, data)
    except (Http404, NotFound):
        envelope.update(success=False, error={"message": "Not found", "__type": "Not Found Error"})
        return _answer(envelope, status=404)
    except CkanValidationError as error:
        envelope.update(success=False, error={"__type": "Validation Error", **error.errors})
        return _answer(envelope, status=409)
    envelope["success"] = True
    return _answer({"help": envelope["help"], "success": True, "result": envelope["result"]})


urlpatterns = [
    path("api/action/<str:name>", action_view, name="opendata-ckan-action"),
    # /api/3/action is what CKAN documents; /api/2 and /api/1 are what older harvesters (ckanext-harvest) call.
    re_path(r"^api/(?P<version>[123])/action/(?P<name>[^/]+)$", action_view, name="opendata-ckan-action-versioned"),
]
