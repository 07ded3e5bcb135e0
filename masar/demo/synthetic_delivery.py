"""The delivery history of the synthetic portfolio: its people, monthly updates, re-baselines and obstacles.

`generate_portfolio` draws one project's whole history at once (so the rows do not depend on the
batch size), with a random generator of its own (so the projects stay those earlier runs drew), and
inserts it with the project's batch. The rows follow the rules the services keep: statuses reached
through the workflows (approved months first, then those under review), spend that never goes down,
milestones dated only by an approved update, re-baselines numbered from the original plan with at
most one waiting, and dates that never pass the reference date.
"""

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from masar.accounts.models import User
from masar.core.months import month_end, month_start
from masar.core.roles import Role
from masar.delivery.models import (
    CONFIDENCE_ORDER,
    Baseline,
    BaselineStatus,
    MilestoneReport,
    Obstacle,
    ObstacleCategory,
    ObstacleComment,
    ObstacleStatus,
    ProgressUpdate,
    Severity,
    UpdateStatus,
)
from masar.delivery.plausibility import Figures, plausibility_warnings
from masar.organizations.models import OrganizationKind
from masar.portfolio.models import ProjectStatus

USER_PREFIX = "synthetic."
DEMO_PASSWORD = "synthetic-demo"  # noqa: S105 - the one password of the labelled synthetic accounts
JUMP_LIMIT = Decimal(25)
USER_FIELDS = ["password", "role", "organization", "first_name", "last_name", "language", "is_active"]

NARRATIVES = [
    "تقدمت الأشغال وفق البرنامج المحدد.",
    "تم استكمال الدراسات الفنية والشروع في التنفيذ.",
    "تأخر طفيف بسبب إجراءات الصفقات العمومية.",
    "انطلقت التجربة النموذجية في جهتين.",
    "تم تكوين الفرق المعنية بالاستغلال.",
    "يتواصل التنسيق مع الهياكل الشريكة.",
]
RETURN_REASONS = ["الأرقام المالية غير متطابقة مع آخر تقرير.", "يرجى توضيح أسباب التأخير."]
REBASELINE_REASONS = [
    "تأخر في إسناد الصفقة وإعادة طلب العروض.",
    "توسيع نطاق المشروع ليشمل جهات إضافية.",
    "مراجعة الكلفة بعد الدراسة التفصيلية.",
]
DECISION_NOTES = {True: "تمت الموافقة بعد دراسة المبررات.", False: "المبررات غير كافية؛ يواصل المشروع وفق المخطط."}
OBSTACLE_TEXTS = {
    ObstacleCategory.FUNDING: ("تأخر تحويل الاعتمادات المرصودة.", "تسريع إجراءات صرف الاعتمادات."),
    ObstacleCategory.PROCUREMENT: ("طلب العروض غير مثمر.", "إعادة طلب العروض بشروط مراجعة."),
    ObstacleCategory.LEGAL: ("النص الترتيبي المنظم للخدمة لم يصدر بعد.", "إعداد مشروع أمر وعرضه على المصادقة."),
    ObstacleCategory.TECHNICAL: ("عدم توافق المنظومة مع منصة التبادل.", "تطوير واجهة ربط جديدة."),
    ObstacleCategory.HUMAN_RESOURCES: ("نقص في المهندسين المختصين.", "انتداب أو إعارة كفاءات من هياكل أخرى."),
    ObstacleCategory.COORDINATION: ("عدم توفير البيانات من الهيكل الشريك.", "عقد جلسة تنسيق واتفاقية تبادل."),
}
OBSTACLE_COMMENTS = [
    "تمت مراسلة الهيكل المعني.",
    "عقدت جلسة عمل مع الأطراف المتدخلة.",
    "في انتظار رد الوزارة المكلفة بالمالية.",
    "تم إعداد مذكرة في الغرض.",
]
RESOLVED_COMMENT = "تم رفع العقبة."


def at(day, hour=10):
    """Return the moment at hour (UTC) of day: the synthetic past is dated to the day, not to the run."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


@contextlib.contextmanager
def drawn_dates(model):
    """Let bulk_create keep the dates drawn for a model's auto_now and auto_now_add fields."""
    fields = [
        f for f in model._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def months_from(first, last):
    """Return the first days of the months from first's to last's, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = month_start(month + datetime.timedelta(days=32))
    return months


def months_back(month, count):
    for _ in range(count):
        month = month_start(month - datetime.timedelta(days=1))
    return month


def money(value):
    return Decimal(f"{max(value, 0):.2f}")


@dataclass
class People:
    """The synthetic accounts: the national unit, two coordinators per ministry, two managers per organization."""

    national: list = field(default_factory=list)
    coordinators: dict = field(default_factory=dict)  # ministry pk → users
    managers: dict = field(default_factory=dict)  # organization pk → users
    ministry_of: dict = field(default_factory=dict)  # organization pk → its ministry

    @property
    def all(self):
        users = list(self.national)
        for group in (*self.coordinators.values(), *self.managers.values()):
            users += group
        return users

    def reviewers(self, organization_id):
        return self.coordinators.get(self.ministry_of[organization_id].pk, [])


def people_create(run, root, organizations):
    """Create the synthetic accounts, all with one password hashed once (salted with the seed: same rows)."""
    password = make_password(DEMO_PASSWORD, salt=f"synthetic{run.seed}")
    people = People()
    for org in organizations:
        people.ministry_of[org.pk] = org if org.kind == OrganizationKind.MINISTRY else org.parent
    languages = ["ar", "ar", "ar", "fr", "en"]
    rng = random.Random(f"{run.seed}:people")

    def user(username, role, organization, first, last):
        return User(
            username=f"{USER_PREFIX}{username}",
            password=password,
            role=role,
            organization=organization,
            first_name=first,
            last_name=last,
            language=languages[rng.randrange(len(languages))],
            is_active=True,
        )

    people.national = [
        user(f"admin.{n}", Role.NATIONAL_ADMIN, root, "مسؤول", f"الوحدة الوطنية {n}") for n in range(1, 4)
    ]
    users = list(people.national)
    for org in organizations:
        code = org.code.removeprefix("SYN-").lower()
        if org.kind == OrganizationKind.MINISTRY:
            group = [
                user(f"coordinator.{code}.{n}", Role.SECTOR_COORDINATOR, org, "منسق", f"{code} {n}") for n in (1, 2)
            ]
            people.coordinators[org.pk] = group
            users += group
        group = [user(f"manager.{code}.{n}", Role.PROJECT_MANAGER, org, "رئيس مشروع", f"{code} {n}") for n in (1, 2)]
        people.managers[org.pk] = group
        users += group
    # People are never deleted (masar.audit.guards): a run takes back the accounts an earlier run left.
    existing = dict(User.objects.filter(username__startswith=USER_PREFIX).values_list("username", "pk"))
    fresh = [u for u in users if u.username not in existing]
    kept = [u for u in users if u.username in existing]
    for u in kept:
        u.pk = existing[u.username]
    run.insert(User, fresh, "users")
    User.objects.bulk_update(kept, USER_FIELDS, batch_size=run.batch_size)
    run.result.counts["users"] += len(kept)
    run.audit(User, len(users), created=len(fresh), taken_back=len(kept))
    return people


def people_retire():
    """Deactivate the synthetic accounts and detach them from their organizations; return how many."""
    return User.objects.filter(username__startswith=USER_PREFIX).update(organization=None, is_active=False)


@dataclass
class History:
    """One project's delivery rows, linked as objects; the foreign keys are filled when their rows are in."""

    updates: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    baselines: list = field(default_factory=list)  # (baseline, days each milestone date moves back)
    obstacles: list = field(default_factory=list)
    comments: list = field(default_factory=list)


class DeliveryDraw:
    """Draw the delivery history of each project, and keep what the later stages (meetings, inbox) need."""

    def __init__(self, *, seed, months, people, reference):
        self.rng = random.Random(f"{seed}:delivery")
        self.people = people
        self.reference = reference
        self.months = months
        self.last_month = month_start(reference)
        self.first_month = months_back(self.last_month, max(months, 1) - 1)
        self.recent = reference - datetime.timedelta(days=90)
        self.recent_updates = []  # (update, project) submitted in the last 90 days
        self.missing = []  # (project, month) in progress without last month's update
        self.obstacles = []  # (obstacle, project, resolved on or None)
        self.baseline_events = []  # (baseline, project) proposed, or decided in the last 90 days
        self.finance = None

    def history(self, project, milestones):
        rng = self.rng
        managers = self.people.managers[project.owner_id]
        project.manager = managers[rng.randrange(len(managers))]
        history = History()
        months = self._months(project, milestones)
        if months:
            self._updates(project, milestones, months, history)
            self._obstacles(project, months, history)
        self._baselines(project, milestones, history)
        return history

    # Monthly updates.

    def _months(self, project, milestones):
        if (
            not self.months
            or project.status in (ProjectStatus.PLANNED, ProjectStatus.CANCELLED)
            or project.planned_start > self.reference
        ):
            return []
        first = max(month_start(project.planned_start), self.first_month)
        if project.status == ProjectStatus.COMPLETED:
            # Reported until the month its last milestone was reached (after the planned end when late).
            reached = [m.actual_date for m in milestones if m.actual_date] + [project.planned_end]
            last = min(month_start(max(reached)), self.last_month)
        elif project.status == ProjectStatus.SUSPENDED:
            last = months_back(self.last_month, self.rng.randint(2, 8))
        else:
            last = self.last_month
        return months_from(first, last) if first <= last else []

    def _statuses(self, project, months):
        """Return each month's status (None: not reported): approved months first, the last ones under way."""
        statuses = [UpdateStatus.APPROVED] * len(months)
        if project.status != ProjectStatus.IN_PROGRESS:
            return statuses
        rng = self.rng
        statuses[-1] = UpdateStatus.DRAFT if rng.random() < 0.25 else None
        if len(months) >= 2:
            r = rng.random()
            statuses[-2] = (
                UpdateStatus.APPROVED
                if r < 0.55
                else UpdateStatus.SUBMITTED
                if r < 0.78
                else UpdateStatus.RETURNED
                if r < 0.85
                else UpdateStatus.DRAFT
                if r < 0.9
                else None
            )
            if len(months) >= 3 and statuses[-2] != UpdateStatus.APPROVED and rng.random() < 0.15:
                statuses[-3] = UpdateStatus.SUBMITTED
        return statuses

    def _updates(self, project, milestones, months, history):
        rng = self.rng
        start, end = project.planned_start, project.planned_end
        completed = project.status == ProjectStatus.COMPLETED
        duration = max((month_end(months[-1]) - start).days if completed else (end - start).days, 1)
        pace = 1.0 if completed else rng.uniform(0.6, 1.08)
        cost = rng.uniform(0.85, 1.3) if rng.random() < 0.3 else rng.uniform(0.8, 1.02)
        optimism = 1 if rng.random() < 0.3 else 0
        budget = float(project.planned_budget or 0)
        reviewers = self.people.reviewers(project.owner_id) or self.people.national
        by_month, previous = {}, None
        for month, status in zip(months, self._statuses(project, months), strict=True):
            if status is None:
                if month == self.last_month or project.status != ProjectStatus.IN_PROGRESS:
                    continue
                self.missing.append((project, month))
                continue
            elapsed = max((min(month_end(month), self.reference) - start).days, 0)
            percent = min(100.0 * elapsed / duration * pace, 100.0 if completed else 98.0)
            figures = Figures(
                period=month,
                percent_complete=Decimal(f"{percent:.2f}"),
                spend_to_date=money(budget * percent / 100 * cost),
            )
            warnings = plausibility_warnings(
                current=figures, previous=previous, planned_budget=project.planned_budget, percent_jump_limit=JUMP_LIMIT
            )
            score = (1 - pace) * 10 + max(cost - 1, 0) * 8 + rng.gauss(0, 0.6) - optimism
            update = ProgressUpdate(
                project=project,
                period=month,
                percent_complete=figures.percent_complete,
                spend_to_date=figures.spend_to_date,
                declared_confidence=CONFIDENCE_ORDER[min(max(round(score), 0), 4)],
                narrative=NARRATIVES[rng.randrange(len(NARRATIVES))],
                status=status,
                created_by=project.manager,
                confirmed_warnings=[w.to_dict() for w in warnings],
                is_sample=True,
                source="synthetic",
            )
            self._review(update, month, reviewers)
            history.updates.append(update)
            by_month[month] = update
            if status in (UpdateStatus.SUBMITTED, UpdateStatus.APPROVED):
                previous = figures
            if update.submitted_at and update.submitted_at.date() >= self.recent:
                self.recent_updates.append((update, project))
        self._milestone_reports(milestones, by_month, history)

    def _review(self, update, month, reviewers):
        """Date the update's submission and review after its month, never after the reference date."""
        rng = self.rng
        written = min(month_end(month) + datetime.timedelta(days=rng.randint(-3, 4)), self.reference)
        update.updated_at = at(max(written, month))
        update.version = 1
        if update.status == UpdateStatus.DRAFT:
            return
        submitted = min(month_end(month) + datetime.timedelta(days=rng.randint(1, 12)), self.reference)
        update.submitted_by, update.submitted_at = update.created_by, at(submitted, 9)
        update.version, update.updated_at = 2, update.submitted_at
        if update.status == UpdateStatus.SUBMITTED:
            return
        reviewed = min(submitted + datetime.timedelta(days=rng.randint(0, 10)), self.reference)
        update.reviewed_by, update.reviewed_at = reviewers[rng.randrange(len(reviewers))], at(reviewed, 15)
        update.version, update.updated_at = 3, update.reviewed_at
        if update.status == UpdateStatus.RETURNED:
            update.return_reason = RETURN_REASONS[rng.randrange(len(RETURN_REASONS))]

    @staticmethod
    def _milestone_reports(milestones, by_month, history):
        """Report each milestone reached in a month that has an update; only an approved one dates it."""
        for milestone in milestones:
            if milestone.actual_date is None:
                continue
            update = by_month.get(month_start(milestone.actual_date))
            if update is not None:
                history.reports.append(
                    MilestoneReport(update=update, milestone=milestone, actual_date=milestone.actual_date)
                )
            if (update is None and milestone.actual_date >= min(by_month, default=milestone.actual_date)) or (
                update is not None and update.status != UpdateStatus.APPROVED
            ):
                milestone.actual_date = None

    # Obstacles and their comments.

    def _obstacles(self, project, months, history):
        rng = self.rng
        count = rng.choice((0, 0, 0, 0, 0, 0, 1, 1, 2, 3))
        first, last = months[0], min(month_end(months[-1]), self.reference - datetime.timedelta(days=1))
        by_month = {u.period: u for u in history.updates}
        ministry = self.people.ministry_of[project.owner_id]
        reviewers = self.people.reviewers(project.owner_id) or self.people.national
        for _ in range(count):
            reported = first + datetime.timedelta(days=rng.randrange(max((last - first).days, 1)))
            category = list(ObstacleCategory)[rng.randrange(len(ObstacleCategory))]
            r = rng.random()
            severity = (
                Severity.LOW
                if r < 0.3
                else Severity.MEDIUM
                if r < 0.7
                else Severity.HIGH
                if r < 0.92
                else Severity.CRITICAL
            )
            age = (self.reference - reported).days
            r = rng.random()
            if project.status == ProjectStatus.COMPLETED:
                status = ObstacleStatus.RESOLVED
            else:
                resolved_share, open_share = (0.85, 0.05) if age > 180 else (0.55, 0.15) if age > 60 else (0.15, 0.5)
                status = (
                    ObstacleStatus.RESOLVED
                    if r < resolved_share
                    else ObstacleStatus.OPEN
                    if r < resolved_share + open_share
                    else ObstacleStatus.IN_PROGRESS
                )
            must_act = ministry if rng.random() < 0.25 else project.owner
            if category == ObstacleCategory.FUNDING and self.finance is not None and rng.random() < 0.5:
                must_act = self.finance
            description, solution = OBSTACLE_TEXTS[category]
            resolved = None
            if status == ObstacleStatus.RESOLVED:
                resolved = min(reported + datetime.timedelta(days=rng.randint(5, 150)), self.reference)
            touched = resolved or min(reported + datetime.timedelta(days=rng.randint(0, 30)), self.reference)
            obstacle = Obstacle(
                project=project,
                update=by_month.get(month_start(reported)),
                category=category,
                severity=severity,
                description=f"{description} ({project.code})",
                proposed_solution=solution,
                must_act=must_act,
                due_date=reported + datetime.timedelta(days=rng.choice((30, 60, 90, 120))),
                status=status,
                reported_by=project.manager,
                reported_at=at(reported, 11),
                updated_at=at(touched, 16),
                version=1 if status == ObstacleStatus.OPEN else 2 if status == ObstacleStatus.IN_PROGRESS else 3,
                is_sample=True,
                source="synthetic",
            )
            history.obstacles.append(obstacle)
            self.obstacles.append((obstacle, project, resolved))
            until = resolved or self.reference
            for _ in range(rng.choice((0, 1, 1, 2, 3))):
                day = reported + datetime.timedelta(days=rng.randint(0, max((until - reported).days, 0)))
                author = project.manager if rng.random() < 0.6 else reviewers[rng.randrange(len(reviewers))]
                text = OBSTACLE_COMMENTS[rng.randrange(len(OBSTACLE_COMMENTS))]
                history.comments.append(
                    ObstacleComment(obstacle=obstacle, text=text, author=author, created_at=at(day, 12))
                )
            if resolved:
                history.comments.append(
                    ObstacleComment(
                        obstacle=obstacle, text=RESOLVED_COMMENT, author=project.manager, created_at=at(resolved, 17)
                    )
                )

    # Re-baselines.

    def _baselines(self, project, milestones, history):
        rng = self.rng
        r = rng.random()
        if project.status == ProjectStatus.PLANNED or r >= 0.18:
            return
        started = min(project.planned_start, self.reference)
        national = self.people.national
        decider = national[rng.randrange(len(national))]
        if r < 0.12:
            # Re-planned: the original plan ended earlier and cost less; the approved baseline is today's plan.
            steps = 2 if rng.random() < 0.25 else 1
            shifts = sorted((rng.randint(60, 300) for _ in range(steps)), reverse=True)
            plans = [(shift, rng.uniform(0.8, 1.0)) for shift in shifts] + [(0, 1.0)]
            requested = started
            for number, (shift, share) in enumerate(plans, start=1):
                if number > 1:
                    span = max((min(self.reference, project.planned_end) - requested).days, 2)
                    requested = requested + datetime.timedelta(days=rng.randint(1, max(span // 2, 1)))
                history.baselines.append(
                    self._baseline(project, number, shift, share, requested, BaselineStatus.APPROVED, decider)
                )
            return
        # A request under way (or turned down): the original plan is today's plan, the new one ends later.
        status = (
            BaselineStatus.PROPOSED
            if r < 0.16 and project.status == ProjectStatus.IN_PROGRESS
            else BaselineStatus.REJECTED
        )
        history.baselines.append(self._baseline(project, 1, 0, 1.0, started, BaselineStatus.APPROVED, None))
        requested = self.reference - datetime.timedelta(days=rng.randint(1, 60))
        requested = max(requested, started)
        history.baselines.append(
            self._baseline(project, 2, -rng.randint(60, 240), rng.uniform(1.0, 1.2), requested, status, decider)
        )

    def _baseline(self, project, number, shift, share, requested, status, decider):
        """Return baseline number of project, its plan moved back by shift days (forward when negative)."""
        rng = self.rng
        end = max(project.planned_end - datetime.timedelta(days=shift), project.planned_start)
        decided = None
        if number > 1 and status != BaselineStatus.PROPOSED:
            decided = min(requested + datetime.timedelta(days=rng.randint(3, 30)), self.reference)
        baseline = Baseline(
            project=project,
            number=number,
            planned_start=project.planned_start,
            planned_end=end,
            planned_budget=money(float(project.planned_budget or 0) * share),
            reason="" if number == 1 else REBASELINE_REASONS[rng.randrange(len(REBASELINE_REASONS))],
            status=status,
            requested_by=project.manager if number > 1 else None,
            requested_at=at(requested, 9),
            decided_by=decider if decided else None,
            decided_at=at(decided, 14) if decided else None,
            decision_note=DECISION_NOTES[status == BaselineStatus.APPROVED] if decided else "",
            updated_at=at(decided or requested, 14),
            version=2 if decided else 1,
        )
        if number > 1 and (status == BaselineStatus.PROPOSED or (decided and decided >= self.recent)):
            self.baseline_events.append((baseline, project))
        return baseline, shift

    @staticmethod
    def milestone_dates(baseline, shift, milestones):
        """Fill the baseline's milestone dates (known once the milestones have their keys)."""
        count = max(len(milestones), 1)
        baseline.milestone_dates = {
            str(m.pk): (m.planned_date - datetime.timedelta(days=round(shift * m.order / count))).isoformat()
            for m in milestones
        }
