"""Reads of the inventory of datasets (data governance), as each reader may see it.

The inventory is read through the policy's `inventory_q`: the national unit and inspectors see every
dataset, a coordinator those owned in their subtree, other civil servants those of their organization's
line and those they steward, the public only the datasets published as open data. What hangs from a
dataset (its publications, its requested changes) is read here too, so every page reads it alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404

from masar.core import policy
from masar.opendata.models import Dataset, DatasetChange, Publication


@dataclass(frozen=True)
class DatasetFilters:
    """What narrows the inventory; every field left empty narrows nothing."""

    owner: Any = None  # an Organization: the datasets it owns (not its subtree's)
    classification: str = ""  # a Classification value
    record_type: str = ""  # a RecordType value
    personal_data: bool | None = None
    steward: Any = None  # a User


def dataset_list(reader: Any, filters: DatasetFilters | None = None) -> QuerySet[Dataset]:
    """Return the datasets of the inventory this reader sees, narrowed by filters, by code."""
    filters = filters or DatasetFilters()
    datasets = Dataset.objects.filter(policy.inventory_q(reader))
    if filters.owner is not None:
        datasets = datasets.filter(owner=filters.owner)
    if filters.classification:
        datasets = datasets.filter(classification=filters.classification)
    if filters.record_type:
        datasets = datasets.filter(record_type=filters.record_type)
    if filters.personal_data is not None:
        datasets = datasets.filter(personal_data=filters.personal_data)
    if filters.steward is not None:
        datasets = datasets.filter(steward=filters.steward)
    return datasets.select_related("owner", "steward").order_by("code")


def dataset_get(reader: Any, code: str) -> Dataset:
    """Return the dataset with this code when this reader sees it in the inventory, or raise Http404."""
    dataset = dataset_list(reader).filter(code=code).first()
    if dataset is None:
        raise Http404
    return dataset


def stewards(reader: Any) -> QuerySet[Any]:
    """Return the people who steward a dataset this reader sees, for the inventory's filter (none for the public)."""
    if not policy.may_see_staff(reader):
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(stewarded_datasets__in=Dataset.objects.filter(policy.inventory_q(reader)))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def steward_candidates(dataset: Dataset) -> QuerySet[Any]:
    """Return who may be named a dataset's steward: the active people of the owner's subtree, and its steward."""
    people = get_user_model().objects.filter(is_active=True, organization__path__startswith=dataset.owner.path)
    if dataset.steward_id is not None:
        people = people | get_user_model().objects.filter(pk=dataset.steward_id)
    return people.distinct().order_by("last_name", "first_name", "username")


def dataset_publications(reader: Any, dataset: Dataset) -> QuerySet[Publication]:
    """Return the publications of a dataset this reader sees (`policy.publications_q`)."""
    publications = Publication.objects.filter(policy.publications_q(reader), dataset=dataset)
    return publications.select_related("decided_by", "proposed_by").order_by("name")


def publication_for_reader(reader: Any, name: str) -> Publication:
    """Return the publication with this name when this reader sees it from the inventory, or raise Http404."""
    publications = Publication.objects.filter(policy.publications_q(reader))
    publication = (
        publications.filter(name=name)
        .select_related(
            "dataset__owner", "dataset__steward", "strategy", "indicator", "spatial", "proposed_by", "decided_by"
        )
        .first()
    )
    if publication is None:
        raise Http404
    return publication


def dataset_changes(reader: Any, dataset: Dataset) -> QuerySet[DatasetChange]:
    """Return the requested changes of a dataset's classification or owner, for civil servants (none for the public).

    A request carries its reasons and the names of who asked and decided: internal material.
    """
    if not policy.may_see_staff(reader):
        return DatasetChange.objects.none()
    return DatasetChange.objects.filter(dataset=dataset).select_related("owner", "requested_by", "decided_by")


def change_for_reader(reader: Any, pk: int) -> DatasetChange:
    """Return a requested change of a dataset this reader sees, or raise Http404."""
    change = (
        DatasetChange.objects.filter(pk=pk, dataset__in=Dataset.objects.filter(policy.inventory_q(reader)))
        .select_related("dataset__owner")
        .first()
    )
    if change is None or not policy.may_see_staff(reader):
        raise Http404
    return change
