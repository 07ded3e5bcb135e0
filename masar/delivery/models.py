"""Delivery tracking: monthly progress updates, baselines, obstacles, computed ratings, inbox."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Provenance, Versioned
from masar.core.records import RecordType
from masar.core.workflow import Workflow


class Confidence(models.TextChoices):
    """The five-point delivery-confidence scale, best first."""

    GREEN = "green", _("Green")
    AMBER_GREEN = "amber_green", _("Amber/green")
    AMBER = "amber", _("Amber")
    AMBER_RED = "amber_red", _("Amber/red")
    RED = "red", _("Red")


CONFIDENCE_ORDER = [c.value for c in Confidence]


class FlagKind(models.TextChoices):
    """Which way a declared confidence departs from the computed rating, when it departs by the flag gap."""

    OPTIMISTIC = "optimistic", _("Declared better than computed")
    PESSIMISTIC = "pessimistic", _("Declared worse than computed")


CONFIDENCE_DEFINITIONS = {
    Confidence.GREEN: _("Successful delivery on time and on budget is highly likely; no major issue threatens it."),
    Confidence.AMBER_GREEN: _(
        "Successful delivery appears probable; constant attention will keep minor issues from growing."
    ),
    Confidence.AMBER: _(
        "Successful delivery appears feasible but significant issues exist that need management attention now."
    ),
    Confidence.AMBER_RED: _(
        "Successful delivery is in doubt, with major risks or issues in several areas; urgent action is needed."
    ),
    Confidence.RED: _(
        "Successful delivery appears unachievable unless the project's scope, plan, budget or approach is reset."
    ),
}


class ProjectScopedQuerySet(ClassifiedQuerySet):
    """Records that belong to one project and follow its visibility and write rules."""

    classification_lookup = "project__classification"
    owner_lookup = "project__owner"
    manager_lookup = "project__manager"
    reveals = ("project",)


class InternalQuerySet(ProjectScopedQuerySet):
    """A project's internal material (updates and their narratives, baselines and their reasons, obstacles).

    It has a classification of its own, restricted by default, and is read by those who may read
    both it and its project; making it public is the national unit's choice.
    """

    classification_lookup = "classification"


def internal_classification():
    return ClassificationField(
        help_text=_("Internal material is restricted by default; only the national unit makes it public.")
    )


class UpdateStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class UpdateAction(models.TextChoices):
    """What is done to a progress update; `edit` changes its figures without moving it."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


UPDATE_WORKFLOW = Workflow(
    {
        (UpdateStatus.DRAFT, UpdateAction.EDIT): UpdateStatus.DRAFT,
        (UpdateStatus.RETURNED, UpdateAction.EDIT): UpdateStatus.RETURNED,
        (UpdateStatus.DRAFT, UpdateAction.SUBMIT): UpdateStatus.SUBMITTED,
        (UpdateStatus.RETURNED, UpdateAction.SUBMIT): UpdateStatus.SUBMITTED,
        (UpdateStatus.SUBMITTED, UpdateAction.APPROVE): UpdateStatus.APPROVED,
        (UpdateStatus.SUBMITTED, UpdateAction.RETURN): UpdateStatus.RETURNED,
    }
)


class UpdateQuerySet(InternalQuerySet):
    published = ("status", UpdateStatus.APPROVED)  # drafts and pending updates: read by who writes or reviews

    def reported(self):
        """Updates sent for review or approved: the figures a project has reported."""
        return self.filter(status__in=[UpdateStatus.SUBMITTED, UpdateStatus.APPROVED])

    def previous_report(self, project, period):
        """Return the project's latest reported update for a month before period, or None."""
        return self.reported().filter(project=project, period__lt=period).order_by("-period").first()


class ProgressUpdate(Versioned, Provenance):
    """A project's report for one month: progress, spend, milestones reached, confidence, narrative."""

    record_type = RecordType.PROGRESS_UPDATES

    is_internal_material = True  # restricted by default; the national unit publishes it

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="updates")
    period = models.DateField(_("period"), help_text=_("The month reported on"))
    percent_complete = models.DecimalField(
        _("percent complete"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    spend_to_date = models.DecimalField(
        _("spend to date"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    declared_confidence = models.CharField(_("declared confidence"), max_length=16, choices=Confidence.choices)
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=UpdateStatus.choices, default=UpdateStatus.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    confirmed_warnings = models.JSONField(
        _("unusual figures confirmed"),
        default=list,
        blank=True,
        help_text=_("The plausibility warnings the reporter saw and confirmed, as codes with their figures."),
    )

    classification = internal_classification()

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-period"]
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="update_one_per_period")]
        indexes = [models.Index(fields=["status", "period"])]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.project.code} {self.period:%Y-%m}"

    @property
    def is_locked(self):
        """An approved update locks its period: nothing more may be done to it."""
        return not UPDATE_WORKFLOW.actions(self.status)

    @property
    def is_returned(self):
        return self.status == UpdateStatus.RETURNED

    @property
    def is_editable(self):
        """A draft or a returned update may still be changed by its project's writers."""
        return UPDATE_WORKFLOW.allows(self.status, UpdateAction.EDIT)

    @property
    def is_under_review(self):
        """A submitted update waits for its reviewer's approval or return."""
        return UPDATE_WORKFLOW.allows(self.status, UpdateAction.APPROVE)


class MilestoneReport(models.Model):
    """A milestone reached, as reported in a progress update; applied to the milestone when approved."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="milestone_reports")
    milestone = models.ForeignKey("portfolio.Milestone", on_delete=models.CASCADE, related_name="reports")
    actual_date = models.DateField(_("actual date"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "milestone"], name="milestone_report_once")]

    def __str__(self):
        return f"{self.milestone} {self.actual_date}"


class BaselineStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BaselineAction(models.TextChoices):
    APPROVE = "approve"
    REJECT = "reject"


BASELINE_WORKFLOW = Workflow(
    {
        (BaselineStatus.PROPOSED, BaselineAction.APPROVE): BaselineStatus.APPROVED,
        (BaselineStatus.PROPOSED, BaselineAction.REJECT): BaselineStatus.REJECTED,
    }
)


class Baseline(Versioned):
    """One version of a project's plan (dates, budget, milestone dates). Number 1 is the original plan."""

    record_type = RecordType.BASELINES

    is_internal_material = True  # restricted by default; the national unit publishes it

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="baselines")
    number = models.PositiveIntegerField(_("baseline"))
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    planned_budget = models.DecimalField(_("planned budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    milestone_dates = models.JSONField(_("milestone dates"), default=dict)
    reason = models.TextField(_("reason"), blank=True)  # empty only for the original plan (number 1)
    status = models.CharField(
        _("status"), max_length=16, choices=BaselineStatus.choices, default=BaselineStatus.PROPOSED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    classification = internal_classification()

    objects = InternalQuerySet.as_manager()

    class Meta:
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="baseline_number_unique")]
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    @property
    def reason_text(self):
        """Return the reason as the reader reads it: the original plan is named in the reader's language."""
        return self.reason or (_("Original plan") if self.number == 1 else "")

    def __str__(self):
        return f"{self.project.code} #{self.number}"

    @property
    def is_proposed(self):
        """A proposed re-baseline waits for the national unit's decision."""
        return bool(BASELINE_WORKFLOW.actions(self.status))


class ObstacleCategory(models.TextChoices):
    FUNDING = "funding", _("Funding")
    PROCUREMENT = "procurement", _("Procurement")
    LEGAL = "legal", _("Legal or regulatory")
    TECHNICAL = "technical", _("Technical")
    HUMAN_RESOURCES = "human_resources", _("Human resources")
    COORDINATION = "coordination", _("Coordination between administrations")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ObstacleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("Being solved")
    RESOLVED = "resolved", _("Resolved")


BLOCKING_SEVERITIES = [Severity.HIGH, Severity.CRITICAL]


class ObstacleQuerySet(InternalQuerySet):
    def unresolved(self):
        return self.exclude(status=ObstacleStatus.RESOLVED)

    def blocking(self):
        """Return the unresolved obstacles that block their project (high or critical)."""
        return self.unresolved().filter(severity__in=BLOCKING_SEVERITIES)


class Obstacle(Versioned, Provenance):
    """An obstacle (عقبة) to a project, with the solution (حل) proposed and who must act by when."""

    record_type = RecordType.OBSTACLES

    is_internal_material = True  # restricted by default; the national unit publishes it

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="obstacles")
    update = models.ForeignKey(
        ProgressUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="obstacles"
    )
    category = models.CharField(_("category"), max_length=24, choices=ObstacleCategory.choices)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    description = models.TextField(_("obstacle"))
    proposed_solution = models.TextField(_("proposed solution"), blank=True)
    must_act = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("who must act"),
        on_delete=models.PROTECT,
        related_name="obstacles_to_solve",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ObstacleStatus.choices, default=ObstacleStatus.OPEN, db_index=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    classification = internal_classification()

    objects = ObstacleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-reported_at"]
        indexes = [models.Index(fields=["status", "severity", "category"])]
        verbose_name = _("obstacle")
        verbose_name_plural = _("obstacles")

    def __str__(self):
        return self.description[:80]

    @property
    def title(self):
        """Return the obstacle as a heading names it: its category and the first words of its description."""
        return _("%(category)s: %(summary)s") % {
            "category": self.get_category_display(),
            "summary": Truncator(" ".join(self.description.split())).words(8),
        }


class ObstacleCommentQuerySet(ClassifiedQuerySet):
    """A comment is read by exactly those who may read its obstacle."""

    classification_lookup = "obstacle__classification"
    owner_lookup = "obstacle__project__owner"
    manager_lookup = "obstacle__project__manager"
    reveals = ("obstacle",)


class ObstacleComment(models.Model):
    """A remark in an obstacle's history: what was tried, who was called, what is awaited."""

    record_type = RecordType.OBSTACLES

    obstacle = models.ForeignKey(Obstacle, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObstacleCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on an obstacle")
        verbose_name_plural = _("comments on obstacles")

    def __str__(self):
        return self.text[:80]


class ProjectHealth(models.Model):
    """A project's computed rating beside its declared confidence, kept by `project_health_refresh`.

    Stored so that national lists of 20,000 projects sort and filter by rating in SQL;
    refreshed whenever an input changes and every night (freshness moves with the calendar).
    """

    project = models.OneToOneField(
        "portfolio.Project", on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    computed = models.CharField(_("computed rating"), max_length=16, choices=Confidence.choices, db_index=True)
    declared = models.CharField(_("declared confidence"), max_length=16, choices=Confidence.choices, blank=True)
    gap = models.SmallIntegerField(_("gap"), default=0, help_text=_("Computed minus declared, in steps of the scale"))
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)  # declared better (optimistic)
    flag_kind = models.CharField(_("gap flagged"), max_length=16, choices=FlagKind.choices, blank=True, db_index=True)
    schedule_days = models.IntegerField(_("schedule slip (days)"), default=0)
    original_slip_days = models.IntegerField(
        _("slip against the original plan (days)"),
        null=True,
        blank=True,
        help_text=_("Days late against baseline 1, whatever re-baselines followed; empty without an original plan"),
    )
    rebaselines = models.PositiveSmallIntegerField(_("approved re-baselines"), default=0)
    cost_ratio = models.DecimalField(_("spend against plan"), max_digits=8, decimal_places=3, null=True, blank=True)
    reasons = models.JSONField(default=list)
    last_approved_period = models.DateField(null=True, blank=True)
    computed_on = models.DateField()

    class Meta:
        verbose_name = _("project health")
        verbose_name_plural = _("project health")

    def __str__(self):
        return f"{self.project_id}: {self.computed}"


class ProjectRatingHistory(models.Model):
    """A project's rating for one month, kept by the rating refresh (the last refresh of the month stands)."""

    project = models.ForeignKey("portfolio.Project", on_delete=models.CASCADE, related_name="rating_history")
    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    computed = models.CharField(_("computed rating"), max_length=16, choices=Confidence.choices)
    declared = models.CharField(_("declared confidence"), max_length=16, choices=Confidence.choices, blank=True)
    schedule_days = models.IntegerField(_("schedule slip (days)"), default=0)

    class Meta:
        ordering = ["project", "month"]
        constraints = [models.UniqueConstraint(fields=["project", "month"], name="rating_history_one_per_month")]
        indexes = [models.Index(fields=["month", "computed"])]
        verbose_name = _("monthly rating")
        verbose_name_plural = _("monthly ratings")

    def __str__(self):
        return f"{self.project_id} {self.month:%Y-%m}: {self.computed}"


SETTINGS_ROW = 1  # the primary key of the one DeliverySettings row


class DeliverySettings(Versioned):
    """The rules the delivery unit owns: rating thresholds, freshness caps, the reporting due day and more.

    One row (primary key SETTINGS_ROW), changed through `delivery_settings_update` so that every change
    is versioned and audited; the defaults are the values the platform started with.
    """

    schedule_green_days = models.PositiveIntegerField(_("schedule: green up to (days late)"), default=14)
    schedule_amber_green_days = models.PositiveIntegerField(_("schedule: amber/green up to (days late)"), default=29)
    schedule_amber_days = models.PositiveIntegerField(_("schedule: amber up to (days late)"), default=59)
    schedule_amber_red_days = models.PositiveIntegerField(
        _("schedule: amber/red up to (days late); red beyond"), default=89
    )
    cost_green_ratio = models.DecimalField(
        _("cost: green up to (spend against plan)"), max_digits=4, decimal_places=2, default=Decimal("1.05")
    )
    cost_amber_green_ratio = models.DecimalField(
        _("cost: amber/green up to (spend against plan)"), max_digits=4, decimal_places=2, default=Decimal("1.10")
    )
    cost_amber_ratio = models.DecimalField(
        _("cost: amber up to (spend against plan)"), max_digits=4, decimal_places=2, default=Decimal("1.20")
    )
    cost_amber_red_ratio = models.DecimalField(
        _("cost: amber/red up to (spend against plan); red beyond"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.35"),
    )
    freshness_amber_green_days = models.PositiveIntegerField(
        _("freshness: at best amber/green beyond (days without approved data)"), default=45
    )
    freshness_amber_days = models.PositiveIntegerField(
        _("freshness: at best amber beyond (days without approved data)"), default=90
    )
    update_due_day = models.PositiveSmallIntegerField(
        _("monthly update due by this day of the next month"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    tolerance_on_track = models.DecimalField(
        _("default on-track tolerance of a new indicator"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.05"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    tolerance_at_risk = models.DecimalField(
        _("default at-risk tolerance of a new indicator"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.15"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    rebaseline_cap = models.PositiveSmallIntegerField(
        _("re-baselines allowed before the rating is capped at amber"), default=2
    )
    plausibility_jump_points = models.PositiveSmallIntegerField(
        _("reported progress jump that asks for an explanation (points)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("delivery settings")
        verbose_name_plural = _("delivery settings")
        constraints = [models.CheckConstraint(condition=models.Q(pk=SETTINGS_ROW), name="delivery_settings_one_row")]

    def __str__(self):
        return str(self._meta.verbose_name)

    def clean(self):
        """Refuse bands that do not rise from green to red, and freshness caps in the wrong order."""
        errors = {}
        days = [
            "schedule_green_days",
            "schedule_amber_green_days",
            "schedule_amber_days",
            "schedule_amber_red_days",
        ]
        ratios = ["cost_green_ratio", "cost_amber_green_ratio", "cost_amber_ratio", "cost_amber_red_ratio"]
        for names in (days, ratios):
            for lower, upper in zip(names, names[1:], strict=False):
                if getattr(self, lower) is not None and getattr(self, upper) is not None:
                    if getattr(self, upper) <= getattr(self, lower):
                        errors[upper] = _("Each band must end above the band before it.")
        if (
            self.freshness_amber_days is not None
            and self.freshness_amber_green_days is not None
            and self.freshness_amber_days <= self.freshness_amber_green_days
        ):
            errors["freshness_amber_days"] = _("The amber cap must come after the amber/green cap.")
        if (
            self.tolerance_at_risk is not None
            and self.tolerance_on_track is not None
            and self.tolerance_at_risk < self.tolerance_on_track
        ):
            errors["tolerance_at_risk"] = _("The at-risk tolerance cannot be below the on-track tolerance.")
        if errors:
            raise ValidationError(errors)


class Notification(models.Model):
    """An in-app message to one person; its text is rendered in the reader's language when shown."""

    class Kind(models.TextChoices):
        UPDATE_DUE = "update_due", _("Update due")
        UPDATE_SUBMITTED = "update_submitted", _("Update submitted")
        UPDATE_RETURNED = "update_returned", _("Update returned")
        UPDATE_APPROVED = "update_approved", _("Update approved")
        BASELINE_REQUESTED = "baseline_requested", _("Re-baseline requested")
        BASELINE_DECIDED = "baseline_decided", _("Re-baseline decided")
        DECISION_DUE = "decision_due", _("Decision falling due")
        OBSTACLE_ESCALATED = "obstacle_escalated", _("Obstacle escalated")
        CLOSURE_REQUESTED = "closure_requested", _("Decision reported done")
        CLOSURE_ACCEPTED = "closure_accepted", _("Decision closure accepted")
        CLOSURE_RETURNED = "closure_returned", _("Decision closure returned")
        OBSTACLE_CRITICAL = "obstacle_critical", _("Critical obstacle reported")
        AGREEMENT_REQUESTED = "agreement_requested", _("Sharing agreement requested")
        AGREEMENT_APPROVED = "agreement_approved", _("Sharing agreement approved")
        AGREEMENT_REFUSED = "agreement_refused", _("Sharing agreement refused")
        AGREEMENT_REVOKED = "agreement_revoked", _("Sharing agreement revoked")
        WEBHOOK_PAUSED = "webhook_paused", _("Webhook subscription paused")
        DATASET_CHANGE_REQUESTED = "dataset_change", _("Change of a dataset's classification or owner requested")
        PUBLICATION_PROPOSED = "publication_proposed", _("Open data proposed for publication")
        PUBLICATION_DECIDED = "publication_decided", _("Open data publication decided")
        OPEN_DATA_FAILED = "open_data_failed", _("Open data files could not be generated")
        ALERTS_RAISED = "alerts_raised", _("New integrity alerts to triage")
        CITIZEN_FEEDBACK = "citizen_feedback", _("A citizen's complaint or suggestion to answer")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True, help_text="Makes a reminder idempotent: one per user and key")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(
        null=True, blank=True, help_text="When it left by e-mail (at once or in a digest)"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="notification_key_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"
