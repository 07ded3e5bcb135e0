"""The delivery part of the demo: monthly updates, obstacles, a re-baseline and the council's follow-up.

All of it is labelled sample. It is drawn from random.Random(SEED) relative to the day of the load
(`today`), so two loads on the same day give the same records; loading twice creates nothing new.
"""

import datetime
import io
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from masar.accounts.models import Role, User
from masar.core.months import month_end, month_start, previous_month
from masar.core.services import model_update
from masar.decisions.models import ActionUpdate, AgendaItem, ClosureStatus, Decision, DecisionClosure, Meeting
from masar.decisions.services import action_update_record, decision_closure_accept, decision_closure_request
from masar.delivery.models import Baseline, Notification, Obstacle, ProgressUpdate, Severity
from masar.delivery.services import baselines as baseline_services
from masar.delivery.services import obstacles as obstacle_services
from masar.delivery.services import ratings as rating_services
from masar.delivery.services import updates as update_services
from masar.portfolio.models import Project, ProjectStatus

SEED = 2026
PROGRAM = "TN-PTN-2526"
MONTHS_REPORTED = 6
SAMPLE = {"is_sample": True, "source": "sample"}

OBSTACLES = [
    (
        "funding",
        "critical",
        "تأخر تحويل الاعتمادات المرصودة للمشروع بعنوان السنة الجارية",
        "تسريع إجراءات تحويل الاعتمادات بالتنسيق مع وزارة المالية",
    ),
    ("procurement", "high", "إعلان طلب العروض غير مثمر للمرة الثانية", "مراجعة كراس الشروط وتقسيم الصفقة إلى أقساط"),
    (
        "legal",
        "high",
        "غياب النص الترتيبي المنظم لتبادل المعطيات بين الإدارات",
        "إعداد مشروع أمر حكومي يضبط إجراءات تبادل المعطيات",
    ),
    (
        "coordination",
        "critical",
        "عدم ربط منظومات الهياكل الشريكة بالمنصة الوطنية لتبادل البيانات",
        "تعيين نقطة اتصال لكل هيكل وضبط رزنامة ربط ملزمة",
    ),
    ("human_resources", "medium", "نقص في الكفاءات المختصة في أمن المنظومات", "انتداب خبراء بالتعاقد وتكوين الإطارات"),
    ("technical", "high", "تقادم البنية التحتية للخوادم في مركز البيانات", "نقل المنظومة إلى السحابة الحكومية"),
]

FOLLOW_UP = [
    # (days from the reference date to the due date, action-taken reports as (days before reference, text, closure)):
    # a report with a closure is also sent as the evidence of a request to close the decision, which the national
    # unit accepted (ACCEPTED: the decision is done) or has not validated yet (REQUESTED).
    (
        -150,
        [
            (160, "تم إدراج 138 مشروعا رقميا في المنصة الوطنية لمتابعة المشاريع العمومية", None),
            (120, "استكمال إدراج المشاريع وتعيين المسؤولين عنها", ClosureStatus.ACCEPTED),
        ],
    ),
    (
        -30,
        [
            (90, "ضبط قائمة مؤشرات الأداء الوطنية والقطاعية", None),
            (20, "نشر قائمة المؤشرات المصادق عليها على المنصة", ClosureStatus.REQUESTED),
        ],
    ),
    (-60, []),
    (45, [(20, "إعداد مشروع النص المنظم للدفع الإلكتروني", None)]),
    (120, []),
    (-10, [(40, "إطلاق الاستشارة لتطوير المنصة الوطنية الموحدة للخدمات", None)]),
    (200, []),
    (90, [(15, "تشكيل لجنة لإعداد سياسة البيانات المفتوحة", None)]),
    (300, []),
    (
        -90,
        [
            (100, "تكوين فريق عمل الرؤية الوطنية 2026-2030", None),
            (95, "إعداد مسودة أولى للرؤية", None),
            (70, "المصادقة على الرؤية الوطنية في مجلس وزاري", ClosureStatus.ACCEPTED),
        ],
    ),
]

FOLLOW_UP_SAMPLE_FIELDS = ("due_date", "projects")


def _months_back(day, count):
    months = []
    current = previous_month(day)
    for _ in range(count):
        months.append(current)
        current = previous_month(current)
    return list(reversed(months))


def _submitter(project, coordinators, fallback):
    if project.manager_id:
        return project.manager
    for organization_id in reversed(project.owner.ancestor_ids()):
        if organization_id in coordinators:
            return coordinators[organization_id]
    return fallback


@transaction.atomic
def delivery_demo_load(*, stdout=None, today=None):
    """Load the sample delivery data on the demo portfolio, dated relative to today; return how many updates."""
    out = stdout or io.StringIO()
    today = today or timezone.localdate()
    if ProgressUpdate.objects.filter(project__strategy__code=PROGRAM).exists():
        out.write("Delivery sample already loaded.\n")
        return 0
    last_notification = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    rng = random.Random(SEED)
    admin = User.objects.get(username="admin")
    analyst = User.objects.get(username="analyst")
    coordinators = {u.organization_id: u for u in User.objects.filter(role=Role.SECTOR_COORDINATOR)}
    projects = list(
        Project.objects.filter(strategy__code=PROGRAM, status=ProjectStatus.IN_PROGRESS)
        .select_related("owner", "manager")
        .prefetch_related("milestones")
        .order_by("code")
    )
    months = _months_back(today, MONTHS_REPORTED)
    created = 0
    for index, project in enumerate(projects):
        profile = rng.random()
        submitter = _submitter(project, coordinators, admin)
        reviewer = analyst if submitter != analyst else admin
        budget = project.planned_budget or Decimal("1000000")
        span = max((project.planned_end - project.planned_start).days, 1)
        missing_last = index % 9 == 4  # some ministries have not sent the update that is due
        overspend = Decimal("1.25") if profile > 0.9 else Decimal(str(round(0.85 + rng.random() * 0.18, 2)))
        for number, period in enumerate(months):
            if period < month_start(project.planned_start):
                continue
            last = number == len(months) - 1
            if last and missing_last:
                continue
            elapsed = min(max((month_end(period) - project.planned_start).days, 0), span)
            planned_share = Decimal(elapsed) / Decimal(span)
            spend = (budget * planned_share * overspend).quantize(Decimal("0.01"))
            percent = min(
                Decimal(100),
                (planned_share * Decimal(100) * Decimal(str(0.8 + profile * 0.25))).quantize(Decimal("0.1")),
            )
            # Most owners declare what the data says; a few stay green whatever happens.
            declared = "green" if profile < 0.35 or profile > 0.82 else rng.choice(["amber_green", "amber"])
            update = update_services.update_save(
                project=project,
                actor=submitter,
                period=period,
                percent_complete=percent,
                spend_to_date=spend,
                declared_confidence=declared,
                narrative="تقدم الأشغال حسب الرزنامة المحينة (بيانات عيّنة)",
                today=today,
                figures_confirmed=True,  # overspending projects are part of the sample: their warnings are kept
            )
            ProgressUpdate.objects.filter(pk=update.pk).update(**SAMPLE)
            update_services.update_submit(update=update, actor=submitter, today=today)
            stamps = {"submitted_at": _moment(month_end(period) + datetime.timedelta(days=index % 5 + 1), today)}
            if not (last and index % 7 == 3):  # a few wait for their coordinator
                update_services.update_approve(update=update, actor=reviewer, today=today)
                stamps["reviewed_at"] = _moment(month_end(period) + datetime.timedelta(days=index % 5 + 4), today)
            ProgressUpdate.objects.filter(pk=update.pk).update(**stamps)
            created += 1
    _load_obstacles(projects, rng, coordinators, admin, today)
    _load_baselines(projects, analyst, admin, today)
    _load_follow_up(projects, admin, today)
    rating_services.health_refresh_all(queryset=Project.objects.filter(strategy__code=PROGRAM), today=today)
    date_notifications(Notification.objects.filter(pk__gt=last_notification), today)
    out.write(f"created {created:4d} progress updates\n")
    return created


def _moment(day, today, hour=10):
    """Return the moment at hour on day, never after today nor after now."""
    moment = timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(hour)))
    return min(moment, timezone.now())


# Days after the end of the reported month at which each kind of message about an update went out.
NOTICE_DELAYS = {
    Notification.Kind.UPDATE_SUBMITTED: 3,
    Notification.Kind.UPDATE_APPROVED: 8,
    Notification.Kind.UPDATE_RETURNED: 8,
    Notification.Kind.UPDATE_DUE: 1,
}


def date_notifications(notifications, today):
    """Spread the sample messages over the sample history: when the step they tell of would have happened.

    A message about a month's update goes out some days after that month; the others (re-baselines,
    escalations) within the last weeks before today. The spread is drawn from the message itself, so
    a load on the same day gives the same times.
    """
    for notification in notifications:
        rng = random.Random(f"{notification.kind}:{sorted(notification.params.items())}:{notification.user_id}")
        period = notification.params.get("period")
        if period and notification.kind in NOTICE_DELAYS:
            month = datetime.date.fromisoformat(f"{period}-01")
            day = month_end(month) + datetime.timedelta(days=NOTICE_DELAYS[notification.kind] + rng.randint(0, 2))
        else:
            day = today - datetime.timedelta(days=rng.randint(2, 40))
        moment = _moment(day, today, hour=rng.randint(8, 17)) - datetime.timedelta(minutes=rng.randint(0, 59))
        Notification.objects.filter(pk=notification.pk).update(created_at=moment)


def _load_obstacles(projects, rng, coordinators, admin, today):
    meeting = Meeting.objects.filter(source__startswith="seed 003").first()
    for index, project in enumerate(projects[2::11]):
        category, severity, text, solution = OBSTACLES[index % len(OBSTACLES)]
        actor = _submitter(project, coordinators, admin)
        obstacle = obstacle_services.obstacle_report(
            project=project,
            actor=actor,
            category=category,
            severity=severity,
            description=text,
            proposed_solution=solution,
            must_act=project.owner,
            due_date=today + datetime.timedelta(days=30),
            today=today,
        )
        reported = _moment(today - datetime.timedelta(days=12 + 9 * index), today, hour=9)
        Obstacle.objects.filter(pk=obstacle.pk).update(reported_at=reported, **SAMPLE)
        if meeting is not None and severity == Severity.CRITICAL:
            item = obstacle_services.obstacle_escalate(obstacle=obstacle, meeting=meeting, actor=admin)
            AgendaItem.objects.filter(pk=item.pk).update(**SAMPLE)  # the document's agenda lists no obstacle


def _load_baselines(projects, analyst, admin, today):
    """One approved re-baseline and one that waits for the national unit."""
    requester = User.objects.get(username="pm.mtc")
    mine = [p for p in projects if p.manager_id == requester.pk]
    if len(mine) < 2:
        return
    approved, waiting = mine[0], mine[1]
    baseline = baseline_services.baseline_request(
        project=approved,
        actor=requester,
        planned_start=approved.planned_start,
        planned_end=approved.planned_end + datetime.timedelta(days=120),
        planned_budget=approved.planned_budget,
        reason="تأخر إسناد الصفقة بسبب طلب عروض غير مثمر (بيانات عيّنة)",
    )
    baseline_services.baseline_decide(
        baseline=baseline, actor=analyst, approve=True, note="موافقة الوحدة الوطنية", today=today
    )
    baseline_services.baseline_request(
        project=waiting,
        actor=requester,
        planned_start=waiting.planned_start,
        planned_end=waiting.planned_end + datetime.timedelta(days=90),
        planned_budget=(waiting.planned_budget or Decimal(0)) * Decimal("1.15"),
        reason="توسيع نطاق المشروع ليشمل ولايات إضافية (بيانات عيّنة)",
    )
    Baseline.objects.filter(project__in=[approved, waiting]).exclude(number=1)


def _load_follow_up(projects, admin, today):
    decisions = list(Decision.objects.filter(source__startswith="seed 003").order_by("order"))
    for decision, (due_in, reports) in zip(decisions, FOLLOW_UP, strict=False):
        model_update(
            instance=decision,
            actor=admin,
            expected_version=decision.version,
            # The document gives no due date nor projects: both are sample, and labelled so.
            data={
                "due_date": today + datetime.timedelta(days=due_in),
                "sample_fields": sorted({*decision.sample_fields, *FOLLOW_UP_SAMPLE_FIELDS}),
            },
        )
        decision.refresh_from_db()
        decision.projects.set(projects[decision.order - 1 :: 23][:3])
        for days_before, text, closure in reports:
            action = action_update_record(
                decision=decision,
                actor=admin,
                text=text,
                reported_on=today - datetime.timedelta(days=days_before),
            )
            ActionUpdate.objects.filter(pk=action.pk).update(**SAMPLE)
            if closure is not None:
                _load_closure(decision, admin, text, closure)


def _load_closure(decision, admin, evidence, outcome):
    """Report a decision done with its evidence; the national unit accepts it unless it is left awaiting validation."""
    request = decision_closure_request(decision=decision, actor=admin, evidence=evidence)
    DecisionClosure.objects.filter(pk=request.pk).update(**SAMPLE)
    if outcome == ClosureStatus.ACCEPTED:
        decision_closure_accept(closure=request, actor=admin)
