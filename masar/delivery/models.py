"""Delivery tracking: monthly progress updates, baselines, obstacles, computed ratings, inbox."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Provenance, Versioned


class Confidence(models.TextChoices):
    """The five-point delivery-confidence scale, best first."""

    GREEN = "green", _("Green")
    AMBER_GREEN = "amber_green", _("Amber/green")
    AMBER = "amber", _("Amber")
    AMBER_RED = "amber_red", _("Amber/red")
    RED = "red", _("Red")


CONFIDENCE_ORDER = [c.value for c in Confidence]

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


class UpdateQuerySet(InternalQuerySet):
    published = ("status", UpdateStatus.APPROVED)  # drafts and pending updates: read by who writes or reviews


class ProgressUpdate(Versioned, Provenance):
    """A project's report for one month: progress, spend, milestones reached, confidence, narrative."""

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
        """An approved update locks its period."""
        return self.status == UpdateStatus.APPROVED

    @property
    def is_returned(self):
        return self.status == UpdateStatus.RETURNED

    @property
    def is_editable(self):
        """A draft or a returned update may still be changed by its project's writers."""
        return self.status in (UpdateStatus.DRAFT, UpdateStatus.RETURNED)


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


class Baseline(Versioned):
    """One version of a project's plan (dates, budget, milestone dates). Number 1 is the original plan."""

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
        return self.status == BaselineStatus.PROPOSED


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
    flagged = models.BooleanField(_("flagged"), default=False, db_index=True)
    schedule_days = models.IntegerField(_("schedule slip (days)"), default=0)
    cost_ratio = models.DecimalField(_("spend against plan"), max_digits=8, decimal_places=3, null=True, blank=True)
    reasons = models.JSONField(default=list)
    last_approved_period = models.DateField(null=True, blank=True)
    computed_on = models.DateField()

    class Meta:
        verbose_name = _("project health")
        verbose_name_plural = _("project health")

    def __str__(self):
        return f"{self.project_id}: {self.computed}"


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

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=120, blank=True, help_text="Makes a reminder idempotent: one per user and key")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""), name="notification_key_once")
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}"
