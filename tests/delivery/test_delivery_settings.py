"""The delivery unit's settings: the values in force drive the rating; only the national unit changes them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from masar.audit.models import Action, AuditEntry
from masar.core.errors import StaleEditError
from masar.delivery.configuration import settings_in_force
from masar.delivery.models import Confidence, DeliverySettings, ProjectHealth
from masar.delivery.reminders import reminders_send
from masar.delivery.selectors import reminders_due
from masar.delivery.services.ratings import project_health_refresh
from masar.delivery.services.settings import delivery_settings_update
from masar.portfolio.models import ProjectStatus
from masar.portfolio.services import milestone_create
from tests.portfolio.factories import make_project

TODAY = datetime.date(2026, 5, 20)
URL = "/fr/delivery/settings/"


def form_data(**changes):
    current = settings_in_force()
    data = {
        field.name: getattr(current, field.name)
        for field in DeliverySettings._meta.fields
        if field.editable and field.name not in ("id", "version")
    }
    data.update(changes)
    data["version"] = current.version
    return data


@pytest.fixture
def project(ministry_a, axis):
    project = make_project(
        "P-1", ministry_a, axis, planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2026, 12, 31)
    )
    milestone_create(
        actor=None, project=project, order=1, name_ar="إطلاق", planned_date=TODAY - datetime.timedelta(days=20)
    )
    return project


def test_a_changed_threshold_changes_a_computed_rating_after_refresh_and_is_audited(project, national):
    project_health_refresh(project=project, today=TODAY)
    assert ProjectHealth.objects.get(project=project).computed == Confidence.AMBER_GREEN  # 20 days late
    delivery_settings_update(actor=national, data={"schedule_green_days": 25}, expected_version=1)
    project_health_refresh(project=project, today=TODAY)
    assert ProjectHealth.objects.get(project=project).computed == Confidence.GREEN
    entry = AuditEntry.objects.for_object(settings_in_force()).filter(actor=national, action=Action.UPDATE).get()
    assert "schedule_green_days" in entry.changes


def test_only_the_national_unit_edits_the_delivery_settings(coordinator_a, viewer_a, national, client_for):
    assert client_for(coordinator_a).get(URL).status_code == 403
    assert client_for(viewer_a).get(URL).status_code == 403
    anonymous = client_for(None).get(URL)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(coordinator_a).post(URL, form_data(rebaseline_cap=5)).status_code == 403
    with pytest.raises(PermissionDenied):
        delivery_settings_update(actor=coordinator_a, data={"rebaseline_cap": 5}, expected_version=1)
    assert not DeliverySettings.objects.exists()
    assert client_for(national).get(URL).status_code == 200
    response = client_for(national).post(URL, form_data(rebaseline_cap=5))
    assert response.status_code == 302
    assert settings_in_force().rebaseline_cap == 5 and settings_in_force().version == 2


def test_a_stale_edit_of_the_settings_is_refused(national, client_for):
    stale = form_data(rebaseline_cap=4)
    delivery_settings_update(actor=national, data={"rebaseline_cap": 3}, expected_version=1)
    response = client_for(national).post(URL, stale)
    assert response.status_code == 409
    assert settings_in_force().rebaseline_cap == 3
    with pytest.raises(StaleEditError):
        delivery_settings_update(actor=national, data={"rebaseline_cap": 4}, expected_version=1)


def test_bands_that_do_not_rise_are_refused(national, client_for):
    response = client_for(national).post(URL, form_data(schedule_amber_green_days=10))
    assert response.status_code == 400 and not DeliverySettings.objects.exists()


def test_the_rules_page_shows_the_values_in_force(national, client_for):
    html = client_for(None).get("/en/delivery/rules/").content.decode()
    assert "up to 89 days" in html and "up to 137 days" not in html
    delivery_settings_update(
        actor=national,
        data={"schedule_amber_red_days": 137, "cost_amber_red_ratio": Decimal("1.50"), "update_due_day": 7},
        expected_version=1,
    )
    html = client_for(None).get("/en/delivery/rules/").content.decode()
    assert "up to 137 days" in html and "up to 89 days" not in html
    assert "up to 50 % above plan" in html and "day 7 of the next month" in html


def test_the_due_day_in_force_decides_when_reminders_go_out(national):
    assert not reminders_due(datetime.date(2026, 5, 9), settings_in_force().update_due_day)
    assert reminders_due(datetime.date(2026, 5, 10), settings_in_force().update_due_day)
    delivery_settings_update(actor=national, data={"update_due_day": 5}, expected_version=1)
    assert reminders_due(datetime.date(2026, 5, 5), settings_in_force().update_due_day)


def test_reminders_of_missing_updates_follow_the_due_day_in_force(ministry_a, axis, manager_a, national):
    make_project(
        "P-LATE",
        ministry_a,
        axis,
        manager=manager_a,
        status=ProjectStatus.IN_PROGRESS,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 31),
    )
    fifth = datetime.date(2026, 5, 5)
    assert reminders_send(today=fifth) == (0, 0)  # due by the 10th
    delivery_settings_update(actor=national, data={"update_due_day": 5}, expected_version=1)
    assert reminders_send(today=fifth) == (1, 0)
