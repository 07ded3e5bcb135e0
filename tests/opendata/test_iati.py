"""The IATI activity file: which projects it publishes, what each activity says, and what never leaves."""

import pytest
from lxml import etree

from masar.opendata.iati import activities_document
from tests.opendata.factories import make_donor_project


@pytest.fixture
def donor_project(ministry_a, ministry_b, axis, manager_a, coordinator_a, national):
    return make_donor_project(
        "DON-1", ministry_a, axis, partners=[ministry_b], manager=manager_a, coordinator=coordinator_a, national=national
    )


def test_smoke(donor_project):
    print(etree.tostring(activities_document(), pretty_print=True).decode())
