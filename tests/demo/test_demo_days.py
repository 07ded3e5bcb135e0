"""The demo loaded on a given day: its sample history is placed relative to that day, its milestones
stay within their projects' plans, the details the sources are silent on are labelled sample, and
its dashboards never add up two governments."""

import datetime
import io
import re

import pytest
from django.db import transaction
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from masar.accounts.models import User
from masar.core.months import month_end, previous_month
from masar.decisions.models import AgendaItem, Decision
from masar.delivery.models import Notification, Obstacle, ProgressUpdate, ProjectHealth
from masar.delivery.selectors import missing_updates
from masar.demo.data import sample
from masar.demo.delivery import FOLLOW_UP
from masar.demo.services import demo_load
from masar.indicators.models import Measurement
from masar.organizations.models import Organization, OrganizationKind
from masar.portfolio.models import Project, ProjectStatus
from tests.html import without_isolates

# Two load days months apart, both before the day the sample was first drawn against, and both past
# whatever day the tests run on (services refuse some dates in the future).
DAYS = [datetime.date(2026, 3, 17), datetime.date(2026, 9, 2)]
PROGRAM = "TN-PTN-2526"


@pytest.fixture(scope="module", params=DAYS, ids=str)
def demo_day(request, django_db_setup, django_db_blocker):
    """Load the demo once per day for the module, inside a transaction rolled back afterwards."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hasher, transaction.atomic():
        demo_load(stdout=io.StringIO(), today=request.param)
        yield request.param
        transaction.set_rollback(True)


@pytest.fixture
def today(demo_day, db):
    return demo_day


@pytest.fixture
def admin_client(client, today):
    client.force_login(User.objects.get(username="admin"))
    return client


def test_the_same_load_day_gives_the_same_plan_and_another_day_moves_it():
    first, again = sample.portfolio_plan(DAYS[0]), sample.portfolio_plan(DAYS[0])
    assert first == again
    later = sample.portfolio_plan(DAYS[1])
    shift = DAYS[1] - DAYS[0]
    ptn = [(a, b) for a, b in zip(first, later, strict=True) if a["strategy"] == PROGRAM]
    assert len(ptn) == 138
    assert all(b["planned_start"] - a["planned_start"] == shift for a, b in ptn)
    assert all(b["planned_end"] - a["planned_end"] == shift for a, b in ptn)


def test_the_updates_due_are_those_of_the_month_before_the_load_day_and_most_are_in(today):
    due = previous_month(today)
    latest = ProgressUpdate.objects.filter(project__strategy__code=PROGRAM).aggregate(last=Max("period"))["last"]
    assert latest == due
    admin = User.objects.get(username="admin")
    missing, period = missing_updates(admin, today=today)
    assert period == due
    in_progress = Project.objects.filter(
        strategy__code=PROGRAM, status=ProjectStatus.IN_PROGRESS, planned_start__lt=today.replace(day=1)
    )
    assert in_progress.count() > 20  # positive control
    missing_in_program = missing.filter(strategy__code=PROGRAM)
    assert 0 < missing_in_program.count() < in_progress.count() / 3
    assert not ProgressUpdate.objects.filter(period__gt=due).exists()


def test_freshness_is_judged_on_the_load_day_and_a_recent_approval_is_fresh(today):
    health = ProjectHealth.objects.filter(project__strategy__code=PROGRAM)
    assert health.exists() and set(health.values_list("computed_on", flat=True)) == {today}
    fresh = health.filter(last_approved_period=previous_month(today))
    assert fresh.count() > 20  # positive control
    for row in fresh:
        assert (today - month_end(row.last_approved_period)).days <= 45
        assert not [reason for reason in row.reasons if reason["rule"] == "freshness"], row.project_id
    stamps = ProgressUpdate.objects.filter(project__strategy__code=PROGRAM, reviewed_at__isnull=False)
    assert stamps.exists()
    assert all(u.reviewed_at.date() <= today and u.reviewed_at.date() > month_end(u.period) for u in stamps)


def test_due_dates_obstacles_indicators_and_the_inbox_are_dated_from_the_load_day(today):
    decisions = Decision.objects.filter(meeting__source="seed 003").order_by("order")
    assert [(d.due_date - today).days for d in decisions] == [days for days, _ in FOLLOW_UP]
    obstacles = Obstacle.objects.filter(project__strategy__code=PROGRAM)
    assert obstacles.exists() and {o.due_date for o in obstacles} == {today + datetime.timedelta(days=30)}
    assert all(o.reported_at.date() < today for o in obstacles)
    # (The catalogue's computed shares of services run to the load day's own month: they follow the catalogue.)
    typed = Measurement.objects.filter(indicator__frequency="monthly").exclude(source="catalogue")
    monthly = typed.aggregate(last=Max("period"))["last"]
    assert monthly == previous_month(today)
    notifications = Notification.objects.all()
    assert notifications.count() > 50  # positive control
    days = {timezone.localtime(n.created_at).date() for n in notifications}
    assert max(days) <= today and min(days) < today - datetime.timedelta(days=90) and len(days) > 20


def test_every_milestone_lies_within_its_projects_plan_and_go_live_comes_last(today):
    projects = Project.objects.prefetch_related("milestones")
    assert projects.count() == 150  # positive control: every demo project
    for project in projects:
        milestones = sorted(project.milestones.all(), key=lambda m: m.order)
        assert milestones, project.code
        for milestone in milestones:
            assert project.planned_start <= milestone.planned_date <= project.planned_end, project.code
            assert milestone.actual_date is None or milestone.actual_date <= today
        assert milestones[-1].name_en == "Go-live" and milestones[-1].planned_date <= project.planned_end


def test_a_seed_council_decision_shows_its_text_under_the_source_badge_and_its_due_date_marked_sample(
    admin_client, today
):
    decision = Decision.objects.get(meeting__source="seed 003", order=1)
    page = admin_client.get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    assert f'<li id="decision-{decision.pk}">' in page
    shown = page.split(f'<li id="decision-{decision.pk}">', 1)[1].split('<li id="decision-', 1)[0]
    # The source is named by its document's title, never by its code.
    assert decision.text_en in shown and 'class="badge source"' in shown and "seed 003" not in shown
    assert "Report of the ministerial council on digital transformation" in shown
    due = re.search(r"Due: (.*?)\s*<", without_isolates(shown)).group(1)
    assert due and "not set" not in due
    assert re.search(r'Due: [^<]*<span class="badge sample" data-sample-field="due_date"', without_isolates(shown))
    assert 'data-sample-field="responsible"' in shown and 'data-sample-field="projects"' in shown
    listing = admin_client.get("/en/meetings/decisions/").content.decode()
    assert 'data-sample-field="due_date"' in listing and 'data-sample-field="responsible"' in listing


def test_a_decision_taken_from_a_source_with_all_its_details_has_no_sample_mark(admin_client, today):
    decision = Decision.objects.get(meeting__source="seed 003", order=1)
    Decision.objects.filter(pk=decision.pk).update(sample_fields=[])
    page = admin_client.get(f"/en/meetings/{decision.meeting_id}/").content.decode()
    shown = page.split(f'<li id="decision-{decision.pk}">', 1)[1].split('<li id="decision-', 1)[0]
    assert decision.text_en in shown and "data-sample-field" not in shown
    assert "data-sample-field" in page  # the council's other decisions still carry theirs


def test_the_demos_obstacles_and_the_agenda_items_they_became_are_labelled_sample(admin_client, today):
    obstacle = Obstacle.objects.filter(project__strategy__code=PROGRAM).first()
    assert obstacle.is_sample
    page = admin_client.get(f"/en/delivery/obstacles/{obstacle.pk}/").content.decode()
    assert '<span class="badge sample"' in page
    items = AgendaItem.objects.filter(meeting__source="seed 003")
    assert items.exists() and set(items.values_list("is_sample", flat=True)) == {True}
    meeting = admin_client.get(f"/en/meetings/{items.first().meeting_id}/").content.decode()
    agenda = re.search(r'<ol class="agenda">(.*?)</ol>', meeting, re.S).group(1)
    assert agenda.count('<span class="badge sample"') == items.count()


def _total(page):
    return int(re.search(r'data-figure="(\d+)"', page).group(1))


def test_each_government_is_a_root_of_its_own_and_a_dashboard_shows_one_at_a_time(admin_client, client, today):
    roots = Organization.objects.filter(parent=None)
    assert set(roots.values_list("code", "kind")) == {
        ("TN-GOV", OrganizationKind.GOVERNMENT),
        ("MA-GOV", OrganizationKind.GOVERNMENT),
        ("GOV-004", OrganizationKind.GOVERNMENT),
    }
    tunisia, other = Organization.objects.get(code="TN-GOV"), Organization.objects.get(code="GOV-004")
    assert (
        not Project.objects.exclude(owner__path__startswith=tunisia.path)
        .exclude(owner__path__startswith=other.path)
        .exists()
    )
    page = admin_client.get("/en/dashboards/").content.decode()
    first = re.search(r'<form class="dash-filters".*?<select name="(\w+)"', page, re.S).group(1)
    assert first == "government"
    assert re.search(rf'<option value="{tunisia.pk}" selected>', page)
    assert _total(page) == 138 == Project.objects.filter(owner__path__startswith=tunisia.path).count()
    chosen = admin_client.get(f"/en/dashboards/?government={other.pk}").content.decode()
    assert _total(chosen) == 12
    public = client.get("/en/dashboards/public/").content.decode()
    assert _total(public) == 138  # the first government's public projects, not those of the other one too
