"""Running the council from the application: meetings, decisions, agenda, attendance and publication."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from masar.audit.models import Action, AuditEntry
from masar.core import policy
from masar.core.errors import Conflict, Invalid, NotPermitted
from masar.core.models import Classification
from masar.core.policy import Reader
from masar.core.services import model_create
from masar.decisions.models import AgendaItem, Attendance, AttendanceStatus, Decision, Meeting, MeetingKind
from masar.decisions.selectors import decision_list
from masar.decisions.services import (
    agenda_build,
    agenda_reorder,
    decision_create,
    decision_update,
    meeting_decisions_publish,
    meeting_update,
)
from masar.delivery.models import Obstacle, ObstacleCategory, Severity
from tests.decisions.factories import make_decision, make_meeting
from tests.portfolio.factories import make_project


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def meeting_payload(meeting=None, **changes):
    data = {
        "kind": MeetingKind.MINISTERIAL_COUNCIL,
        "name_ar": "مجلس وزاري حول التحول الرقمي",
        "name_fr": "",
        "name_en": "",
        "body_ar": "مجلس وزاري",
        "body_fr": "",
        "body_en": "",
        "date": "2026-03-15",
        "place_ar": "قصر الحكومة",
        "place_fr": "",
        "place_en": "",
        "owner": "",
        "classification": Classification.RESTRICTED,
        "minutes_ar": "",
        "minutes_fr": "",
        "minutes_en": "",
    }
    if meeting is not None:
        data |= {
            "name_ar": meeting.name_ar,
            "body_ar": meeting.body_ar,
            "owner": meeting.owner_id,
            "classification": meeting.classification,
            "kind": meeting.kind,
            "version": meeting.version,
        }
    return data | changes


def decision_payload(decision=None, **changes):
    data = {
        "text_ar": "رقمنة السجل التجاري",
        "text_fr": "",
        "text_en": "",
        "responsible": "",
        "due_date": "2026-06-30",
        "classification": Classification.PUBLIC,
    }
    if decision is not None:
        data |= {
            "text_ar": decision.text_ar,
            "responsible": decision.responsible_id,
            "classification": decision.classification,
            "version": decision.version,
        }
    return data | changes


def audited(obj, action=None):
    entries = AuditEntry.objects.for_object(obj)
    return entries.filter(action=action) if action else entries


# Access ------------------------------------------------------------------------------------------


def test_only_the_national_unit_opens_the_council_pages(
    gov, ministry_a, client_for, national, coordinator_a, coordinator_b
):
    meeting = make_meeting(owner=gov)
    decision = make_decision(meeting=meeting, responsible=ministry_a)
    pages = [
        "/en/meetings/new/",
        f"/en/meetings/{meeting.pk}/edit/",
        f"/en/meetings/{meeting.pk}/agenda/",
        f"/en/meetings/{meeting.pk}/attendance/",
        f"/en/meetings/{meeting.pk}/decisions/new/",
        f"/en/meetings/decisions/{decision.pk}/edit/",
    ]
    for page in pages:
        assert client_for(national).get(page).status_code == 200, page
        assert client_for(coordinator_a).get(page).status_code == 403, page
        assert client_for(coordinator_b).get(page).status_code == 403, page
        anonymous = client_for(None).get(page)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"], page
    assert client_for(coordinator_a).post(f"/en/meetings/{meeting.pk}/publish/").status_code == 403


def test_the_meeting_list_offers_a_new_meeting_to_the_national_unit_only(gov, client_for, national, coordinator_a):
    assert "/en/meetings/new/" in client_for(national).get("/en/meetings/").content.decode()
    assert "/en/meetings/new/" not in client_for(coordinator_a).get("/en/meetings/").content.decode()
    assert "/en/meetings/new/" not in client_for(None).get("/en/meetings/").content.decode()


# Meetings and decisions --------------------------------------------------------------------------


def test_the_national_unit_creates_and_edits_a_meeting_with_its_minutes(gov, client_for, national, coordinator_a):
    client = client_for(national)
    response = client.post("/en/meetings/new/", meeting_payload(owner=gov.pk))
    assert response.status_code == 302
    meeting = Meeting.objects.get(name_ar="مجلس وزاري حول التحول الرقمي")
    assert meeting.date == datetime.date(2026, 3, 15) and not meeting.decisions_published
    assert audited(meeting, Action.CREATE).exists()

    response = client.post(f"/en/meetings/{meeting.pk}/edit/", meeting_payload(meeting, minutes_ar="افتتح الاجتماع"))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_ar == "افتتح الاجتماع" and meeting.version == 2
    assert audited(meeting, Action.UPDATE).exists()
    assert "افتتح الاجتماع" in client_for(coordinator_a).get(f"/ar/meetings/{meeting.pk}/").content.decode()

    refused = client_for(coordinator_a).post("/en/meetings/new/", meeting_payload(owner=gov.pk, name_ar="آخر"))
    assert refused.status_code == 403 and not Meeting.objects.filter(name_ar="آخر").exists()


def test_a_stale_meeting_edit_is_refused_with_409_and_nothing_saved(gov, client_for, national):
    meeting = make_meeting(owner=gov)
    stale = meeting_payload(meeting, name_ar="تعديل متأخر")
    assert (
        client_for(national)
        .post(f"/en/meetings/{meeting.pk}/edit/", meeting_payload(meeting, name_fr="Conseil"))
        .status_code
        == 302
    )
    response = client_for(national).post(f"/en/meetings/{meeting.pk}/edit/", stale)
    assert response.status_code == 409
    assert "Someone else changed this record after you opened it" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.name_ar == "مجلس" and meeting.name_fr == "Conseil" and meeting.version == 2


def test_the_national_unit_adds_and_edits_decisions_linked_to_readable_projects(
    gov, ministry_a, ministry_b, axis, client_for, national
):
    meeting = make_meeting(owner=gov)
    project = make_project("P-1", ministry_a, axis)
    client = client_for(national)
    response = client.post(
        f"/en/meetings/{meeting.pk}/decisions/new/",
        decision_payload(responsible=ministry_a.pk, projects=[project.pk]),
    )
    assert response.status_code == 302
    decision = Decision.objects.get(meeting=meeting)
    assert decision.order == 1 and list(decision.projects.all()) == [project]
    assert audited(decision, Action.CREATE).exists()

    response = client.post(
        f"/en/meetings/decisions/{decision.pk}/edit/", decision_payload(decision, responsible=ministry_b.pk)
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.responsible == ministry_b and decision.version == 2
    assert audited(decision, Action.UPDATE).exists()


def test_a_stale_decision_edit_is_refused_with_409_and_nothing_saved(gov, ministry_a, ministry_b, client_for, national):
    decision = make_decision(meeting=make_meeting(owner=gov), responsible=ministry_a, text_ar="قرار أول")
    stale = decision_payload(decision, text_ar="تعديل متأخر")
    first = decision_payload(decision, responsible=ministry_b.pk)
    assert client_for(national).post(f"/en/meetings/decisions/{decision.pk}/edit/", first).status_code == 302
    response = client_for(national).post(f"/en/meetings/decisions/{decision.pk}/edit/", stale)
    assert response.status_code == 409
    decision.refresh_from_db()
    assert decision.text_ar == "قرار أول" and decision.responsible == ministry_b and decision.version == 2


def test_a_decision_less_classified_than_its_meeting_is_refused(gov, ministry_a, client_for, national):
    meeting = make_meeting(owner=gov, classification=Classification.RESTRICTED)
    response = client_for(national).post(
        f"/en/meetings/{meeting.pk}/decisions/new/",
        decision_payload(responsible=ministry_a.pk, classification=Classification.PUBLIC),
    )
    assert response.status_code == 400
    assert "A decision is never less classified than its meeting" in response.content.decode()
    assert not Decision.objects.filter(meeting=meeting).exists()

    with pytest.raises(Invalid):
        decision_create(
            meeting=meeting, actor=national, text_ar="ق", responsible=ministry_a, classification=Classification.PUBLIC
        )
    decision = decision_create(
        meeting=meeting, actor=national, text_ar="ق", responsible=ministry_a, classification=Classification.RESTRICTED
    )
    with pytest.raises(Invalid):
        decision_update(decision=decision, actor=national, expected_version=1, classification=Classification.PUBLIC)
    with pytest.raises(Invalid):
        meeting_update(
            meeting=meeting,
            actor=national,
            expected_version=meeting.version,
            classification=Classification.CONFIDENTIAL,
        )
    decision.refresh_from_db()
    meeting.refresh_from_db()
    assert decision.classification == Classification.RESTRICTED and decision.version == 1
    assert meeting.classification == Classification.RESTRICTED


def test_a_coordinator_cannot_add_a_decision_through_the_service(gov, ministry_a, coordinator_a):
    meeting = make_meeting(owner=gov)
    with pytest.raises(NotPermitted):
        decision_create(meeting=meeting, actor=coordinator_a, text_ar="ق", responsible=ministry_a)
    assert not Decision.objects.exists()


# Agenda ------------------------------------------------------------------------------------------


def _obstacle(project, severity, description):
    data = dict(
        project=project,
        category=ObstacleCategory.LEGAL,
        severity=severity,
        description=description,
        must_act=project.owner,
    )
    return model_create(model=Obstacle, actor=None, data=data)


def test_building_the_agenda_adds_the_ticked_obstacles_and_decisions_and_nothing_else(
    gov, ministry_a, axis, client_for, national
):
    today = timezone.localdate()
    project = make_project("P-1", ministry_a, axis)
    ticked_obstacle = _obstacle(project, Severity.CRITICAL, "تأخر الإطار القانوني")
    other_obstacle = _obstacle(project, Severity.HIGH, "نقص التمويل")
    low = _obstacle(project, Severity.LOW, "عقبة بسيطة")
    earlier = make_meeting(owner=gov, name_ar="المجلس السابق")
    due = make_decision(meeting=earlier, responsible=ministry_a, text_ar="قرار حل أجله", due_date=today)
    other_due = make_decision(
        meeting=earlier, order=2, responsible=ministry_a, text_ar="قرار آخر", due_date=today - datetime.timedelta(1)
    )
    later = make_decision(
        meeting=earlier, order=3, responsible=ministry_a, text_ar="قرار بعيد", due_date=today + datetime.timedelta(400)
    )
    meeting = make_meeting(owner=gov, name_ar="المجلس القادم", date=today + datetime.timedelta(10))
    on_another_agenda = _obstacle(project, Severity.CRITICAL, "عقبة على جدول آخر")
    agenda_build(meeting=earlier, actor=national, obstacles=[on_another_agenda])

    page = client_for(national).get(f"/en/meetings/{meeting.pk}/agenda/").content.decode()
    assert "تأخر الإطار القانوني" in page and "نقص التمويل" in page and "عقبة بسيطة" not in page
    assert "قرار حل أجله" in page and "قرار آخر" in page and "قرار بعيد" not in page
    assert "عقبة على جدول آخر" not in page

    response = client_for(national).post(
        f"/en/meetings/{meeting.pk}/agenda/", {"obstacles": [ticked_obstacle.pk], "decisions": [due.pk]}
    )
    assert response.status_code == 302
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))
    assert [(item.order, item.obstacle, item.decision) for item in items] == [
        (1, ticked_obstacle, None),
        (2, None, due),
    ]
    assert all(audited(item, Action.CREATE).exists() for item in items)
    assert not AgendaItem.objects.filter(obstacle__in=[other_obstacle, low]).exists()
    assert not AgendaItem.objects.filter(decision__in=[other_due, later]).exists()
    assert "قرار حل أجله" in client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()
    proposed = client_for(national).get(f"/en/meetings/{meeting.pk}/agenda/").content.decode()
    assert f'name="decisions" value="{due.pk}"' not in proposed
    assert f'name="decisions" value="{other_due.pk}"' in proposed
    assert f'name="obstacles" value="{ticked_obstacle.pk}"' not in proposed
    assert f'name="obstacles" value="{other_obstacle.pk}"' in proposed

    with pytest.raises(Conflict):
        agenda_build(meeting=meeting, actor=national, obstacles=[ticked_obstacle])
    assert AgendaItem.objects.filter(meeting=meeting).count() == 2


def test_the_agenda_is_renumbered_by_its_number_fields(gov, ministry_a, axis, client_for, national, coordinator_a):
    project = make_project("P-1", ministry_a, axis)
    meeting = make_meeting(owner=gov)
    first, second = agenda_build(
        meeting=meeting,
        actor=national,
        obstacles=[_obstacle(project, Severity.CRITICAL, "أولى"), _obstacle(project, Severity.HIGH, "ثانية")],
    )
    payload = {"step": "reorder", f"order-{first.pk}": "٢", f"order-{second.pk}": "1"}
    assert client_for(national).post(f"/en/meetings/{meeting.pk}/agenda/", payload).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.order, second.order) == (2, 1)
    assert audited(first, Action.UPDATE).exists()
    with pytest.raises(Invalid):
        agenda_reorder(meeting=meeting, actor=national, orders={first.pk: 1, second.pk: 1})
    with pytest.raises(NotPermitted):
        agenda_reorder(meeting=meeting, actor=coordinator_a, orders={first.pk: 1, second.pk: 2})
    first.refresh_from_db()
    assert first.order == 2


# Attendance and minutes --------------------------------------------------------------------------


def test_attendance_is_recorded_by_the_national_unit_and_shown_to_signed_in_readers_only(
    gov, ministry_a, client_for, national, viewer_a, coordinator_b
):
    meeting = make_meeting(owner=gov)
    response = client_for(national).post(
        f"/en/meetings/{meeting.pk}/attendance/",
        {"organization": ministry_a.pk, "person_name": "سلمى بن علي", "status": AttendanceStatus.EXCUSED},
    )
    assert response.status_code == 302
    line = Attendance.objects.get(meeting=meeting)
    assert line.status == AttendanceStatus.EXCUSED and audited(line, Action.CREATE).exists()
    assert "سلمى بن علي" in client_for(viewer_a).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert "سلمى بن علي" in client_for(coordinator_b).get(f"/en/meetings/{meeting.pk}/").content.decode()
    public = client_for(None).get(f"/en/meetings/{meeting.pk}/")
    assert public.status_code == 200 and "سلمى بن علي" not in public.content.decode()

    refused = client_for(coordinator_b).post(
        f"/en/meetings/{meeting.pk}/attendance/",
        {"organization": ministry_a.pk, "person_name": "آخر", "status": AttendanceStatus.PRESENT},
    )
    assert refused.status_code == 403 and Attendance.objects.count() == 1


# Publishing the decisions list -------------------------------------------------------------------


def overdue_figure(client):
    html = client.get("/en/dashboards/").content.decode()
    figure = html.split('id="overdue-decisions"')[1]
    return int(re.search(r'(?:data-figure="|<span class="figure-value">)(\d+)', figure).group(1))


def exported(client):
    return b"".join(client.get("/en/exports/decisions.csv").streaming_content).decode("utf-8-sig")


def test_decisions_of_an_unpublished_meeting_are_read_by_the_unit_and_the_responsible_coordinators_until_published(
    gov, ministry_a, client_for, national, coordinator_a, viewer_a, coordinator_b
):
    meeting = make_meeting(owner=gov, decisions_published=False)
    past = timezone.localdate() - datetime.timedelta(days=3)
    make_decision(meeting=meeting, responsible=ministry_a, text_ar="قرار غير منشور", due_date=past)
    insiders = [national, coordinator_a]
    outsiders = [viewer_a, coordinator_b, None]

    for user in insiders:
        client = client_for(user)
        assert "قرار غير منشور" in client.get(f"/ar/meetings/{meeting.pk}/").content.decode()
        assert 'data-count="1"' in client.get("/en/meetings/decisions/").content.decode()
        assert decision_list(user).count() == 1
    assert overdue_figure(client_for(national)) == 1
    assert "قرار غير منشور" in exported(client_for(national))
    for user in outsiders:
        client = client_for(user)
        assert "قرار غير منشور" not in client.get(f"/ar/meetings/{meeting.pk}/").content.decode()
        assert 'data-count="0"' in client.get("/en/meetings/decisions/").content.decode()
        assert "قرار غير منشور" not in exported(client)
        assert overdue_figure(client) == 0
        assert decision_list(user).count() == 0

    with pytest.raises(NotPermitted):
        meeting_decisions_publish(meeting=meeting, actor=coordinator_a)
    assert client_for(national).post(f"/en/meetings/{meeting.pk}/publish/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.decisions_published and meeting.decisions_published_at is not None
    assert audited(meeting, Action.UPDATE).exists()
    cache.clear()
    for user in outsiders:
        client = client_for(user)
        assert "قرار غير منشور" in client.get(f"/ar/meetings/{meeting.pk}/").content.decode()
        assert "قرار غير منشور" in exported(client)
        assert overdue_figure(client) == 1
    with pytest.raises(Conflict):
        meeting_decisions_publish(meeting=meeting, actor=national)


def test_the_policy_lets_only_the_unit_and_the_responsible_coordinators_read_unpublished_decisions(
    gov, ministry_a, directorate_a, national, coordinator_a, viewer_a, manager_a, coordinator_b
):
    meeting = make_meeting(owner=gov, decisions_published=False)
    decision = make_decision(meeting=meeting, responsible=directorate_a)
    readers = {
        "public": Reader.public(),
        "system": Reader.system(),
        "national capped": Reader.of(national).capped(Classification.PUBLIC),
        **{user.username: Reader.of(user) for user in (national, coordinator_a, viewer_a, manager_a, coordinator_b)},
    }
    readable = {name for name, reader in readers.items() if policy.may_read(reader, decision)}
    assert readable == {national.username, coordinator_a.username}
    meeting_decisions_publish(meeting=meeting, actor=national)
    readable = {name for name, reader in readers.items() if policy.may_read(reader, decision)}
    assert readable == set(readers)
