import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Described, Named, Provenance, Versioned
from masar.core.records import RecordType


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class FundingKind(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    DONOR = "donor", _("Donor")
    PPP = "ppp", _("Public–private partnership")


# ISO 4217 codes are three capital Latin letters. str.isalpha() alone let Arabic letters and tatweels (ـــ) through.
CURRENCY_CODE = re.compile(r"[A-Z]{3}")
CURRENCY_MESSAGE = _("Give the three-letter ISO 4217 code in capital Latin letters, e.g. TND.")


def is_currency_code(value: object) -> bool:
    """Whether value is a currency code as Masar keeps them (the rule of every door: forms, API, imports)."""
    return isinstance(value, str) and CURRENCY_CODE.fullmatch(value) is not None


class ProjectQuerySet(ClassifiedQuerySet):
    manager_lookup = "manager"
    reveals = ("strategy",)  # its axis, program and phase belong to the same strategy

    def search(self, text):
        """Return the projects whose code, names or description match text as Arabic is typed."""
        from masar.arabic import fold

        folded = fold(text)
        if not folded:
            return self
        return self.filter(search_text__contains=folded)


class Project(Named, Described, Versioned, Provenance):
    """A project of a strategy's program, owned by one organization and managed by one person."""

    record_type = RecordType.PROJECTS

    code = models.CharField(_("code"), max_length=40, unique=True)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="projects",
    )
    partners = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=_("partner organizations"),
        blank=True,
        related_name="partner_projects",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )
    strategy = models.ForeignKey(
        "strategy.Strategy", verbose_name=_("strategy"), on_delete=models.PROTECT, related_name="projects"
    )
    axis = models.ForeignKey(
        "strategy.Axis",
        verbose_name=_("axis"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    program = models.ForeignKey(
        "strategy.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    phase = models.ForeignKey(
        "strategy.Phase",
        verbose_name=_("phase"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    regions = models.ManyToManyField(
        "organizations.Region", verbose_name=_("regions"), blank=True, related_name="projects"
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    planned_budget = models.DecimalField(
        _("planned budget"), max_digits=16, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="TND", help_text=_("ISO 4217 code, e.g. TND, MAD"))
    funding_kind = models.CharField(
        _("funding"), max_length=16, choices=FundingKind.choices, default=FundingKind.STATE_BUDGET
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED, db_index=True
    )
    classification = ClassificationField()
    # The names, code and description folded for Arabic matching (masar.arabic.fold); kept by the services.
    search_text = models.TextField(default="", editable=False)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        indexes = [
            models.Index(fields=["strategy", "axis"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["classification", "owner"]),
            # The roadmap of an axis or a strategy draws its projects by start date, a page at a time.
            models.Index(fields=["axis", "planned_start", "code"], name="project_axis_roadmap"),
            models.Index(fields=["strategy", "planned_start", "code"], name="project_strategy_roadmap"),
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def clean(self):
        super().clean()
        errors = {}
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot come before the planned start.")
        for name in ("axis", "program", "phase"):
            part = getattr(self, name)
            if part is not None and self.strategy_id and part.strategy_id != self.strategy_id:
                errors[name] = _("This belongs to another strategy than the project's.")
        if self.program is not None and self.axis is not None and self.program.axis_id not in (None, self.axis_id):
            errors["program"] = _("This program sits under another axis.")
        if self.currency and not is_currency_code(self.currency):
            errors["currency"] = CURRENCY_MESSAGE
        if errors:
            raise ValidationError(errors)


class MilestoneQuerySet(ClassifiedQuerySet):
    classification_lookup = "project__classification"
    owner_lookup = "project__owner"
    manager_lookup = "project__manager"
    reveals = ("project",)


class Milestone(Named, Versioned, Provenance):
    """A milestone (معلم) of a project, with its planned and actual dates."""

    record_type = RecordType.PROJECTS

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    order = models.PositiveIntegerField(_("order"))
    planned_date = models.DateField(_("planned date"))
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "order"], name="milestone_order_unique")]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
