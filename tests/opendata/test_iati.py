"""The IATI activity file: which projects it publishes, what each activity says, and what never leaves."""

import datetime

import pytest
from django.utils import translation
from lxml import etree

from masar.core.models import Classification
from masar.core.services import model_update
from masar.opendata.iati import activities_document
from masar.opendata.sectors import dac_sector, theme_of
from masar.portfolio.models import FundingKind, ProjectStatus
from masar.strategy.models import Axis
from tests.indicators.factories import make_indicator
from tests.opendata.factories import make_donor_project
from tests.portfolio.factories import make_project

LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The users of these tests never sign in with a password: hash them cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(manager_a, coordinator_a, national):
    return dict(manager=manager_a, coordinator=coordinator_a, national=national)


@pytest.fixture
def donor_project(ministry_a, ministry_b, axis, people):
    return make_donor_project("DON-1", ministry_a, axis, partners=[ministry_b], **people)


def activities():
    return {a.findtext("iati-identifier"): a for a in activities_document().iter("iati-activity")}


def narratives(element):
    return {n.get(LANG): n.text for n in element.findall("narrative")}


def test_a_public_donor_project_is_published_with_its_fields(donor_project, ministry_a, ministry_b):
    activity = activities()["TN-GOV-MTC-DON-1"]
    assert activity.get("default-currency") == "EUR" and activity.get(LANG) == "ar"
    assert activity.get("last-updated-datetime").startswith(donor_project.updated_at.date().isoformat())
    reporting = activity.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("TN-GOV-MTC", "10")
    assert narratives(activity.find("title")) == {"ar": "مشروع DON-1", "fr": "Projet DON-1", "en": "Project DON-1"}
    assert narratives(activity.find("description")) == {
        "ar": "رقمنة الخدمات الإدارية",
        "fr": "Numérisation des services administratifs",
    }
    roles = [(o.get("role"), narratives(o).get("ar")) for o in activity.findall("participating-org")]
    with translation.override("ar"):
        donor = str(FundingKind.DONOR.label)
    assert roles == [("1", donor), ("2", ministry_a.name_ar), ("2", ministry_b.name_ar), ("4", ministry_a.name_ar)]
    assert activity.find("activity-status").get("code") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates == {"1": "2026-01-01", "3": "2026-12-31"}
    assert activity.find("recipient-country").get("code") == "TN"
    assert [narratives(loc.find("name"))["ar"] for loc in activity.findall("location")] == ["تونس", "صفاقس"]
    assert activity.find("sector").attrib == {"vocabulary": "1", "code": "15110", "percentage": "100"}
    budget = activity.find("budget")
    assert budget.findtext("value") == "1200000" and budget.find("value").get("currency") == "EUR"
    assert budget.find("period-start").get("iso-date") == "2026-01-01"
    # Updates of January (public), February (restricted) and March (public): the public figures' rises.
    spend = [(t.find("transaction-date").get("iso-date"), t.findtext("value")) for t in activity.iter("transaction")]
    assert spend == [("2026-01-31", "100000"), ("2026-03-31", "300000")]
    assert {t.find("transaction-type").get("code") for t in activity.iter("transaction")} == {"4"}
    result = activity.find("result")
    assert result.get("type") == "1"
    indicator = result.find("indicator")
    assert narratives(indicator.find("title"))["en"] == "Services online DON-1"
    assert indicator.find("baseline").attrib == {"year": "2025", "iso-date": "2025-01-01", "value": "10"}
    periods = [
        (p.find("period-start").get("iso-date"), p.find("target").get("value"), p.find("actual"))
        for p in indicator.iter("period")
    ]
    assert [(start, target) for start, target, _ in periods] == [("2025-01-01", "20"), ("2026-01-01", "40")]
    assert periods[0][2].get("value") == "18" and periods[1][2] is None


def test_restricted_confidential_and_home_funded_projects_never_appear(ministry_a, ministry_b, axis, people):
    make_donor_project("DON-PUB", ministry_a, axis, partners=[], **people)
    for code, level in (("DON-R", Classification.RESTRICTED), ("DON-C", Classification.CONFIDENTIAL)):
        make_donor_project(code, ministry_a, axis, partners=[ministry_b], classification=level, **people)
    make_project("HOME-1", ministry_a, axis)  # state budget, no partner
    make_project("HOME-P", ministry_a, axis, partners=[ministry_b])  # state budget with a partner: published
    make_project("PPP-1", ministry_a, axis, funding_kind=FundingKind.PPP)
    body = etree.tostring(activities_document(), encoding="unicode")
    assert sorted(activities()) == ["TN-GOV-MTC-DON-PUB", "TN-GOV-MTC-HOME-P", "TN-GOV-MTC-PPP-1"]
    for hidden in ("DON-R", "DON-C", "HOME-1"):
        assert hidden not in body


def test_a_project_classified_later_leaves_the_next_file(donor_project, national):
    assert "TN-GOV-MTC-DON-1" in activities()
    model_update(
        instance=donor_project,
        actor=national,
        data={"classification": Classification.CONFIDENTIAL},
        expected_version=donor_project.version,
    )
    assert activities() == {}


def test_nothing_internal_is_published(donor_project, manager_a, ministry_a):
    manager_a.first_name, manager_a.last_name = "Salma", "Ben Ali"
    manager_a.save()
    make_indicator("SECRET-IND", ministry_a, classification=Classification.RESTRICTED, projects=[donor_project])
    body = etree.tostring(activities_document(), encoding="unicode")
    assert "Services online DON-1" in body  # positive control: the public indicator is there
    for internal in ("Salma", "Ben Ali", "manager_a", "ملاحظة داخلية", "SECRET-IND", "250000", "restricted", "public"):
        assert internal not in body, internal


def test_narratives_carry_only_the_languages_filled_in(ministry_a, ministry_b, axis):
    make_project("AR-ONLY", ministry_a, axis, partners=[ministry_b])
    activity = activities()["TN-GOV-MTC-AR-ONLY"]
    assert narratives(activity.find("title")) == {"ar": "مشروع AR-ONLY"}
    # IATI requires a description: a project without one is described by its name.
    assert narratives(activity.find("description")) == {"ar": "مشروع AR-ONLY"}
    assert activity.find("budget") is None and activity.find("transaction") is None and activity.find("result") is None


def test_the_reporting_organisation_and_country_come_from_the_settings(donor_project, ministry_a, settings):
    settings.IATI_REPORTING_ORG_REF = "XM-DAC-99"
    settings.IATI_RECIPIENT_COUNTRY = "MA"
    settings.OPENDATA_PUBLISHER_CODE = ministry_a.code
    activity = activities()["XM-DAC-99-DON-1"]
    assert narratives(activity.find("reporting-org"))["fr"] == ministry_a.name_fr
    assert activity.find("recipient-country").get("code") == "MA"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (ProjectStatus.PLANNED, "1"),
        (ProjectStatus.IN_PROGRESS, "2"),
        (ProjectStatus.COMPLETED, "3"),
        (ProjectStatus.CANCELLED, "5"),
        (ProjectStatus.SUSPENDED, "6"),
    ],
)
def test_the_status_maps_to_iati_activity_status(ministry_a, axis, status, code):
    make_project("ST-1", ministry_a, axis, funding_kind=FundingKind.DONOR, status=status)
    assert activities()["TN-GOV-MTC-ST-1"].find("activity-status").get("code") == code


def test_actual_dates_come_from_the_milestones_reached(donor_project):
    milestone = donor_project.milestones.get()
    model_update(instance=milestone, actor=None, data={"actual_date": datetime.date(2026, 2, 10)}, expected_version=1)
    dates = {d.get("type"): d.get("iso-date") for d in activities()["TN-GOV-MTC-DON-1"].findall("activity-date")}
    assert dates["2"] == "2026-02-10" and "4" not in dates  # in progress: no actual end
    model_update(
        instance=donor_project,
        actor=None,
        data={"status": ProjectStatus.COMPLETED},
        expected_version=donor_project.version,
    )
    dates = {d.get("type"): d.get("iso-date") for d in activities()["TN-GOV-MTC-DON-1"].findall("activity-date")}
    assert dates["4"] == "2026-02-10"


def test_the_file_reads_a_fixed_number_of_queries(ministry_a, ministry_b, axis, people, django_assert_max_num_queries):
    make_donor_project("Q-1", ministry_a, axis, partners=[ministry_b], **people)
    with django_assert_max_num_queries(12):
        assert len(activities_document()) == 1
    for n in range(2, 6):
        make_donor_project(f"Q-{n}", ministry_a, axis, partners=[ministry_b], **people)
    with django_assert_max_num_queries(12):
        assert len(activities_document()) == 5


def test_the_file_is_served_at_the_site_root(donor_project, client):
    response = client.get("/iati/activities.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    document = etree.fromstring(response.content)
    assert document.get("version") == "2.03" and len(document) == 1
    assert client.post("/iati/activities.xml").status_code == 405


@pytest.mark.parametrize(
    ("names", "code"),
    [
        (("التحول الرقمي للإدارة", "Transformation numérique de l'administration", ""), "15110"),
        (("تعزيز الاقتصاد الرقمي", "", "Strengthening the digital economy"), "25010"),
        (("الأمن السيبراني والثقة الرقمية", "", ""), "22010"),
        (("البنية التحتية الرقمية", "", ""), "22020"),
        (("الخدمات الحكوميّة الالكترونيّة", "", ""), "15110"),
        (("البيئة التّمكينيّة للتّحوّل الرّقمي", "", "Enabling environment for digital transformation"), "22040"),
    ],
)
def test_axes_map_to_dac_sectors(program, names, code):
    axis = Axis(strategy=program, order=9, name_ar=names[0], name_fr=names[1], name_en=names[2])
    project = type("P", (), {"axis": axis, "program": None})()
    assert dac_sector(project) == code
    assert (theme_of(axis) is None) == (code == "22040")


def test_a_project_without_axis_or_program_is_ict(ministry_a, program):
    project = make_project("NO-AXIS", ministry_a, None, strategy=program, partners=[])
    assert dac_sector(project) == "22040"
