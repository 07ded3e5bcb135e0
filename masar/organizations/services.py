from django.db import transaction

from masar.core.services import model_create, model_update, tree_node_place
from masar.organizations.models import Mission, Organization, Region


@transaction.atomic
def organization_create(*, actor, **data):
    organization = model_create(model=Organization, actor=actor, data=data)
    tree_node_place(organization)
    return organization


@transaction.atomic
def organization_update(*, organization, actor, expected_version, **data):
    organization = model_update(instance=organization, actor=actor, data=data, expected_version=expected_version)
    tree_node_place(organization)
    return organization


def mission_create(*, actor, **data):
    return model_create(model=Mission, actor=actor, data=data)


@transaction.atomic
def region_create(*, actor, **data):
    region = model_create(model=Region, actor=actor, data=data)
    tree_node_place(region)
    return region
