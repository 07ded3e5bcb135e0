"""The project search text has one owner: every way of renaming a project makes the new name findable."""

import re

import pytest
from django.contrib import admin
from django.test import RequestFactory

from masar.accounts.models import Role, User
from masar.core.errors import NotPermitted
from masar.core.models import Classification
from masar.portfolio.models import Project
from masar.portfolio.services import project_update, search_text_of
from tests.accounts.factories import make_user
from tests.portfolio.factories import make_project


@pytest.fixture
def admin_user(gov):
    return User.objects.create_superuser("admin", "admin@example.org", "pw", role=Role.NATIONAL_ADMIN, organization=gov)


@pytest.fixture
def project(ministry_a, axis):
    return make_project("S-1", ministry_a, axis, classification=Classification.PUBLIC, name_fr="Guichet unique")


def found(client, query):
    body = client.get("/fr/projects/", {"q": query}).content.decode()
    return set(re.findall(r'class="code">([^<]+)<', body))


def admin_form_data(project, user, **changes):
    """Return the admin change form of project as the browser would post it, with some fields changed."""
    request = RequestFactory().get("/")
    request.user = user
    form = admin.site._registry[Project].get_form(request, project)(instance=project)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = "" if value in (None, False) else str(value) if value is not True else "on"
    data["expected_version"] = project.version
    data.update(changes)
    return data


def test_renaming_a_project_in_the_admin_makes_the_new_name_findable(project, admin_user, client_for):
    client = client_for(admin_user)
    assert found(client, "Guichet") == {"S-1"}  # positive control: the old name is found
    response = client.post(
        f"/fr/admin/portfolio/project/{project.pk}/change/",
        admin_form_data(project, admin_user, name_fr="Plateforme des marchés publics"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Project.objects.get(pk=project.pk).name_fr == "Plateforme des marchés publics"
    assert found(client, "marchés publics") == {"S-1"}
    assert found(client, "Guichet") == set()


def test_a_rename_through_the_service_is_findable_too(project, admin_user, client_for):
    project_update(project=project, actor=admin_user, expected_version=project.version, name_fr="Cloud souverain")
    assert found(client_for(None), "souverain") == {"S-1"}
    renamed = Project.objects.get(pk=project.pk)
    assert renamed.search_text == search_text_of(renamed)


def test_a_project_moves_only_to_an_organization_its_mover_may_create_projects_for(ministry_a, ministry_b, axis):
    """A coordinator may not hand their project to another ministry (nor change another ministry's)."""
    project = make_project("MOVE-1", ministry_b, axis)
    coordinator_b = make_user("coord_move_b", Role.SECTOR_COORDINATOR, ministry_b)
    coordinator_a = make_user("coord_move_a", Role.SECTOR_COORDINATOR, ministry_a)
    with pytest.raises(NotPermitted):
        project_update(project=project, actor=coordinator_b, expected_version=project.version, owner=ministry_a)
    with pytest.raises(NotPermitted):
        project_update(project=project, actor=coordinator_a, expected_version=project.version, name_fr="Pris")
    assert Project.objects.get(pk=project.pk).owner == ministry_b
    national = make_user("national_move", Role.NATIONAL_ADMIN, ministry_a)
    moved = project_update(project=project, actor=national, expected_version=project.version, owner=ministry_a)
    assert moved.owner == ministry_a
