"""What `bench.pages` needs beyond `generate_portfolio`'s projects, when the realistic dataset is not there.

The realistic national dataset (`generate_portfolio` with updates, obstacles, decisions and
notifications) is the one to measure on. On a database that only has the projects, this adds,
deterministically and in bulk, enough of each record for every page to have something to show:
twelve monthly updates per active project (the last one submitted for one project in twenty),
blocking obstacles on one project in seven, meetings with decisions, and a busy coordinator's inbox.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

MONTHS = 12
BATCH = 5000


def ensure_people(ministry):
    """Return the benchmark's national administrator and the coordinator of the busiest ministry."""
    from masar.accounts.models import User
    from masar.core.roles import Role

    admin, _ = User.objects.get_or_create(username="bench-pages-admin", defaults={"role": Role.NATIONAL_ADMIN})
    coordinator, _ = User.objects.get_or_create(
        username="bench-pages-coordinator",
        defaults={"role": Role.SECTOR_COORDINATOR, "organization": ministry},
    )
    return admin, coordinator


@transaction.atomic
def top_up(coordinator, *, seed=1):
    """Add updates, obstacles, decisions and notifications where the database has none (idempotent)."""
    from masar.decisions.models import Decision, Meeting, MeetingKind
    from masar.delivery.models import (
        Confidence,
        Notification,
        Obstacle,
        ObstacleCategory,
        ProgressUpdate,
        Severity,
        UpdateStatus,
    )
    from masar.organizations.models import Organization, OrganizationKind
    from masar.portfolio.models import Project, ProjectStatus

    rng = random.Random(seed)
    added = {}
    projects = list(Project.objects.filter(status=ProjectStatus.IN_PROGRESS).values_list("pk", "owner_id", "code"))
    first = timezone.localdate().replace(day=1)
    months = []
    for _ in range(MONTHS):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    now = timezone.now()
    if not ProgressUpdate.objects.exists():
        manager, _ = type(coordinator).objects.get_or_create(username="bench-pages-manager")
        rows = []
        for pk, _owner, _code in projects:
            submitted = rng.random() < 0.05
            for number, period in enumerate(reversed(months)):
                last = number == len(months) - 1
                rows.append(
                    ProgressUpdate(
                        project_id=pk,
                        period=period,
                        percent_complete=min(100, 5 * number + rng.randint(0, 5)),
                        declared_confidence=rng.choice(Confidence.values),
                        spend_to_date=1000 * number,
                        narrative="Synthetic benchmark update.",
                        status=UpdateStatus.SUBMITTED if (last and submitted) else UpdateStatus.APPROVED,
                        submitted_by=manager,
                        submitted_at=now - datetime.timedelta(days=30 * (len(months) - number)),
                        is_sample=True,
                    )
                )
        ProgressUpdate.objects.bulk_create(rows, batch_size=BATCH)
        added["progress_updates"] = len(rows)
    if not Obstacle.objects.exists():
        ministries = list(Organization.objects.filter(kind=OrganizationKind.MINISTRY).values_list("pk", flat=True))
        rows = [
            Obstacle(
                project_id=pk,
                category=rng.choice(ObstacleCategory.values),
                severity=rng.choice([Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM]),
                description="Synthetic benchmark obstacle.",
                must_act_id=rng.choice(ministries) if rng.random() < 0.5 else owner,
                is_sample=True,
            )
            for pk, owner, _code in projects
            if rng.random() < 1 / 7
        ]
        Obstacle.objects.bulk_create(rows, batch_size=BATCH)
        added["obstacles"] = len(rows)
    if not Decision.objects.exists():
        ministries = list(Organization.objects.filter(kind=OrganizationKind.MINISTRY).values_list("pk", flat=True))
        meetings = Meeting.objects.bulk_create(
            Meeting(
                name_ar=f"اجتماع {n}",
                kind=rng.choice(MeetingKind.values),
                body_ar="المجلس",
                date=months[n % MONTHS] + datetime.timedelta(days=10),
                owner_id=ministries[0],
                classification="restricted",
                is_sample=True,
            )
            for n in range(60)
        )
        decisions = Decision.objects.bulk_create(
            [
                Decision(
                    meeting=meeting,
                    order=order,
                    text_ar="قرار تجريبي",
                    responsible_id=rng.choice(ministries),
                    due_date=meeting.date + datetime.timedelta(days=rng.randint(15, 120)),
                    classification="restricted",
                    is_sample=True,
                )
                for meeting in meetings
                for order in range(1, 41)
            ],
            batch_size=BATCH,
        )
        links = [
            Decision.projects.through(decision_id=d.pk, project_id=rng.choice(projects)[0])
            for d in decisions
            if rng.random() < 0.7
        ]
        Decision.projects.through.objects.bulk_create(links, batch_size=BATCH)
        added["decisions"] = len(decisions)
    if not Notification.objects.filter(user=coordinator).exists():
        rows = [
            Notification(
                user=coordinator,
                kind=Notification.Kind.UPDATE_SUBMITTED,
                params={"project": rng.choice(projects)[2], "period": months[n % MONTHS].strftime("%Y-%m")},
                url="/",
                read_at=None if n % 3 else now,
            )
            for n in range(3000)
        ]
        Notification.objects.bulk_create(rows, batch_size=BATCH)
        added["notifications"] = len(rows)
    return added
