"""The delivery pages, each with a user who may write, one who may only read, and one from another ministry."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from masar.core.models import Classification
from masar.core.months import previous_month
from masar.core.services import model_create
from masar.decisions.models import AgendaItem, MeetingKind
from masar.delivery.models import Baseline, Notification, Obstacle, ProgressUpdate, UpdateStatus
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import updates as update_services
from masar.portfolio.services import milestone_create
from tests.decisions.factories import make_decision, make_meeting
from tests.html import field_error
from tests.portfolio.factories import make_project


def last_month():
    return previous_month(timezone.localdate())


@pytest.fixture
def project(ministry_a, axis, manager_a):
    today = timezone.localdate()
    project = make_project(
        "P-1",
        ministry_a,
        axis,
        manager=manager_a,
        status="in_progress",
        planned_start=today - datetime.timedelta(days=200),
        planned_end=today + datetime.timedelta(days=200),
        planned_budget=Decimal("400000"),
        classification=Classification.CONFIDENTIAL,
    )
    milestone_create(
        actor=None, project=project, order=1, name_ar="إطلاق", planned_date=today - datetime.timedelta(days=90)
    )
    return project


def update_form(project, **changes):
    data = {
        "period": last_month().strftime("%Y-%m"),
        "percent_complete": "٤٥٫٥",
        "spend_to_date": "150000",
        "declared_confidence": "green",
        "narrative": "تقدم",
        "version": "",
    }
    data.update(changes)
    return data


def test_a_manager_submits_an_update_typed_with_eastern_digits(project, client_for, manager_a):
    response = client_for(manager_a).post(
        f"/ar/delivery/projects/{project.pk}/updates/new/", {**update_form(project), "submit": "1"}
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(project=project)
    assert update.percent_complete == Decimal("45.5") and update.status == UpdateStatus.SUBMITTED


def test_the_update_form_explains_each_confidence_level(project, client_for, manager_a):
    body = client_for(manager_a).get(f"/en/delivery/projects/{project.pk}/updates/new/").content.decode()
    assert "Successful delivery appears unachievable" in body and "highly likely" in body


def test_bad_input_on_the_update_form_is_refused_with_a_translated_message(project, client_for, manager_a):
    client = client_for(manager_a)
    response = client.post(
        f"/fr/delivery/projects/{project.pk}/updates/new/", update_form(project, percent_complete="140")
    )
    assert (
        response.status_code == 400
        and "Assurez-vous que cette valeur est inférieure ou égale à 100" in response.content.decode()
    )
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    milestone = project.milestones.get()
    response = client.post(
        f"/en/delivery/projects/{project.pk}/updates/new/",
        update_form(project, **{f"milestone_{milestone.pk}": future}),
    )
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_return_then_approve_through_the_pages_and_the_period_locks(project, client_for, manager_a, coordinator_a):
    client_for(manager_a).post(
        f"/ar/delivery/projects/{project.pk}/updates/new/", {**update_form(project), "submit": "1"}
    )
    update = ProgressUpdate.objects.get()
    coordinator = client_for(coordinator_a)
    page = coordinator.get(f"/en/delivery/updates/{update.pk}/").content.decode()
    assert "Approve" in page and "Return to the author" in page
    coordinator.post(f"/en/delivery/updates/{update.pk}/return/", {"reason": "المبالغ غير مطابقة"})
    update.refresh_from_db()
    assert update.status == UpdateStatus.RETURNED
    assert "المبالغ غير مطابقة" in client_for(manager_a).get(f"/ar/delivery/updates/{update.pk}/").content.decode()
    client_for(manager_a).post(
        f"/ar/delivery/updates/{update.pk}/edit/",
        {**update_form(project, spend_to_date="140000", version=update.version), "submit": "1"},
    )
    coordinator.post(f"/en/delivery/updates/{update.pk}/approve/")
    update.refresh_from_db()
    assert update.status == UpdateStatus.APPROVED and update.spend_to_date == Decimal("140000")
    response = client_for(manager_a).post(
        f"/ar/delivery/updates/{update.pk}/edit/", update_form(project, version=update.version)
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.spend_to_date == Decimal("140000")


def test_the_second_of_two_reviewers_is_told_the_update_moved_on(
    project, client_for, manager_a, coordinator_a, national
):
    client_for(manager_a).post(
        f"/ar/delivery/projects/{project.pk}/updates/new/", {**update_form(project), "submit": "1"}
    )
    update = ProgressUpdate.objects.get()
    client_for(coordinator_a).post(f"/en/delivery/updates/{update.pk}/approve/")
    second = client_for(national)
    response = second.post(f"/en/delivery/updates/{update.pk}/return/", {"reason": "late"}, follow=True)
    assert "has moved on since you opened it" in response.content.decode()
    assert ProgressUpdate.objects.get().status == UpdateStatus.APPROVED


def test_update_pages_follow_the_projects_visibility(project, client_for, viewer_a, coordinator_b, manager_b):
    update = update_services.update_save(
        project=project,
        actor=project.manager,
        period=last_month(),
        percent_complete=10,
        spend_to_date=10,
        declared_confidence="amber",
    )
    # A draft is read by those who write or review it; others read an update once approved.
    assert client_for(project.manager).get(f"/ar/delivery/updates/{update.pk}/").status_code == 200
    assert client_for(viewer_a).get(f"/ar/delivery/updates/{update.pk}/").status_code == 404
    assert client_for(viewer_a).get(f"/ar/delivery/updates/{update.pk}/edit/").status_code == 404
    assert (
        client_for(viewer_a).post(f"/ar/delivery/projects/{project.pk}/updates/new/", update_form(project)).status_code
        == 403
    )
    for outsider in (coordinator_b, manager_b, None):
        assert client_for(outsider).get(f"/ar/delivery/updates/{update.pk}/").status_code == 404
        assert client_for(outsider).get(f"/ar/delivery/projects/{project.pk}/updates/").status_code == 404


def test_a_rebaseline_without_a_reason_is_refused_and_with_one_it_waits_for_the_national_unit(
    project, client_for, manager_a, coordinator_a, national
):
    url = f"/en/delivery/projects/{project.pk}/baselines/"
    new_end = (project.planned_end + datetime.timedelta(days=90)).isoformat()
    data = {
        "planned_start": project.planned_start.isoformat(),
        "planned_end": new_end,
        "planned_budget": "450000",
        "reason": "",
    }
    response = client_for(manager_a).post(url, data)
    assert response.status_code == 400 and "A re-baseline needs a reason" in response.content.decode()
    assert not Baseline.objects.exists()
    client_for(manager_a).post(url, {**data, "reason": "تأخر الصفقة"})
    proposed = Baseline.objects.get(number=2)
    assert proposed.status == "proposed"
    assert Notification.objects.filter(user=national, kind="baseline_requested").exists()
    # The ministry's coordinator is in the loop.
    assert Notification.objects.filter(user=coordinator_a, kind="baseline_requested").exists()
    # Before deciding, the national unit reads what the request would change.
    before = client_for(national).get(url).content.decode()
    assert re.search(r'class="proposal-changes">If approved: the end moves by (<bdi>)?90(</bdi>)? days', before)
    assert client_for(coordinator_a).post(f"/en/delivery/baselines/{proposed.pk}/approve/").status_code == 403
    # A decision without a reason is refused and changes nothing.
    client_for(national).post(f"/en/delivery/baselines/{proposed.pk}/approve/", {"note": ""})
    assert Baseline.objects.get(pk=proposed.pk).status == "proposed"
    client_for(national).post(f"/en/delivery/baselines/{proposed.pk}/approve/", {"note": "الصفقة مبررة"})
    decided = Notification.objects.get(user=manager_a, kind="baseline_decided")
    assert decided.params["note"] == "الصفقة مبررة"
    assert Notification.objects.filter(user=coordinator_a, kind="baseline_decided").exists()
    project.refresh_from_db()
    assert project.planned_end.isoformat() == new_end and project.planned_budget == Decimal("450000")
    page = client_for(manager_a).get(url).content.decode()
    assert "Original plan" in page and re.search(r'class="end-shift">90 days<', page)


def test_an_obstacle_escalated_to_the_council_reaches_its_agenda_and_those_who_must_act(
    project, client_for, manager_a, coordinator_a, gov, ministry_b, coordinator_b
):
    meeting = make_meeting(kind=MeetingKind.COUNCIL_OF_MINISTERS, name_ar="مجلس الوزراء", owner=gov)
    response = client_for(manager_a).post(
        f"/ar/delivery/projects/{project.pk}/obstacles/new/",
        {
            "category": "coordination",
            "severity": "critical",
            "description": "عدم ربط منظومة وزارة الصحة",
            "proposed_solution": "رزنامة ربط ملزمة",
            "must_act": ministry_b.pk,
            "due_date": "",
            "status": "open",
            "classification": "confidential",  # never below its confidential project
        },
    )
    assert response.status_code == 302
    obstacle = Obstacle.objects.get()
    assert (
        client_for(manager_a)
        .post(f"/ar/delivery/obstacles/{obstacle.pk}/escalate/", {"meeting": meeting.pk})
        .status_code
        == 403
    )
    assert not AgendaItem.objects.exists()  # a project manager does not escalate
    client_for(coordinator_a).post(f"/ar/delivery/obstacles/{obstacle.pk}/escalate/", {"meeting": meeting.pk})
    assert AgendaItem.objects.get().obstacle == obstacle
    # The ministry asked to act may not read this confidential project: it is not told its code.
    assert not Notification.objects.filter(user=coordinator_b, kind="obstacle_escalated").exists()
    assert Notification.objects.filter(user=manager_a, kind="obstacle_escalated").exists()
    page = client_for(coordinator_a).get(f"/ar/meetings/{meeting.pk}/").content.decode()
    assert "عدم ربط منظومة وزارة الصحة" in page
    # the agenda item points at a confidential project: the public does not see it
    assert "عدم ربط منظومة وزارة الصحة" not in client_for(None).get(f"/ar/meetings/{meeting.pk}/").content.decode()


def test_the_blocked_view_counts_only_visible_blocked_projects_and_each_figure_leads_to_its_rows(
    project, client_for, ministry_a, axis, viewer_a, coordinator_b
):
    public = make_project("P-PUB", ministry_a, axis)
    obstacle_services.obstacle_report(
        project=project,
        actor=project.manager,
        category="funding",
        severity="critical",
        description="x",
        must_act=ministry_a,
    )
    model_create(
        model=Obstacle,
        actor=None,
        data=dict(project=public, category="legal", severity="high", description="y", must_act=ministry_a),
    )
    model_create(
        model=Obstacle,
        actor=None,
        data=dict(project=public, category="technical", severity="low", description="z", must_act=ministry_a),
    )
    anonymous = client_for(None).get("/en/delivery/blocked/").content.decode()
    assert 'data-count="1"' in anonymous and "P-PUB" in anonymous and "P-1" not in anonymous
    insider = client_for(viewer_a).get("/en/delivery/blocked/").content.decode()
    assert 'data-count="2"' in insider
    legal = client_for(viewer_a).get("/en/delivery/blocked/?category=legal").content.decode()
    assert 'data-count="1"' in legal and "P-PUB" in legal
    assert 'data-count="1"' in client_for(coordinator_b).get("/en/delivery/blocked/").content.decode()
    assert client_for(None).get("/en/delivery/blocked/?category=nonsense").status_code == 404


def test_missing_updates_are_listed_per_ministry(project, client_for, ministry_a, axis, viewer_a):
    reported = make_project(
        "P-2",
        ministry_a,
        axis,
        status="in_progress",
        planned_start=timezone.localdate() - datetime.timedelta(days=100),
        planned_end=timezone.localdate() + datetime.timedelta(days=100),
    )
    update = model_create(
        model=ProgressUpdate,
        actor=None,
        data=dict(
            project=reported, period=last_month(), percent_complete=5, spend_to_date=0, declared_confidence="green"
        ),
    )
    ProgressUpdate.objects.filter(pk=update.pk).update(status=UpdateStatus.SUBMITTED)
    page = client_for(viewer_a).get("/en/delivery/due/").content.decode()
    assert "P-1" in page and "P-2" not in page and 'data-count="1"' in page


def test_the_roadmap_draws_plan_baseline_and_milestones_with_logical_offsets(project, client_for, manager_a, national):
    baseline = baseline_services.baseline_request(
        project=project,
        actor=manager_a,
        planned_start=project.planned_start,
        planned_end=project.planned_end + datetime.timedelta(days=60),
        planned_budget=project.planned_budget,
        reason="x",
    )
    baseline_services.baseline_decide(baseline=baseline, actor=national, approve=True, note="accord")
    page = client_for(manager_a).get(f"/ar/delivery/roadmap/?strategy={project.strategy_id}").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert 'class="gantt-bar plan" data-at="' in page and 'class="gantt-bar baseline"' in page
    assert "gantt-mark open" in page
    assert "left:" not in page and "right:" not in page
    assert (
        client_for(None)
        .get(f"/ar/delivery/roadmap/?strategy={project.strategy_id}")
        .content.decode()
        .count("gantt-bar plan")
        == 0
    )
    assert client_for(None).get("/ar/delivery/roadmap/?strategy=abc").status_code == 400


@pytest.mark.parametrize("reader", ["manager_a", "coordinator_b", None])
def test_the_roadmap_draws_the_projects_the_list_shows_with_the_same_filters(project, client_for, request, reader):
    client = client_for(request.getfixturevalue(reader) if reader else None)
    drawn_counts = []
    for query in ("", f"?organization={project.owner_id}", "?status=in_progress", "?q=P"):
        roadmap = client.get(f"/en/delivery/roadmap/{query}")
        listed = client.get(f"/en/projects/{query}")
        assert roadmap.status_code == listed.status_code
        if listed.status_code == 200:
            drawn = roadmap.content.decode().count('class="gantt-bar plan"')
            assert drawn == int(re.search(r'data-count="(\d+)"', listed.content.decode()).group(1))
            drawn_counts.append(drawn)
    assert reader != "manager_a" or max(drawn_counts) > 0  # positive control: the manager sees their project


@pytest.mark.parametrize("language", ["ar", "fr", "en"])
def test_the_rating_rules_are_written_in_each_language(client, db, language):
    from django.utils import translation

    with translation.override(language):
        heading = translation.gettext("1. Schedule")
        freshness = translation.gettext("3. Freshness")
    body = client.get(f"/{language}/delivery/rules/").content.decode()
    assert heading in body and freshness in body and "45" in body
    if language != "en":
        assert heading != "1. Schedule"


def test_the_inbox_shows_notifications_in_the_readers_language_and_marks_them_read(
    project, client_for, manager_a, coordinator_a
):
    client_for(manager_a).post(
        f"/ar/delivery/projects/{project.pk}/updates/new/", {**update_form(project), "submit": "1"}
    )
    client = client_for(coordinator_a)
    assert re.search(r'class="badge unread-count">(?:<bdi>)?1<', client.get("/en/").content.decode())
    inbox = client.get("/en/delivery/inbox/").content.decode()
    assert "P-1" in inbox and "waits for your review" in inbox
    notification = Notification.objects.get(user=coordinator_a)
    assert f'action="/en/delivery/inbox/{notification.pk}/"' in inbox
    assert client.get(f"/en/delivery/inbox/{notification.pk}/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None  # following a link changes nothing
    assert client_for(manager_a).post(f"/en/delivery/inbox/{notification.pk}/").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    assert client.post(f"/en/delivery/inbox/{notification.pk}/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_decision_falls_overdue_and_its_responsible_coordinator_reports_action_point_by_point(
    gov, ministry_a, client_for, coordinator_a, coordinator_b, viewer_a, national
):
    meeting = make_meeting(name_ar="مجلس وزاري", owner=gov)
    decision = make_decision(
        meeting=meeting,
        text_ar="إنشاء لوحات قيادة",
        responsible=ministry_a,
        due_date=timezone.localdate() - datetime.timedelta(days=5),
    )
    overdue = client_for(None).get("/en/meetings/decisions/?status=overdue").content.decode()
    assert 'data-count="1"' in overdue and "Overdue" in overdue
    assert (
        client_for(coordinator_b)
        .post(f"/en/meetings/decisions/{decision.pk}/actions/", {"reported_on": "2026-01-10", "text": "x"})
        .status_code
        == 403
    )
    assert (
        client_for(viewer_a)
        .post(f"/en/meetings/decisions/{decision.pk}/actions/", {"reported_on": "2026-01-10", "text": "x"})
        .status_code
        == 403
    )
    client = client_for(coordinator_a)
    client.post(
        f"/en/meetings/decisions/{decision.pk}/actions/", {"reported_on": "2026-01-10", "text": "ضبط قائمة المؤشرات"}
    )
    client.post(
        f"/en/meetings/decisions/{decision.pk}/actions/",
        {"reported_on": "2026-02-10", "text": "إطلاق اللوحة الوطنية"},
    )
    # Carried out: the coordinator reports it done with evidence, and the national unit accepts it.
    client.post(f"/en/meetings/decisions/{decision.pk}/closure/", {"evidence": "اللوحة منشورة"})
    assert "awaiting validation" in client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()
    closure = decision.closures.get()
    client_for(national).post(f"/en/meetings/decisions/closures/{closure.pk}/accept/")
    page = client_for(None).get(f"/en/meetings/{meeting.pk}/").content.decode()
    assert page.index("ضبط قائمة المؤشرات") < page.index("إطلاق اللوحة الوطنية")
    assert "✔ Done" in page
    assert 'data-count="0"' in client_for(None).get("/en/meetings/decisions/?status=overdue").content.decode()


def test_each_cell_of_the_blocked_matrix_leads_to_exactly_its_projects(
    project, client_for, ministry_a, ministry_b, axis, viewer_a
):
    other = make_project("P-B", ministry_b, axis)
    for p, category in ((project, "funding"), (other, "funding")):
        model_create(
            model=Obstacle,
            actor=None,
            data=dict(project=p, category=category, severity="high", description="x", must_act=p.owner),
        )
    client = client_for(viewer_a)
    page = client.get("/en/delivery/blocked/").content.decode()
    links = re.findall(r'href="(/en/delivery/blocked/\?category=funding&amp;organization=\d+)">(?:<bdi>)?(\d+)<', page)
    assert len(links) == 2
    for link, figure in links:
        listed = client.get(link.replace("&amp;", "&")).content.decode()
        assert f'data-count="{figure}"' in listed
    assert client.get("/en/delivery/blocked/?organization=abc").status_code == 404


def test_a_refused_update_shows_each_error_beside_its_field_named_in_words(project, client_for, manager_a):
    response = client_for(manager_a).post(
        f"/en/delivery/projects/{project.pk}/updates/new/", update_form(project, percent_complete="140")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "less than or equal to 100" in field_error(body, "id_percent_complete")
    text = re.sub(r"<[^>]+>", " ", body)
    assert "Percent complete: Ensure this value is less than or equal to 100." in text  # the summary above the form
    assert "percent_complete" not in text
    assert not ProgressUpdate.objects.exists()
