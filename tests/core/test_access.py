"""The visibility and write rules, model by model, with a user who may write, one who may
only read and one from another ministry."""

import pytest

from masar.core.models import Classification
from masar.core.policy import may_write
from masar.portfolio.models import Milestone, Project
from masar.portfolio.services import milestone_create
from masar.strategy.models import Axis, Strategy
from tests.portfolio.factories import make_project


@pytest.fixture
def projects(ministry_a, directorate_a, ministry_b, axis, manager_a):
    return {
        "public": make_project("P-PUB", ministry_a, axis),
        "restricted": make_project("P-RES", ministry_a, axis, classification=Classification.RESTRICTED),
        "confidential": make_project(
            "P-CONF", ministry_a, axis, classification=Classification.CONFIDENTIAL, manager=manager_a
        ),
        "confidential_dir": make_project("P-CONF-D", directorate_a, axis, classification=Classification.CONFIDENTIAL),
        "confidential_b": make_project("P-CONF-B", ministry_b, axis, classification=Classification.CONFIDENTIAL),
    }


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_anonymous_visitors_see_public_projects_only(projects):
    from django.contrib.auth.models import AnonymousUser

    assert codes(Project.objects.visible_to(AnonymousUser())) == {"P-PUB"}


def test_civil_servants_see_restricted_and_their_own_confidential_projects(projects, viewer_a, coordinator_b):
    assert codes(Project.objects.visible_to(viewer_a)) == {"P-PUB", "P-RES", "P-CONF"}
    assert codes(Project.objects.visible_to(coordinator_b)) == {"P-PUB", "P-RES", "P-CONF-B"}


def test_a_coordinator_sees_confidential_projects_of_units_below_their_ministry(projects, coordinator_a):
    assert codes(Project.objects.visible_to(coordinator_a)) == {"P-PUB", "P-RES", "P-CONF", "P-CONF-D"}


def test_the_national_unit_sees_everything(projects, national):
    assert codes(Project.objects.visible_to(national)) == {p.code for p in projects.values()}


def test_write_rules_follow_the_roles(projects, national, coordinator_a, manager_a, viewer_a, coordinator_b, manager_b):
    assert codes(Project.objects.writable_by(national)) == {p.code for p in projects.values()}
    assert codes(Project.objects.writable_by(coordinator_a)) == {"P-PUB", "P-RES", "P-CONF", "P-CONF-D"}
    assert codes(Project.objects.writable_by(manager_a)) == {"P-CONF"}
    assert codes(Project.objects.writable_by(viewer_a)) == set()
    assert codes(Project.objects.writable_by(coordinator_b)) == {"P-CONF-B"}
    assert codes(Project.objects.writable_by(manager_b)) == set()
    assert may_write(manager_a, projects["confidential"])
    assert not may_write(manager_b, projects["confidential"])


def test_milestones_follow_their_project(projects, viewer_a, coordinator_b):
    import datetime

    milestone_create(
        actor=None, project=projects["confidential"], order=1, name_ar="إطلاق", planned_date=datetime.date(2025, 5, 1)
    )
    assert Milestone.objects.visible_to(viewer_a).count() == 1
    assert Milestone.objects.visible_to(coordinator_b).count() == 0


def test_strategy_parts_follow_their_strategy(program, axis, viewer_a):
    from django.contrib.auth.models import AnonymousUser

    assert Axis.objects.visible_to(AnonymousUser()).count() == 1
    Strategy.objects.filter(pk=program.pk).update(classification=Classification.RESTRICTED)
    assert Axis.objects.visible_to(AnonymousUser()).count() == 0
    assert Axis.objects.visible_to(viewer_a).count() == 1
