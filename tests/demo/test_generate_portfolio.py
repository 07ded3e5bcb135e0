"""generate_portfolio: the requested numbers of synthetic rows, consistent trees, the same rows for the
same seed, one audit entry per model, and no second run into the same database without --replace."""

import datetime
import io
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from masar.accounts.models import Role, User
from masar.arabic import fold
from masar.audit.models import Action, AuditEntry
from masar.decisions.models import (
    ActionUpdate,
    AgendaItem,
    ClosureStatus,
    Decision,
    DecisionClosure,
    Meeting,
    MeetingKind,
)
from masar.delivery.models import (
    BLOCKING_SEVERITIES,
    BaselineStatus,
    MilestoneReport,
    Notification,
    Obstacle,
    ObstacleComment,
    ObstacleStatus,
    ProgressUpdate,
    ProjectHealth,
    Severity,
    UpdateStatus,
)
from masar.delivery.models import Baseline as ProjectBaseline
from masar.delivery.services.ratings import health_refresh_all
from masar.demo.synthetic import REFERENCE_DATE
from masar.demo.synthetic_delivery import RESOLVED_COMMENT
from masar.indicators.models import Baseline as IndicatorBaseline
from masar.indicators.models import Indicator, Measurement, Target
from masar.indicators.periods import period_end
from masar.organizations.models import Organization, Region
from masar.portfolio.models import Milestone, Project
from masar.strategy.models import Axis, Phase, Program, Strategy

SMALL = ["--organizations", "30", "--regions", "5", "--projects", "300", "--years", "2"]
MODELS = [Organization, Region, Strategy, Axis, Program, Phase, Project, Milestone]
REFERENCE_END = datetime.datetime(2026, 11, 22, 23, 59, tzinfo=datetime.UTC)


def generate(*args):
    out = io.StringIO()
    call_command("generate_portfolio", *SMALL, *args, stdout=out)
    return out.getvalue()


def synthetic_rows():
    counts = {model.__name__: model.objects.filter(source="synthetic").count() for model in MODELS}
    return counts | {
        "regions links": Project.regions.through.objects.count(),
        "partner links": Project.partners.through.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def milestone_rows():
    milestones = Milestone.objects.order_by("project__code", "order")
    return list(milestones.values_list("name_ar", "planned_date", "actual_date"))


def project_rows():
    return list(
        Project.objects.order_by("code").values_list(
            "code", "name_ar", "name_en", "planned_budget", "planned_start", "status", "classification", "owner__code"
        )
    )


def test_it_creates_the_requested_numbers_of_records(db):
    output = generate("--batch-size", "120")
    assert Organization.objects.filter(source="synthetic").count() == 30
    root = Organization.objects.get(code="SYN-GOV")
    assert root.parent is None and root.children.filter(kind="ministry").count() == 2
    assert Region.objects.filter(parent__code="SYN", kind="region").count() == 5
    strategy = Strategy.objects.get(code="SYN-STR")
    assert (strategy.period_start.isoformat(), strategy.period_end.isoformat()) == ("2025-01-01", "2026-12-31")
    assert (strategy.axes.count(), strategy.programs.count(), strategy.phases.count()) == (4, 12, 3)
    assert strategy.projects.count() == 300
    assert "projects 300/300" in output and "rows/s" in output


def test_every_record_is_a_flagged_synthetic_sample(db):
    generate()
    for model in MODELS:
        assert model.objects.exists()
        assert not model.objects.exclude(source="synthetic").exists()
        assert not model.objects.filter(is_sample=False).exists()


def test_tree_paths_follow_the_parents(db):
    generate()
    for model in (Organization, Region):
        nodes = {node.pk: node for node in model.objects.all()}
        for node in nodes.values():
            parent_path = nodes[node.parent_id].path if node.parent_id else "/"
            assert node.path == f"{parent_path}{node.pk}/"
            assert node.depth == node.path.count("/") - 2
        assert {node.depth for node in nodes.values()} == ({0, 1, 2} if model is Organization else {0, 1})


def test_projects_are_consistent_with_their_strategy_and_have_milestones_and_regions(db):
    generate()
    strategy = Strategy.objects.get(code="SYN-STR")
    for project in Project.objects.select_related("program", "phase").prefetch_related("milestones", "regions"):
        assert project.program.axis_id == project.axis_id and project.program.strategy_id == strategy.pk
        assert project.phase.start <= project.planned_start <= project.phase.end
        assert project.planned_start <= project.planned_end
        assert 2 <= len(project.milestones.all()) <= 5
        assert 1 <= len(project.regions.all()) <= 2
        assert project.owner.code != "SYN-GOV"
        expected = fold(
            " ".join(
                [
                    project.code,
                    project.name_ar,
                    project.name_fr,
                    project.name_en,
                    project.description_ar,
                    project.description_fr,
                    project.description_en,
                ]
            )
        )
        assert project.search_text == expected
    statuses = set(Project.objects.values_list("status", flat=True))
    assert {"completed", "in_progress"} <= statuses
    assert set(Project.objects.values_list("classification", flat=True)) == {"public", "restricted", "confidential"}
    assert Project.objects.search("رقمنة").exists()


def test_it_records_one_audit_entry_per_model_and_the_chain_verifies(db):
    generate("--seed", "7")
    for model in MODELS:
        entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert entries.count() == 1, model.__name__
        entry = entries.get()
        assert entry.action == Action.BULK_CREATE and entry.object_id == "synthetic" and entry.actor is None
        assert entry.changes["count"] == model.objects.count() and entry.changes["seed"] == 7
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact" in out.getvalue()


def test_the_same_seed_gives_the_same_rows(db):
    generate("--seed", "3")
    first = project_rows()
    milestones = milestone_rows()
    generate("--seed", "3", "--replace", "--batch-size", "7")
    assert project_rows() == first
    assert milestone_rows() == milestones
    assert Project.objects.count() == 300 and Organization.objects.count() == 30
    generate("--seed", "4", "--replace")
    assert project_rows() != first


def test_a_second_run_without_replace_fails_and_changes_nothing(db):
    generate()
    before = synthetic_rows()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    assert synthetic_rows() == before


def test_replace_deletes_only_the_synthetic_data_and_audits_the_deletion(gov, ministry_a, axis):
    generate()
    generate("--replace")
    assert Organization.objects.filter(code__in=["GOV", "MIN-A"]).count() == 2
    assert Strategy.objects.filter(code="P2526").exists() and Axis.objects.filter(pk=axis.pk).exists()
    deleted = AuditEntry.objects.filter(action=Action.DELETE, object_id="synthetic")
    assert deleted.get(content_type=ContentType.objects.get_for_model(Project)).changes["count"] == 300
    assert Organization.objects.filter(source="synthetic").count() == 30


def test_it_refuses_sizes_it_cannot_build(db):
    with pytest.raises(CommandError):
        call_command("generate_portfolio", "--organizations", "1", stdout=io.StringIO())
    assert not Organization.objects.exists()


# The history of the portfolio: people, monthly updates, re-baselines, obstacles, meetings, inbox, indicators.

HISTORY = [
    ProgressUpdate,
    MilestoneReport,
    ProjectBaseline,
    Obstacle,
    ObstacleComment,
    Meeting,
    AgendaItem,
    Decision,
    ActionUpdate,
    DecisionClosure,
    Notification,
    Indicator,
    IndicatorBaseline,
    Target,
    Measurement,
]
LAST_MONTH = datetime.date(2026, 11, 1)


def rows(queryset, *fields):
    """Return the rows of queryset ordered by all the fields given (natural keys first)."""
    return list(queryset.order_by(*fields).values_list(*fields))


def history_rows():
    """Every row of the history, by natural keys (primary keys differ between runs on PostgreSQL)."""
    meeting = ("meeting__date", "meeting__kind", "meeting__owner__code")
    return {
        "updates": rows(
            ProgressUpdate.objects,
            "project__code",
            "period",
            "status",
            "percent_complete",
            "spend_to_date",
            "declared_confidence",
            "submitted_at",
            "reviewed_at",
            "reviewed_by__username",
        ),
        "warnings": list(ProgressUpdate.objects.order_by("project__code", "period").values_list("confirmed_warnings")),
        "reports": rows(
            MilestoneReport.objects, "update__project__code", "update__period", "milestone__order", "actual_date"
        ),
        "milestones": rows(Milestone.objects, "project__code", "order", "actual_date"),
        "baselines": rows(
            ProjectBaseline.objects,
            "project__code",
            "number",
            "status",
            "planned_end",
            "planned_budget",
            "requested_at",
            "decided_at",
        ),
        "obstacles": rows(
            Obstacle.objects,
            "project__code",
            "reported_at",
            "category",
            "severity",
            "status",
            "must_act__code",
            "update__period",
        ),
        "comments": rows(
            ObstacleComment.objects, "obstacle__project__code", "obstacle__reported_at", "created_at", "text"
        ),
        "decisions": rows(Decision.objects, *meeting, "order", "responsible__code", "due_date"),
        "closures": rows(
            DecisionClosure.objects, "decision__meeting__date", "decision__order", "requested_at", "status"
        ),
        "agenda": rows(AgendaItem.objects, *meeting, "order", "project__code", "title_ar"),
        "notifications": rows(Notification.objects, "user__username", "created_at", "kind", "read_at", "emailed_at"),
        "measurements": rows(Measurement.objects, "indicator__code", "region__code", "period", "value", "status"),
        "managers": rows(Project.objects, "code", "manager__username"),
    }


def test_the_history_has_every_kind_of_record_each_audited_once(db):
    output = generate()
    for model in HISTORY:
        assert model.objects.exists(), model.__name__
        entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert list(entries.values_list("changes__count", flat=True)) == [model.objects.count()], model.__name__
    for model in HISTORY:
        if any(f.name == "source" for f in model._meta.fields):
            assert not model.objects.exclude(source="synthetic").exists(), model.__name__
            assert not model.objects.filter(is_sample=False).exists(), model.__name__
    users = User.objects.filter(username__startswith="synthetic.")
    assert set(users.values_list("role", flat=True)) == {
        Role.NATIONAL_ADMIN,
        Role.SECTOR_COORDINATOR,
        Role.PROJECT_MANAGER,
    }
    assert not Project.objects.filter(manager__isnull=True).exists()
    assert f"{ProgressUpdate.objects.count():,d} progress updates" in output and "measurements" in output
    assert "notifications:" in output and "rows/s" in output


def test_every_project_under_way_reports_monthly_until_the_reference_date(db):
    generate()
    under_way = Project.objects.filter(status="in_progress", planned_start__lt=datetime.date(2026, 9, 1))
    assert under_way.exists()
    assert not under_way.exclude(updates__isnull=False).exists()
    assert not Project.objects.filter(status="planned", updates__isnull=False).exists()
    assert not ProgressUpdate.objects.filter(period__gt=LAST_MONTH).exists()
    assert not ProgressUpdate.objects.filter(submitted_at__gt=REFERENCE_END).exists()
    assert not ProgressUpdate.objects.filter(reviewed_at__gt=REFERENCE_END).exists()
    assert set(ProgressUpdate.objects.values_list("status", flat=True)) == set(UpdateStatus.values)
    statuses = Counter(ProgressUpdate.objects.values_list("status", flat=True))
    assert statuses[UpdateStatus.APPROVED] > 0.8 * sum(statuses.values())
    series = {}
    for update in ProgressUpdate.objects.order_by("project", "period"):
        series.setdefault(update.project_id, []).append(update)
    for updates in series.values():
        statuses = [u.status for u in updates]
        approved = statuses.count(UpdateStatus.APPROVED)
        assert statuses[:approved] == [UpdateStatus.APPROVED] * approved, statuses  # approved months come first
        reviewed = [u.reviewed_at for u in updates[:approved]]
        assert reviewed == sorted(reviewed)
        reported = [u for u in updates if u.status in (UpdateStatus.APPROVED, UpdateStatus.SUBMITTED)]
        for before, after in zip(reported, reported[1:], strict=False):
            assert before.spend_to_date <= after.spend_to_date and before.percent_complete <= after.percent_complete
        for update in updates:
            assert (update.submitted_at is None) == (update.status == UpdateStatus.DRAFT)
            assert (update.reviewed_at is None) == (update.status in (UpdateStatus.DRAFT, UpdateStatus.SUBMITTED))
            assert update.submitted_at is None or update.submitted_at.date() > update.period


def test_milestones_are_dated_by_the_approved_updates_that_report_them(db):
    generate()
    reports = MilestoneReport.objects.select_related("update", "milestone")
    assert reports.filter(update__status=UpdateStatus.APPROVED).exists()
    assert reports.exclude(update__status=UpdateStatus.APPROVED).exists()
    for report in reports:
        assert report.milestone.project_id == report.update.project_id
        assert report.actual_date.replace(day=1) == report.update.period
        applied = report.update.status == UpdateStatus.APPROVED
        assert report.milestone.actual_date == (report.actual_date if applied else None)
    assert not Milestone.objects.filter(actual_date__gt=REFERENCE_DATE).exists()


def test_rebaselines_start_from_the_original_plan_and_end_at_the_project_plan(db):
    generate()
    by_project = {}
    for baseline in ProjectBaseline.objects.select_related("project").order_by("project", "number"):
        by_project.setdefault(baseline.project, []).append(baseline)
    statuses = Counter(b.status for baselines in by_project.values() for b in baselines if b.number > 1)
    assert statuses[BaselineStatus.APPROVED] and statuses[BaselineStatus.PROPOSED] and statuses[BaselineStatus.REJECTED]
    assert any(len(baselines) >= 3 for baselines in by_project.values())
    for project, baselines in by_project.items():
        assert [b.number for b in baselines] == list(range(1, len(baselines) + 1))
        assert baselines[0].status == BaselineStatus.APPROVED and baselines[0].reason == ""
        assert sum(b.status == BaselineStatus.PROPOSED for b in baselines) <= 1
        current = [b for b in baselines if b.status == BaselineStatus.APPROVED][-1]
        assert (current.planned_end, current.planned_budget) == (project.planned_end, project.planned_budget)
        assert set(baselines[0].milestone_dates) == {str(pk) for pk in project.milestones.values_list("pk", flat=True)}
        for baseline in baselines[1:]:
            assert baseline.reason and baseline.requested_at.date() <= REFERENCE_DATE
            assert (baseline.decided_at is None) == (baseline.status == BaselineStatus.PROPOSED)


def test_obstacles_follow_their_life_cycle(db):
    generate()
    obstacles = Obstacle.objects.select_related("update").prefetch_related("comments")
    assert set(obstacles.values_list("status", flat=True)) == set(ObstacleStatus.values)
    assert set(obstacles.values_list("severity", flat=True)) == set(Severity.values)
    for obstacle in obstacles:
        assert obstacle.reported_at.date() < REFERENCE_DATE and obstacle.reported_at <= obstacle.updated_at
        assert obstacle.update is None or obstacle.update.project_id == obstacle.project_id
        comments = list(obstacle.comments.all())
        assert all(obstacle.reported_at.date() <= c.created_at.date() <= REFERENCE_DATE for c in comments)
        if obstacle.status == ObstacleStatus.RESOLVED:
            # The day it was resolved: its last change, and the comment that closes its history.
            assert comments and comments[-1].text == RESOLVED_COMMENT
            assert comments[-1].created_at.date() == obstacle.updated_at.date()
        else:
            assert RESOLVED_COMMENT not in [c.text for c in comments]
    escalated = AgendaItem.objects.filter(obstacle__isnull=False).select_related("obstacle", "meeting")
    assert escalated.exists()
    for item in escalated:
        assert item.project_id == item.obstacle.project_id and item.obstacle.severity in BLOCKING_SEVERITIES
        assert (
            item.meeting.kind == MeetingKind.COUNCIL_OF_MINISTERS
            and item.meeting.date > item.obstacle.reported_at.date()
        )


def test_decisions_are_followed_up_within_their_meeting(db):
    generate()
    assert not Decision.objects.filter(meeting__decisions_published=False).exists()
    assert Meeting.objects.filter(decisions_published=False, date__gt=REFERENCE_DATE).exists()
    for decision in Decision.objects.select_related("meeting").prefetch_related("closures", "action_updates"):
        assert decision.classification == decision.meeting.classification
        assert decision.due_date > decision.meeting.date
        closures = sorted(decision.closures.all(), key=lambda c: c.requested_at)
        assert sum(c.status == ClosureStatus.REQUESTED for c in closures) <= 1
        assert all(c.requested_at.date() >= decision.meeting.date for c in closures)
        # A returned request may be followed by a new one; nothing follows an accepted or a waiting one.
        assert all(c.status == ClosureStatus.RETURNED for c in closures[:-1])
        for update in decision.action_updates.all():
            assert decision.meeting.date <= update.reported_on <= REFERENCE_DATE
    states = set(DecisionClosure.objects.values_list("status", flat=True))
    assert states == {ClosureStatus.REQUESTED, ClosureStatus.ACCEPTED, ClosureStatus.RETURNED}
    for item in AgendaItem.objects.filter(decision__isnull=False).select_related("decision__meeting", "meeting"):
        assert item.decision.meeting.date < item.meeting.date


def test_a_busy_coordinator_finds_an_inbox(db):
    generate()
    notifications = Notification.objects.select_related("user")
    assert not notifications.exclude(user__username__startswith="synthetic.").exists()
    assert not notifications.filter(created_at__gt=REFERENCE_END + datetime.timedelta(days=1)).exists()
    kinds = set(notifications.values_list("kind", flat=True))
    assert {"update_submitted", "update_approved", "update_due", "baseline_requested", "decision_due"} <= kinds
    busiest = Counter(notifications.filter(user__role=Role.SECTOR_COORDINATOR).values_list("user", flat=True))
    (user_id, count), *_ = busiest.most_common(1)
    assert count >= 20 and Notification.objects.filter(user_id=user_id, read_at__isnull=True).exists()
    for notification in notifications.filter(kind="update_submitted"):
        assert notification.user.role == Role.SECTOR_COORDINATOR
    keys = [k for k in notifications.exclude(key="").values_list("user", "key")]
    assert len(keys) == len(set(keys))


def test_indicators_are_measured_by_region_up_to_the_last_period_over(db):
    generate("--indicators", "8")
    assert Indicator.objects.count() == 8
    regions = Region.objects.filter(kind="region").count()
    for indicator in Indicator.objects.prefetch_related("projects", "programs"):
        assert indicator.owner.kind == "ministry" and indicator.region_level == "region"
        assert indicator.projects.exists() and indicator.programs.exists()
        assert all(p.owner.path.startswith(indicator.owner.path) for p in indicator.projects.all())
        values = Measurement.objects.filter(indicator=indicator)
        periods = sorted(set(values.values_list("period", flat=True)))
        assert values.count() == len(periods) * regions
        assert not values.filter(region__isnull=True).exists()
        assert period_end(periods[-1], indicator.frequency) < REFERENCE_DATE
        assert not values.exclude(status="approved").filter(period__lt=periods[-1]).exists()
    assert Measurement.objects.exclude(status="approved").exists()
    assert set(Indicator.objects.values_list("frequency", flat=True)) == {"monthly", "quarterly"}


def test_the_same_seed_gives_the_same_history(db):
    generate("--seed", "5")
    first = history_rows()
    generate("--seed", "5", "--replace", "--batch-size", "11")
    assert history_rows() == first
    generate("--seed", "6", "--replace")
    second = history_rows()
    assert second["updates"] != first["updates"] and second["notifications"] != first["notifications"]


def test_replace_deletes_the_history_too(db):
    generate()
    people = User.objects.filter(username__startswith="synthetic.")
    assert people.count() == 65
    generate("--replace", "--organizations", "10", "--projects", "0", "--months", "0", "--indicators", "0")
    for model in HISTORY:
        assert not model.objects.exists(), model.__name__
    assert not ProjectHealth.objects.exists() and not Project.objects.exists()
    # People are never deleted: those the smaller run does not take back are deactivated, without organization.
    assert people.count() == 65 and people.filter(is_active=True).count() == 3 + 2 + 9 * 2
    assert not people.filter(is_active=False).exclude(organization=None).exists()
    deleted = AuditEntry.objects.filter(action=Action.DELETE, object_id="synthetic")
    assert deleted.get(content_type=ContentType.objects.get_for_model(ProgressUpdate)).changes["count"] > 0


def test_the_nightly_rating_runs_on_the_history(db):
    generate()
    assert health_refresh_all(today=REFERENCE_DATE) == 300
    health = ProjectHealth.objects.all()
    assert health.count() == 300
    assert len(set(health.values_list("computed", flat=True))) >= 3
    assert health.filter(rebaselines__gte=1).exists() and health.exclude(last_approved_period=None).exists()
    generate("--replace")  # the ratings of the projects replaced go with them
    assert not ProjectHealth.objects.exists()
