"""No writes on GET: reading any page, as anyone, leaves every table as it was."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps

from masar.audit.models import AuditEntry
from masar.delivery.models import Notification
from masar.delivery.services import baselines as services
from masar.exports.models import Export
from masar.portfolio.services import milestone_create
from tests.portfolio.factories import make_project


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def busy(ministry_a, axis, manager_a, coordinator_a, national):
    today = datetime.date.today()
    project = make_project(
        "G-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=today - datetime.timedelta(days=200),
        planned_end=today + datetime.timedelta(days=200),
        planned_budget=Decimal("1000"),
    )
    milestone_create(actor=None, project=project, order=1, name_ar="م", planned_date=today)
    baseline = services.baseline_request(
        project=project,
        actor=manager_a,
        planned_start=project.planned_start,
        planned_end=project.planned_end + datetime.timedelta(days=30),
        planned_budget=project.planned_budget,
        reason="x",
    )
    assert Notification.objects.filter(user=national).exists()  # positive control: something to open
    return project, baseline


def pages(project, notification):
    return [
        "/en/",
        "/en/projects/",
        "/en/projects/?q=G-1",
        f"/en/projects/{project.pk}/",
        f"/en/projects/{project.pk}/edit/",
        f"/en/delivery/projects/{project.pk}/updates/",
        f"/en/delivery/projects/{project.pk}/updates/new/",
        f"/en/delivery/projects/{project.pk}/baselines/",
        f"/en/delivery/projects/{project.pk}/obstacles/new/",
        "/en/delivery/blocked/",
        "/en/delivery/due/",
        "/en/delivery/roadmap/",
        f"/en/delivery/roadmap/?strategy={project.strategy_id}",
        "/en/delivery/rules/",
        "/en/delivery/inbox/",
        f"/en/delivery/inbox/{notification.pk}/",
        "/en/indicators/",
        "/en/dashboards/",
        "/en/exports/projects.csv",
    ]


@pytest.mark.parametrize("who", ["national", "manager_a", "anonymous"])
def test_reading_pages_changes_nothing(busy, client_for, request, who, monkeypatch):
    from masar.exports import views as export_views

    monkeypatch.setattr(export_views, "BACKGROUND_THRESHOLD", 0)  # every export is a large one
    project, _baseline = busy
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user)
    notification = Notification.objects.filter(user=request.getfixturevalue("national")).first()
    before, audit = row_counts(), list(AuditEntry.objects.values_list("pk", flat=True))
    unread = Notification.objects.filter(read_at__isnull=True).count()
    for url in pages(project, notification):
        assert client.get(url).status_code in (200, 302, 403, 404), url
    assert row_counts() == before
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == audit
    assert Notification.objects.filter(read_at__isnull=True).count() == unread
    assert not Export.objects.exists()


def test_the_positive_control_a_post_does_write(busy, client_for, national):
    notification = Notification.objects.filter(user=national).first()
    client_for(national).post(f"/en/delivery/inbox/{notification.pk}/")
    notification.refresh_from_db()
    assert notification.read_at is not None
