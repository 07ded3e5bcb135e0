"""Store keys, render text: what is kept in the database is read in each reader's language."""

import datetime
from decimal import Decimal

from django.utils import translation

from masar.accounts.models import Role
from masar.delivery.models import Baseline, ObstacleCategory, Severity
from masar.delivery.notifications import notification_text
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services import obstacles as obstacle_services
from tests.accounts.factories import make_user
from tests.decisions.factories import make_meeting
from tests.portfolio.factories import make_project


def test_the_original_plan_is_named_in_the_readers_language(ministry_a, axis, manager_a, national, client_for):
    project = make_project("P-1", ministry_a, axis, manager=manager_a, planned_budget=Decimal("100"))
    baseline_services.baseline_request(
        project=project,
        actor=manager_a,
        planned_start=project.planned_start,
        planned_end=project.planned_end + datetime.timedelta(days=30),
        planned_budget=project.planned_budget,
        reason="تأخر الصفقة",
    )
    assert Baseline.objects.get(number=1).reason == ""  # a key (baseline 1), not a sentence in one language
    assert "Plan initial" in client_for(national).get(f"/fr/delivery/projects/{project.pk}/baselines/").content.decode()
    assert (
        "الخطة الأصلية" in client_for(national).get(f"/ar/delivery/projects/{project.pk}/baselines/").content.decode()
    )


def test_an_escalation_names_the_meeting_in_the_readers_language(gov, ministry_a, axis, manager_a, national):
    project = make_project("P-1", ministry_a, axis, manager=manager_a)
    meeting = make_meeting(owner=gov, name_ar="مجلس الوزراء", name_fr="Conseil des ministres")
    obstacle = obstacle_services.obstacle_report(
        project=project,
        actor=national,
        category=ObstacleCategory.FUNDING,
        severity=Severity.HIGH,
        description="x",
        must_act=ministry_a,
    )
    obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=meeting, actor=national)
    (notification,) = manager_a.notifications.all()
    with translation.override("fr"):
        assert "Conseil des ministres" in notification_text(notification)
    with translation.override("ar"):
        assert "مجلس الوزراء" in notification_text(notification)
    # A reader who may no longer read the meeting is not told its name.
    stranger = make_user("stranger", Role.VIEWER, None)
    notification.user = stranger
    meeting.classification = "confidential"
    meeting.save(update_fields=["classification"])
    with translation.override("fr"):
        assert "Conseil des ministres" not in notification_text(notification)


def test_the_inbox_names_what_its_notifications_name_in_a_fixed_number_of_queries(
    gov, ministry_a, axis, manager_a, client_for, django_assert_max_num_queries
):
    from masar.delivery.models import Notification

    meetings = [make_meeting(owner=gov, name_ar=f"مجلس {i}", name_fr=f"Conseil {i}") for i in range(12)]
    for meeting in meetings:
        Notification.objects.create(
            user=manager_a,
            kind=Notification.Kind.OBSTACLE_ESCALATED,
            params={"project": "P-1", "meeting_id": meeting.pk},
        )
    client = client_for(manager_a)
    client.get("/fr/delivery/inbox/")  # warm the session and the caches once
    with django_assert_max_num_queries(12):
        page = client.get("/fr/delivery/inbox/").content.decode()
    assert all(f"Conseil {i}" in page for i in range(12))
