"""Inspectors read everything the national unit reads, in every ministry and up to confidential, and change nothing.

Three users each time: the project's manager (may change it), an inspector of another ministry (reads only),
and a viewer of another ministry (reads neither a confidential record of the ministry nor changes it).
"""

import pytest
from django.core.exceptions import PermissionDenied

from masar.accounts.models import Role
from masar.core import policy
from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.portfolio.models import Project
from masar.portfolio.services import project_update
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project


@pytest.fixture
def inspector(ministry_a):
    return make_user("inspector", Role.INSPECTOR, ministry_a)


@pytest.fixture
def projects_b(ministry_b, axis, manager_b):
    return {
        level: make_project(f"B-{level}", ministry_b, axis, classification=level, manager=manager_b)
        for level in (Classification.RESTRICTED, Classification.CONFIDENTIAL)
    }


def test_an_inspector_reads_another_ministrys_restricted_and_confidential_projects(projects_b, inspector, viewer_a):
    codes = set(Project.objects.visible_to(inspector).values_list("code", flat=True))
    assert codes == {"B-restricted", "B-confidential"}
    assert not policy.may_read(viewer_a, projects_b[Classification.CONFIDENTIAL])  # control: a plain reader
    assert policy.may_read(viewer_a, projects_b[Classification.RESTRICTED])


def test_an_inspector_opens_the_project_page_and_is_refused_its_edit_page(
    projects_b, inspector, manager_b, viewer_a, client_for
):
    project = projects_b[Classification.CONFIDENTIAL]
    inspector_client = client_for(inspector)
    assert inspector_client.get(f"/en/projects/{project.pk}/").status_code == 200
    assert inspector_client.get(f"/en/projects/{project.pk}/edit/").status_code == 403
    assert client_for(manager_b).get(f"/en/projects/{project.pk}/edit/").status_code == 200  # positive control
    assert client_for(viewer_a).get(f"/en/projects/{project.pk}/").status_code == 404


def test_an_inspector_changes_nothing_through_the_services(projects_b, inspector, manager_b):
    project = projects_b[Classification.RESTRICTED]
    assert not policy.may_write(inspector, project)
    assert not Project.objects.writable_by(inspector).exists()
    with pytest.raises(PermissionDenied):
        policy.get_for_reader(Project.objects.all(), inspector, project.pk, write=True)
    with pytest.raises(NotPermitted):
        project_update(project=project, actor=inspector, expected_version=project.version, name_ar="تغيير")
    project.refresh_from_db()
    assert project.name_ar == "مشروع B-restricted"
    project_update(project=project, actor=manager_b, expected_version=project.version, name_ar="تغيير")
    project.refresh_from_db()
    assert project.name_ar == "تغيير"  # positive control: the manager may


def test_an_inspector_decides_nothing(inspector, projects_b):
    reader = policy.Reader.of(inspector)
    project = projects_b[Classification.RESTRICTED]
    assert not reader.is_national
    assert not any(
        (
            policy.may_review(reader, project),
            policy.may_decide_baseline(reader),
            policy.may_manage_meetings(reader),
            policy.may_publish(reader),
            policy.may_set_weights(reader),
            policy.may_steer(reader),
            policy.may_create_under(reader, project.owner, "projects", Classification.PUBLIC),
            policy.may_manage_for(reader, project.owner),
        )
    )
    assert policy.may_request_pack(reader, Classification.CONFIDENTIAL)


def test_an_inspector_does_not_share_the_national_units_cached_pages(inspector, national):
    assert policy.cache_scope(inspector) != policy.cache_scope(national)
