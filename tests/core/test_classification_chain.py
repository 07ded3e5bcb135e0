"""Classification holds along the chain, and internal material stays internal.

Each test has a reader who may (positive control) and readers who may not.
"""

import datetime

import pytest

from masar.accounts.models import Role
from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.core.services import model_create
from masar.decisions.models import AgendaItem, Decision, Meeting, MeetingKind
from masar.delivery.models import Notification, Obstacle, ObstacleCategory, ProgressUpdate, Severity
from masar.delivery.services import obstacles as obstacle_services
from masar.portfolio.models import Project
from masar.portfolio.services import project_update
from masar.strategy.models import Strategy
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project


@pytest.fixture
def secret_meeting(ministry_a):
    return model_create(
        model=Meeting,
        actor=None,
        data=dict(
            kind=MeetingKind.MINISTERIAL_COUNCIL,
            name_ar="مجلس مكتوم",
            body_ar="هيئة",
            owner=ministry_a,
            classification=Classification.CONFIDENTIAL,
            decisions_published=True,
        ),
    )


def test_an_escalation_tells_only_those_who_may_read_the_project(
    ministry_a, ministry_b, axis, national, coordinator_a, coordinator_b, manager_a, secret_meeting
):
    project = make_project("P-C", ministry_a, axis, classification=Classification.CONFIDENTIAL, manager=manager_a)
    obstacle = obstacle_services.obstacle_report(
        project=project,
        actor=national,
        category=ObstacleCategory.COORDINATION,
        severity=Severity.CRITICAL,
        description="x",
        must_act=ministry_b,  # another ministry is asked to act, but may not read this project
    )
    obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=secret_meeting, actor=national)
    told = set(Notification.objects.filter(kind=Notification.Kind.OBSTACLE_ESCALATED).values_list("user", flat=True))
    assert {national.pk, manager_a.pk} <= told  # the project manager hears of the escalation
    assert coordinator_b.pk not in told
    # Names are looked up when read, in the reader's language, through the policy.
    (notification,) = manager_a.notifications.all()
    assert notification.params == {"project": "P-C", "meeting_id": secret_meeting.pk}


def test_a_project_manager_cannot_lower_a_classification_but_the_coordinator_can(
    ministry_a, axis, manager_a, coordinator_a
):
    project = make_project("P-C", ministry_a, axis, classification=Classification.CONFIDENTIAL, manager=manager_a)
    with pytest.raises(NotPermitted):
        project_update(
            project=project, actor=manager_a, expected_version=project.version, classification=Classification.PUBLIC
        )
    assert Project.objects.get(pk=project.pk).classification == Classification.CONFIDENTIAL
    raised = project_update(
        project=project, actor=manager_a, expected_version=project.version, classification=Classification.CONFIDENTIAL
    )
    lowered = project_update(
        project=raised, actor=coordinator_a, expected_version=raised.version, classification=Classification.PUBLIC
    )
    assert lowered.classification == Classification.PUBLIC


def test_the_edit_page_refuses_a_managers_lowering_with_a_message(ministry_a, axis, manager_a, client_for):
    project = make_project("P-C", ministry_a, axis, classification=Classification.RESTRICTED, manager=manager_a)
    response = client_for(manager_a).post(
        f"/en/projects/{project.pk}/edit/",
        {
            "name_ar": "مشروع",
            "status": "planned",
            "currency": "TND",
            "funding_kind": "state_budget",
            "classification": "public",
            "version": project.version,
        },
    )
    assert response.status_code in (400, 403)
    assert Project.objects.get(pk=project.pk).classification == Classification.RESTRICTED


def test_only_the_national_unit_publishes_an_obstacle(ministry_a, axis, coordinator_a, national):
    project = make_project("P-1", ministry_a, axis)
    data = dict(category=ObstacleCategory.LEGAL, severity=Severity.LOW, description="d", must_act=ministry_a)
    with pytest.raises(NotPermitted):
        obstacle_services.obstacle_report(
            project=project, actor=coordinator_a, classification=Classification.PUBLIC, **data
        )
    internal = obstacle_services.obstacle_report(project=project, actor=coordinator_a, **data)
    assert internal.classification == Classification.RESTRICTED
    published = obstacle_services.obstacle_report(
        project=project, actor=national, classification=Classification.PUBLIC, **data
    )
    assert list(Obstacle.objects.visible_to(None)) == [published]


def test_internal_material_of_a_public_project_is_not_read_by_the_public(ministry_a, axis, manager_a, viewer_a):
    project = make_project("P-1", ministry_a, axis, manager=manager_a)
    update = model_create(
        model=ProgressUpdate,
        actor=None,
        data=dict(
            project=project,
            period=datetime.date(2026, 1, 1),
            percent_complete=10,
            spend_to_date=1,
            declared_confidence="green",
            narrative="internal",
            status="approved",
        ),
    )
    assert not ProgressUpdate.objects.visible_to(None).exists()
    assert list(ProgressUpdate.objects.visible_to(viewer_a)) == [update]


def test_a_record_is_read_only_with_every_parent_it_reveals(
    gov, ministry_a, ministry_b, axis, coordinator_b, secret_meeting
):
    strategy = model_create(
        model=Strategy,
        actor=None,
        data=dict(
            kind="strategy",
            code="S-C",
            name_ar="س",
            owner=ministry_a,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2026, 1, 1),
            classification=Classification.CONFIDENTIAL,
        ),
    )
    under = make_project("P-UNDER", ministry_a, None, strategy=strategy)
    decision = model_create(
        model=Decision,
        actor=None,
        data=dict(meeting=secret_meeting, order=1, text_ar="ق", responsible=ministry_b, classification="public"),
    )
    item = model_create(
        model=AgendaItem, actor=None, data=dict(meeting=secret_meeting, order=1, title_ar="بند", project=under)
    )
    coordinator_a = make_user("coord_a2", Role.SECTOR_COORDINATOR, ministry_a)
    for reader in (None, coordinator_b):
        assert under not in Project.objects.visible_to(reader)
        assert decision not in Decision.objects.visible_to(reader)
        assert item not in AgendaItem.objects.visible_to(reader)
    assert under in Project.objects.visible_to(coordinator_a)
    assert decision in Decision.objects.visible_to(coordinator_a)
    assert item in AgendaItem.objects.visible_to(coordinator_a)
