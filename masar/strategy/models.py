from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Described, Named, Provenance, Versioned, localized
from masar.core.records import RecordType


class StrategyKind(models.TextChoices):
    VISION = "vision", _("Vision")
    STRATEGY = "strategy", _("Strategy")
    PROGRAM = "program", _("National program")


class StrategyQuerySet(ClassifiedQuerySet):
    pass


class Strategy(Named, Described, Versioned, Provenance):
    """A vision, strategy or national program, with its period, adoption and owner."""

    record_type = RecordType.STRATEGIES

    kind = models.CharField(_("kind"), max_length=16, choices=StrategyKind.choices)
    code = models.CharField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    owner = models.ForeignKey(
        "organizations.Organization", verbose_name=_("owner"), on_delete=models.PROTECT, related_name="strategies"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by_ar = models.CharField(_("adopted by (Arabic)"), max_length=300, blank=True)
    adopted_by_fr = models.CharField(_("adopted by (French)"), max_length=300, blank=True)
    adopted_by_en = models.CharField(_("adopted by (English)"), max_length=300, blank=True)
    planned_project_count = models.PositiveIntegerField(_("planned number of projects"), null=True, blank=True)
    classification = ClassificationField()

    objects = StrategyQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "code"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")

    @property
    def adopted_by(self):
        return localized(self, "adopted_by")

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A strategy cannot be part of itself.")})


class StrategyPartQuerySet(ClassifiedQuerySet):
    classification_lookup = "strategy__classification"
    owner_lookup = "strategy__owner"


class Axis(Named, Described, Versioned, Provenance):
    """An axis (محور) of a strategy, with the number of projects planned under it."""

    record_type = RecordType.STRATEGIES

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="axes")
    order = models.PositiveIntegerField(_("order"))
    planned_project_count = models.PositiveIntegerField(_("planned number of projects"), null=True, blank=True)

    objects = StrategyPartQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [models.UniqueConstraint(fields=["strategy", "order"], name="axis_order_unique")]
        verbose_name = _("axis")
        verbose_name_plural = _("axes")


class Program(Named, Described, Versioned, Provenance):
    """A program of a strategy, under one of its axes where the strategy says which."""

    record_type = RecordType.STRATEGIES

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="programs")
    axis = models.ForeignKey(Axis, null=True, blank=True, on_delete=models.PROTECT, related_name="programs")
    order = models.PositiveIntegerField(_("order"))
    code = models.CharField(_("code"), max_length=40, blank=True)

    objects = StrategyPartQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [models.UniqueConstraint(fields=["strategy", "order"], name="program_order_unique")]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def clean(self):
        super().clean()
        if self.axis_id and self.strategy_id and self.axis.strategy_id != self.strategy_id:
            raise ValidationError({"axis": _("The axis belongs to another strategy.")})


class Phase(Named, Described, Versioned, Provenance):
    """A phase (مرحلة) of a strategy, with its start and end."""

    record_type = RecordType.STRATEGIES

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveIntegerField(_("order"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    objects = StrategyPartQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "order"]
        constraints = [models.UniqueConstraint(fields=["strategy", "order"], name="phase_order_unique")]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The phase cannot end before it starts.")})
