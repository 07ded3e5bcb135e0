"""CKAN's records of the catalogue: a published dataset as a package, its files as resources, owners as
organizations and themes as groups — the same record from package_show, package_search and resource_show.

Single-language fields (title, notes, organization and group titles) are in Arabic, the catalogue's first
language; `title_translated`/`notes_translated` carry ar/fr/en (the ckanext-fluent convention). Dates are
UTC without a suffix, as CKAN writes them. No staff name, e-mail, classification or note is ever written.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import override

from masar.opendata.models import EuTheme, Licence, NationalTheme, Publication, Resource, ResourceFormat
from masar.organizations.models import Organization

LANGUAGES = ("ar", "fr", "en")
FORMAT_ORDER = tuple(sorted(ResourceFormat.values))  # the order of a package's resources (with_record_data's)
EU_THEME_URI = "http://publications.europa.eu/resource/authority/data-theme/"
PORTAL_URL_NAME = "opendata-catalogue-detail"  # the portal's page of one published dataset (kwargs: name)
PLACEHOLDER = "__ckan_name__"
RECORD_KEY_VERSION = 1  # raised when a record changes shape, so records kept before are not served


def iso(moment: datetime.datetime | None) -> str | None:
    """Return a moment as CKAN writes it: UTC, microseconds, no suffix."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


@functools.cache
def _labels(choices: type[models.TextChoices]) -> dict[str, dict[str, str]]:
    """Return the label of each value of an enumeration in Arabic, French and English."""
    labels: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        with override(language):
            for value, label in choices.choices:
                labels.setdefault(value, {})[language] = str(label)
    return labels


def _translated(obj: Any, field: str) -> dict[str, str]:
    return {language: getattr(obj, f"{field}_{language}", "") or "" for language in LANGUAGES}


def group_dict(key: str) -> dict[str, Any]:
    """Return a theme (an EU data theme or a national one) as a CKAN group."""
    labels = {**_labels(EuTheme), **_labels(NationalTheme)}.get(key, {language: key for language in LANGUAGES})
    return {
        "id": key,
        "name": key,
        "title": labels["ar"],
        "title_translated": labels,
        "display_name": labels["ar"],
        "description": "",
        "image_display_url": "",
    }


def group_dicts(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Return every theme as a full CKAN group record, with how many served datasets it holds."""
    return [
        {
            **group_dict(key),
            "type": "group",
            "is_organization": False,
            "state": "active",
            "approval_status": "approved",
            "image_url": "",
            "package_count": counts.get(key, 0),
        }
        for key in (*EuTheme.values, *NationalTheme.values)
    ]


class Records:
    """Build CKAN records for one request (absolute addresses are those of its host)."""

    def __init__(self, request: HttpRequest):
        self.request = request
        download = reverse("opendata-resource-download", kwargs={"name": PLACEHOLDER, "fmt": "csv"})
        self._download = request.build_absolute_uri(download.removesuffix(".csv"))
        with override(settings.LANGUAGE_CODE):
            portal = reverse(PORTAL_URL_NAME, kwargs={"name": PLACEHOLDER})
        self._portal = request.build_absolute_uri(portal)
        self._organization_titles: dict[str, str] = {}

    def key(self, kind: str, fingerprints: list[tuple[Any, ...]]) -> str:
        """Return the cache key of a record built from rows with these fingerprints, for this site's addresses."""
        facts = [RECORD_KEY_VERSION, kind, self._download, self._portal, *fingerprints]
        return "opendata:ckan:" + hashlib.sha256(repr(facts).encode()).hexdigest()

    # Organizations and facets

    def organization(self, organization: Organization, *, package_count: int | None = None) -> dict[str, Any]:
        record = {
            "id": str(organization.pk),
            "name": organization.code,
            "title": organization.name_ar,
            "title_translated": _translated(organization, "name"),
            "display_name": organization.name_ar,
            "description": organization.description_ar,
            "type": "organization",
            "is_organization": True,
            "state": "active",
            "approval_status": "approved",
            "image_url": "",
            "image_display_url": "",
        }
        if package_count is not None:
            record["package_count"] = package_count
        self._organization_titles[organization.code] = organization.name_ar
        return record

    def remember_organizations(self, titles: dict[str, str]) -> None:
        self._organization_titles.update(titles)

    def facet_label(self, field: str, name: str) -> str:
        """Return what a facet value is shown as (CKAN's display_name)."""
        if field == "organization":
            return self._organization_titles.get(name) or name
        if field == "groups":
            return group_dict(name)["display_name"]
        if field == "license_id":
            return _labels(Licence).get(name, {}).get("ar", name)
        return name

    # Packages and resources

    def resource(self, resource: Resource, publication: Publication) -> dict[str, Any]:
        fmt = str(resource.format)
        return {
            "id": str(resource.uid),
            "package_id": str(publication.uid),
            "name": f"{publication.name}.{fmt}",
            "description": "",
            "format": fmt.upper(),
            "mimetype": resource.media_type,
            "url": self._download.replace(PLACEHOLDER, publication.name) + f".{fmt}",
            "size": resource.size,
            "hash": resource.sha256,
            "rows": resource.row_count,
            "created": iso(publication.published_at),
            "last_modified": iso(resource.modified_at),
            "metadata_modified": iso(resource.modified_at),
            "position": FORMAT_ORDER.index(fmt) if fmt in FORMAT_ORDER else len(FORMAT_ORDER),
            "datastore_active": False,
            "state": "active",
            "url_type": None,
            "cache_url": None,
            "resource_type": None,
        }

    def package(self, publication: Publication) -> dict[str, Any]:
        """Return a published dataset as CKAN's package record (with_record_data's publication: no query)."""
        owner = publication.dataset.owner
        organization = self.organization(owner)
        resources = [self.resource(resource, publication) for resource in publication.resources.all()]
        keywords = list(dict.fromkeys(str(keyword) for keyword in publication.keywords or ()))
        themes = [*(publication.themes or ()), *(publication.national_themes or ())]
        licence = _labels(Licence).get(publication.licence, {})
        return {
            "id": str(publication.uid),
            "name": publication.name,
            "title": publication.title_ar,
            "title_translated": _translated(publication, "title"),
            "notes": publication.description_ar,
            "notes_translated": _translated(publication, "description"),
            "url": self._portal.replace(PLACEHOLDER, publication.name),
            "license_id": publication.licence,
            "license_title": licence.get("ar", publication.licence),
            "license_url": publication.licence_url,
            "isopen": True,
            "metadata_created": iso(publication.published_at or publication.created_at),
            "metadata_modified": iso(publication.modified_at or publication.published_at),
            "organization": organization,
            "owner_org": organization["id"],
            "author": None,
            "author_email": None,
            "maintainer": None,
            "maintainer_email": None,
            "creator_user_id": None,
            "version": None,
            "tags": [
                {"name": keyword, "display_name": keyword, "state": "active", "vocabulary_id": None}
                for keyword in keywords
            ],
            "groups": [group_dict(str(theme)) for theme in themes],
            "extras": self._extras(publication),
            "num_resources": len(resources),
            "num_tags": len(keywords),
            "state": "active",
            "type": "dataset",
            "private": False,
            "resources": resources,
            "relationships_as_object": [],
            "relationships_as_subject": [],
        }

    def _extras(self, publication: Publication) -> list[dict[str, str]]:
        values: dict[str, str] = {
            "public_view": publication.view,
            "frequency": publication.dataset.update_frequency,
            "theme": json.dumps([EU_THEME_URI + str(theme) for theme in publication.themes or ()]),
            "national_themes": json.dumps([str(theme) for theme in publication.national_themes or ()]),
            # The data dictionary's reference: the JSON file's "schema" (Table Schema) names and types the columns.
            "data_dictionary": self._download.replace(PLACEHOLDER, publication.name) + f".{ResourceFormat.JSON}",
        }
        if publication.temporal_start:
            values["temporal_start"] = publication.temporal_start.isoformat()
        if publication.temporal_end:
            values["temporal_end"] = publication.temporal_end.isoformat()
        if publication.spatial is not None:  # spatial_* keys: a bare `spatial` extra must be GeoJSON for CKAN
            values["spatial_code"] = publication.spatial.code
            values["spatial_text"] = publication.spatial.name_ar
        if publication.strategy is not None:
            values["strategy"] = publication.strategy.code
        if publication.indicator is not None:
            values["indicator"] = publication.indicator.code
        return [{"key": key, "value": values[key]} for key in sorted(values)]
