from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from masar.core.services import model_create, model_update, tree_node_place
from masar.organizations.models import Mission, Organization, Region

if TYPE_CHECKING:
    from typing import Any

    from masar.accounts.models import User


@transaction.atomic
def organization_create(*, actor: User | None, **data: Any) -> Organization:
    organization = model_create(model=Organization, actor=actor, data=data)
    tree_node_place(organization)
    return organization


@transaction.atomic
def organization_update(
    *, organization: Organization, actor: User | None, expected_version: int | None, **data: Any
) -> Organization:
    organization = model_update(instance=organization, actor=actor, data=data, expected_version=expected_version)
    tree_node_place(organization)
    return organization


def mission_create(*, actor: User | None, **data: Any) -> Mission:
    return model_create(model=Mission, actor=actor, data=data)


@transaction.atomic
def region_create(*, actor: User | None, **data: Any) -> Region:
    region = model_create(model=Region, actor=actor, data=data)
    tree_node_place(region)
    return region
