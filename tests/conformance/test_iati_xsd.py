"""The IATI activity file validates against the official IATI 2.03 activities schema, read from the standards folder."""

import datetime

import pytest
from lxml import etree

from masar.core.services import model_update
from masar.opendata.iati import activities_document
from masar.portfolio.models import FundingKind, ProjectStatus
from tests.opendata.factories import make_donor_project
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests never sign in with a password: hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def schema(standards):
    return etree.XMLSchema(etree.parse(str(standards / "iati-2.03" / "iati-activities-schema.xsd")))


def assert_valid(schema, document):
    ok = schema.validate(etree.fromstring(etree.tostring(document, pretty_print=True)))
    errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
    assert ok, (
        f"the IATI file breaks the 2.03 schema:\n{errors}\n{etree.tostring(document, pretty_print=True).decode()}"
    )


def test_a_rich_donor_project_validates(
    schema, ministry_a, ministry_b, directorate_a, axis, manager_a, coordinator_a, national
):
    project = make_donor_project(
        "RICH-1",
        ministry_a,
        axis,
        partners=[ministry_b, directorate_a],
        manager=manager_a,
        coordinator=coordinator_a,
        national=national,
    )
    milestone = project.milestones.get()
    model_update(instance=milestone, actor=None, data={"actual_date": datetime.date(2026, 2, 10)}, expected_version=1)
    document = activities_document()
    activity = document.find("iati-activity")
    # Positive controls: the rich parts are there to be checked.
    for part in ("location", "budget", "transaction", "result/indicator/period/actual", "participating-org[@role='1']"):
        assert activity.find(part) is not None, part
    assert activity.find("activity-date[@type='2']") is not None
    assert_valid(schema, document)


def test_a_partnership_without_description_or_budget_validates(schema, ministry_a, ministry_b, axis, manager_a):
    make_project(
        "PPP-1",
        ministry_a,
        axis,
        funding_kind=FundingKind.PPP,
        status=ProjectStatus.COMPLETED,
        manager=manager_a,
    )
    document = activities_document()
    assert len(document) == 1
    assert_valid(schema, document)
