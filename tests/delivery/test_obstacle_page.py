"""The obstacle page: its title, author and date, comment history, escalation and who must act."""

import pytest
from django.core.exceptions import PermissionDenied

from masar.audit.models import AuditEntry
from masar.core.errors import DomainError
from masar.core.models import Classification
from masar.decisions.models import MeetingKind
from masar.delivery.models import ObstacleComment
from masar.delivery.services import obstacles as obstacle_services
from masar.organizations.models import OrganizationKind
from masar.organizations.services import organization_create
from tests.decisions.factories import make_meeting
from tests.portfolio.factories import make_project

DESCRIPTION = "تأخر ربط منظومة التصرف في الميزانية بمنظومة الخزينة العامة للبلاد رغم المراسلات"


def obstacle_of(project, ministry, **extra):
    data = dict(
        category="technical",
        severity="high",
        description=DESCRIPTION,
        must_act=ministry,
        classification=Classification.RESTRICTED,
    )
    data.update(extra)
    return obstacle_services.obstacle_report(project=project, actor=project.manager, **data)


@pytest.fixture
def project(ministry_a, axis, manager_a):
    manager_a.first_name, manager_a.last_name = "Amira", "Ben Salah"
    manager_a.save()
    return make_project("O-1", ministry_a, axis, manager=manager_a, classification=Classification.RESTRICTED)


def test_the_page_is_titled_by_category_and_first_words_and_names_its_author(project, ministry_a, viewer_a, client_for):
    obstacle = obstacle_of(project, ministry_a)
    html = client_for(viewer_a).get(f"/en/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert "<h1" in html and "Technical: تأخر ربط منظومة التصرف في الميزانية بمنظومة الخزينة…" in html
    assert "Reported by Amira Ben Salah on" in html
    assert "Audit trail" in html  # the trail of its changes, as on the project page
    assert "manager_a" not in html  # a person is named, not shown by their login
    anonymous = client_for(None).get(f"/en/delivery/obstacles/{obstacle.pk}/")
    assert anonymous.status_code == 404  # restricted: the public reads neither it nor its comments


def test_those_who_change_the_project_or_review_it_comment_and_the_others_may_not(
    project, ministry_a, manager_a, coordinator_a, viewer_a, coordinator_b, client_for
):
    obstacle = obstacle_of(project, ministry_a)
    client_for(manager_a).post(f"/en/delivery/obstacles/{obstacle.pk}/comments/", {"text": "راسلنا الخزينة"})
    client_for(coordinator_a).post(f"/en/delivery/obstacles/{obstacle.pk}/comments/", {"text": "اجتماع يوم الإثنين"})
    assert list(ObstacleComment.objects.values_list("text", flat=True)) == ["راسلنا الخزينة", "اجتماع يوم الإثنين"]
    assert AuditEntry.objects.filter(object_repr="راسلنا الخزينة", actor=manager_a).exists()
    for outsider in (viewer_a, coordinator_b):
        response = client_for(outsider).post(f"/en/delivery/obstacles/{obstacle.pk}/comments/", {"text": "x"})
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            obstacle_services.obstacle_comment_add(obstacle=obstacle, actor=outsider, text="x")
    assert ObstacleComment.objects.count() == 2
    viewer_page = client_for(viewer_a).get(f"/en/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert "راسلنا الخزينة" in viewer_page and 'name="text"' not in viewer_page
    assert 'name="text"' in client_for(coordinator_a).get(f"/en/delivery/obstacles/{obstacle.pk}/").content.decode()


def test_comments_are_read_by_exactly_those_who_read_the_obstacle(
    project, ministry_a, manager_a, coordinator_a, viewer_a, coordinator_b
):
    shown = obstacle_of(project, ministry_a)
    hidden = obstacle_of(project, ministry_a, classification=Classification.CONFIDENTIAL)
    for obstacle in (shown, hidden):
        obstacle_services.obstacle_comment_add(obstacle=obstacle, actor=manager_a, text=f"c{obstacle.pk}")
    for reader in (None, viewer_a, coordinator_b, coordinator_a, manager_a):
        obstacles = set(type(shown).objects.visible_to(reader).values_list("pk", flat=True))
        comments = set(ObstacleComment.objects.visible_to(reader).values_list("obstacle", flat=True))
        assert comments == obstacles, reader
    assert ObstacleComment.objects.visible_to(coordinator_b).filter(obstacle=shown).exists()  # positive control
    assert not ObstacleComment.objects.visible_to(coordinator_b).filter(obstacle=hidden).exists()
    assert ObstacleComment.objects.visible_to(coordinator_a).filter(obstacle=hidden).exists()


def test_once_on_an_agenda_the_page_says_where_and_offers_no_escalation(
    project, ministry_a, coordinator_a, gov, client_for
):
    council = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, name_ar="مجلس الوزراء", owner=gov)
    other = make_meeting(kind=MeetingKind.STOCKTAKE, name_ar="جلسة متابعة", owner=gov)
    obstacle = obstacle_of(project, ministry_a)
    page = client_for(coordinator_a).get(f"/ar/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert f"/delivery/obstacles/{obstacle.pk}/escalate/" in page  # positive control
    obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=council, actor=coordinator_a)
    page = client_for(coordinator_a).get(f"/ar/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert f"/delivery/obstacles/{obstacle.pk}/escalate/" not in page
    assert "مجلس الوزراء" in page
    with pytest.raises(DomainError):
        obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=other, actor=coordinator_a)


def test_who_must_act_is_chosen_among_the_bodies_of_the_projects_own_government(
    project, ministry_a, ministry_b, manager_a, client_for
):
    foreign = organization_create(
        actor=None, kind=OrganizationKind.GOVERNMENT, code="GOV-X", name_ar="حكومة أخرى", name_fr="Autre"
    )
    page = client_for(manager_a).get(f"/fr/delivery/projects/{project.pk}/obstacles/new/").content.decode()
    assert f'<option value="{ministry_b.pk}"' in page
    assert f'<option value="{foreign.pk}"' not in page
    assert 'data-filters="id_must_act"' in page and "select_filter.js" in page
    response = client_for(manager_a).post(
        f"/fr/delivery/projects/{project.pk}/obstacles/new/",
        {
            "category": "legal",
            "severity": "low",
            "description": "x",
            "must_act": foreign.pk,
            "status": "open",
            "classification": "restricted",
        },
    )
    assert response.status_code == 400
    assert not project.obstacles.exists()
