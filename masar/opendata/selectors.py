"""Reads of open data: the catalogue every door serves, its facets, and one representation per dataset.

Every open-data door (the portal, the CKAN Action API, DCAT-AP, the downloads) lists publications
through `catalogue` and describes one through `publication_record`; the condition of what is served is
the policy's `open_data_q`, and the rows are in the files generated from the public reader.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import override

from masar.arabic import fold
from masar.core import policy
from masar.opendata.models import (
    EuTheme,
    Licence,
    NationalTheme,
    Publication,
    Resource,
    ResourceFormat,
)
from masar.opendata.tables import table_of
from masar.organizations.models import Organization

LANGUAGES = ("ar", "fr", "en")
SORTS = {
    "name": ("name",),
    "title": ("title_ar", "name"),
    "metadata_modified": ("modified_at", "name"),
    "metadata_created": ("published_at", "name"),
    "id": ("uid",),
}


@dataclass(frozen=True)
class CatalogueFilters:
    """What narrows the open-data catalogue; every field left empty narrows nothing."""

    q: str = ""  # matched against names, titles, descriptions and keywords as Arabic is typed
    organization: str = ""  # the owner organization's code
    theme: str = ""  # an EuTheme or NationalTheme value
    format: str = ""  # a ResourceFormat value (every published dataset has each, once generated)
    licence: str = ""  # a Licence value
    keyword: str = ""
    modified_since: datetime.datetime | None = None
    modified_until: datetime.datetime | None = None
    names: tuple[str, ...] = ()  # only these datasets (by name)
    sort: tuple[tuple[str, bool], ...] = (("name", False),)  # (key of SORTS, descending)


def catalogue(filters: CatalogueFilters | None = None) -> QuerySet[Publication]:
    """Return the published datasets the open-data doors serve, narrowed and sorted by filters."""
    filters = filters or CatalogueFilters()
    publications = Publication.objects.filter(policy.open_data_q())
    if filters.q:
        for word in fold(filters.q).split():
            publications = publications.filter(search_text__contains=word)
    if filters.organization:
        publications = publications.filter(dataset__owner__code=filters.organization)
    if filters.theme:
        publications = publications.filter(theme_keys__contains=f" {filters.theme} ")
    if filters.format:
        publications = publications.filter(resources__format=filters.format)
    if filters.licence:
        publications = publications.filter(licence=filters.licence)
    if filters.keyword:
        publications = publications.filter(search_text__contains=fold(filters.keyword))
    if filters.modified_since is not None:
        publications = publications.filter(modified_at__gte=filters.modified_since)
    if filters.modified_until is not None:
        publications = publications.filter(modified_at__lte=filters.modified_until)
    if filters.names:
        publications = publications.filter(name__in=filters.names)
    ordering: list[str] = []
    for key, descending in filters.sort:
        ordering += [f"-{name}" if descending else name for name in SORTS[key]]
    return publications.order_by(*ordering, "pk").distinct()


def with_record_data(publications: QuerySet[Publication]) -> QuerySet[Publication]:
    """Return publications with what their records read, in a fixed number of queries whatever their number."""
    return publications.select_related("dataset__owner", "strategy", "indicator", "spatial").prefetch_related(
        Prefetch("resources", queryset=Resource.objects.defer("content").order_by("format"))
    )


@dataclass(frozen=True)
class Facet:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Facets:
    organization: list[Facet] = field(default_factory=list)
    theme: list[Facet] = field(default_factory=list)
    format: list[Facet] = field(default_factory=list)
    licence: list[Facet] = field(default_factory=list)
    keyword: list[Facet] = field(default_factory=list)


def _by_count(counts: dict[str, int], label: Any) -> list[Facet]:
    return [Facet(key, label(key), n) for key, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def catalogue_facets(publications: QuerySet[Publication]) -> Facets:
    """Return the counts per organization, theme, format, licence and keyword of these publications (two queries).

    One query reads what the facets of a publication are (its owner, themes, licence and keywords) and they are
    counted here; the other counts the files by format.
    """
    ids = publications.order_by().values("pk")
    owners: dict[str, int] = {}
    names: dict[str, str] = {}
    themes: dict[str, int] = {}
    licences: dict[str, int] = {}
    keywords: dict[str, int] = {}
    language = _language()
    rows = (
        Publication.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "dataset__owner__code",
            f"dataset__owner__name_{language}",
            "dataset__owner__name_ar",
            "theme_keys",
            "licence",
            "keywords",
        )
    )
    for code, name, name_ar, theme_keys, licence, words in rows:
        owners[code] = owners.get(code, 0) + 1
        names[code] = name or name_ar
        for key in theme_keys.split():
            themes[key] = themes.get(key, 0) + 1
        licences[licence] = licences.get(licence, 0) + 1
        for word in dict.fromkeys(str(k) for k in words or ()):
            keywords[word] = keywords.get(word, 0) + 1
    labels = {**dict(EuTheme.choices), **dict(NationalTheme.choices)}
    formats = [
        Facet(row["format"], str(ResourceFormat(row["format"]).label), row["n"])
        for row in Resource.objects.filter(publication__in=ids)
        .values("format")
        .annotate(n=Count("publication", distinct=True))
        .order_by("format")
    ]
    return Facets(
        organization=_by_count(owners, names.__getitem__),
        theme=_by_count(themes, lambda key: str(labels.get(key, key))),
        format=formats,
        licence=_by_count(licences, lambda key: str(Licence(key).label)),
        keyword=_by_count(keywords, str),
    )


def catalogue_keywords(publications: QuerySet[Publication]) -> list[Facet]:
    """Return the keywords of these publications with how many use each, most used first (one query)."""
    counts: dict[str, int] = {}
    served = Publication.objects.filter(pk__in=publications.order_by().values("pk")).order_by()
    for keywords in served.values_list("keywords", flat=True):
        for keyword in dict.fromkeys(str(k) for k in keywords or ()):
            counts[keyword] = counts.get(keyword, 0) + 1
    return [Facet(key, key, n) for key, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def _language() -> str:
    from django.utils.translation import get_language

    language = (get_language() or "ar")[:2]
    return language if language in LANGUAGES else "ar"


def publication_get(name_or_id: str) -> Publication:
    """Return the published dataset with this name or id (CKAN accepts either), or raise Http404."""
    publications = with_record_data(Publication.objects.filter(policy.open_data_q()))
    match = Q(name=name_or_id)
    if _is_uuid(name_or_id):
        match |= Q(uid=name_or_id)
    publication = publications.filter(match).first()
    if publication is None:
        raise Http404
    return publication


def resource_get(resource_id: str) -> Resource:
    """Return the published resource with this id (its publication served by the doors), or raise Http404."""
    if not _is_uuid(resource_id):
        raise Http404
    resource = (
        Resource.objects.filter(uid=resource_id, publication__in=Publication.objects.filter(policy.open_data_q()))
        .select_related("publication")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def resource_file(name: str, fmt: str) -> Resource:
    """Return the file of a published dataset in one format (with its content), or raise Http404."""
    resource = (
        Resource.objects.filter(
            publication__name=name, format=fmt, publication__in=Publication.objects.filter(policy.open_data_q())
        )
        .select_related("publication")
        .first()
    )
    if resource is None:
        raise Http404
    return resource


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def published_organizations() -> QuerySet[Organization]:
    """Return the organizations that own at least one published dataset, with how many."""
    served = Publication.objects.filter(policy.open_data_q())
    return (
        Organization.objects.filter(datasets__publications__in=served)
        .annotate(
            package_count=Count("datasets__publications", filter=Q(datasets__publications__in=served), distinct=True)
        )
        .order_by("code")
    )


def published_organization_get(code_or_id: str) -> Organization:
    """Return the organization owning published datasets with this code or id (with its count), or raise Http404."""
    match = Q(code=code_or_id)
    if code_or_id.isdigit():
        match |= Q(pk=int(code_or_id))
    organization = published_organizations().filter(match).first()
    if organization is None:
        raise Http404
    return organization


@dataclass(frozen=True)
class DictionaryEntry:
    name: str
    type: str
    meaning: dict[str, str]  # per language
    unit: dict[str, str]


def data_dictionary(publication: Publication) -> list[DictionaryEntry]:
    """Return the columns of a published dataset with their meaning and unit in Arabic, French and English."""
    entries = []
    indicator = publication.indicator
    for column in table_of(publication).columns:
        meaning, unit = {}, {}
        for language in LANGUAGES:
            with override(language):
                meaning[language] = str(column.meaning)
                unit[language] = str(column.unit)
                if indicator is not None and column.name == "value":
                    unit[language] = getattr(indicator, f"unit_{language}", "") or indicator.unit_ar
        entries.append(DictionaryEntry(column.name, column.type, meaning, unit))
    return entries


def catalogue_publisher() -> Organization | None:
    """Return the organization that publishes the catalogue: the government at the root of the tree."""
    return Organization.objects.filter(parent__isnull=True).order_by("path").first()


# What a record of the catalogue says changes only when one of these does (its own, its dataset's, its owner's and
# region's versions, its files); the DCAT pages are kept in the cache under them.
FINGERPRINT_FIELDS = (
    "pk",
    "uid",
    "version",
    "updated_at",
    "modified_at",
    "dataset__version",
    "dataset__updated_at",
    "dataset__owner_id",
    "dataset__owner__version",
    "dataset__owner__updated_at",
    "spatial_id",
    "spatial__version",
    "spatial__updated_at",
    "strategy__version",
    "indicator__version",
)
RESOURCE_FINGERPRINT_FIELDS = ("publication_id", "format", "uid", "sha256", "size", "modified_at")


def record_fingerprints(publications: QuerySet[Publication]) -> list[tuple[Any, ...]]:
    """Return the fingerprint rows of these publications and their files, in two queries, without loading them."""
    rows = list(publications.values_list(*FINGERPRINT_FIELDS))
    files: dict[int, list[tuple[Any, ...]]] = {}
    resources = Resource.objects.filter(publication_id__in=[row[0] for row in rows]).order_by("format")
    for resource in resources.values_list(*RESOURCE_FINGERPRINT_FIELDS):
        files.setdefault(resource[0], []).append(resource)
    return [fingerprint for row in rows for fingerprint in (row, *files.get(row[0], []))]


def record_fingerprints_of(publications: list[Publication]) -> list[tuple[Any, ...]]:
    """Return the same rows as `record_fingerprints` for publications loaded `with_record_data`."""

    def value(record: Any, path: str) -> Any:
        for name in path.split("__"):
            if record is None:
                return None
            record = getattr(record, name)
        return record

    fingerprints = []
    for publication in publications:
        fingerprints.append(tuple(value(publication, path) for path in FINGERPRINT_FIELDS))
        for resource in publication.resources.all():
            fingerprints.append(tuple(getattr(resource, name) for name in RESOURCE_FINGERPRINT_FIELDS))
    return fingerprints
