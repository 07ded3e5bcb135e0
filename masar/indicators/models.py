"""Performance indicators (مؤشرات الأداء): definitions, baselines, targets, measurements and scorecard weights.

An indicator says what is measured and how values roll up to the nation; its baseline and targets
draw the trajectory every value is judged against; measurements are entered per period and region
(or organization), go through draft → submitted → approved, and are locked once approved.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from masar.core.access import ClassifiedQuerySet
from masar.core.models import ClassificationField, Described, Named, Provenance, Versioned, localized
from masar.core.records import RecordType
from masar.core.workflow import Workflow
from masar.organizations.models import RegionKind

VALUE_DIGITS = 20
VALUE_PLACES = 4


def value_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, **kwargs)


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENTAGE = "percentage", _("Percentage")
    RATIO = "ratio", _("Ratio")
    INDEX = "index", _("Index")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Disaggregation(models.TextChoices):
    NATIONAL = "national", _("National value only")
    REGION = "region", _("By region")
    ORGANIZATION = "organization", _("By organization")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    WEIGHTED_MEAN = "weighted_mean", _("Weighted mean")
    RATIO = "ratio", _("Ratio of the summed numerators and denominators")


class TrajectoryShape(models.TextChoices):
    LINEAR = "linear", _("Straight line from the baseline to each target")
    CUSTOM = "custom", _("Through custom intermediate points")


def effective_rule(aggregation, disaggregation):
    """Return the rule that rolls values up (one national value needs no weights: its mean is itself)."""
    if disaggregation == Disaggregation.NATIONAL and aggregation == Aggregation.WEIGHTED_MEAN:
        return Aggregation.MEAN
    return aggregation


# The `source` of indicators whose values Masar computes from its own records (the digitization shares of the
# services catalogue): nobody types their values, the module that computes them keeps them in step.
COMPUTED_SOURCES = frozenset({"catalogue"})


class IndicatorQuerySet(ClassifiedQuerySet):
    reveals = ("numerator", "denominator")  # a ratio is read only by those who may read its inputs

    def search(self, text):
        """Return the indicators whose code or names match text as Arabic is typed (masar.arabic.fold).

        Indicators number in the hundreds, so their code and names are folded here with the same
        function as the query, rather than kept in a stored column with a writer to keep in step.
        """
        from masar.arabic import fold

        folded = fold(text)
        if not folded:
            return self
        rows = self.order_by().values_list("pk", "code", "name_ar", "name_fr", "name_en")
        matching = [pk for pk, *texts in rows if folded in fold(" ".join(t for t in texts if t))]
        return self.filter(pk__in=matching)


class Indicator(Named, Described, Versioned, Provenance):
    """A performance indicator (مؤشر أداء): what is measured, in which unit, owned by whom, and how it rolls up.

    A ratio indicator is numerator ÷ denominator × factor. When it names a numerator and a denominator
    indicator its values are computed from theirs (never typed); otherwise each value is entered as
    its numerator and denominator. Values roll up from regions or organizations to the nation by
    the aggregation rule, in the database.
    """

    record_type = RecordType.INDICATORS

    code = models.CharField(_("code"), max_length=40, unique=True)
    unit_ar = models.CharField(_("unit (Arabic)"), max_length=60)
    unit_fr = models.CharField(_("unit (French)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    owner = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("owner organization"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    classification = ClassificationField()

    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices, default=IndicatorKind.COUNT)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices, default=Direction.INCREASE)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices, default=Frequency.YEARLY)
    disaggregation = models.CharField(
        _("disaggregation"), max_length=16, choices=Disaggregation.choices, default=Disaggregation.NATIONAL
    )
    region_level = models.CharField(
        _("level of the regions"),
        max_length=16,
        choices=RegionKind.choices,
        default=RegionKind.GOVERNORATE,
        help_text=_("Values by region are entered for regions of this level."),
    )
    aggregation = models.CharField(
        _("aggregation to the nation"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM
    )
    numerator = models.ForeignKey(
        "self",
        verbose_name=_("numerator indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratios_as_numerator",
    )
    denominator = models.ForeignKey(
        "self",
        verbose_name=_("denominator indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratios_as_denominator",
    )
    factor = models.DecimalField(
        _("factor"), max_digits=12, decimal_places=4, default=Decimal(1), help_text=_("e.g. 100 for a percentage")
    )
    numerator_within_denominator = models.BooleanField(_("the numerator never exceeds the denominator"), default=False)
    min_value = value_field(_("lowest acceptable value"), null=True, blank=True)
    max_value = value_field(_("highest acceptable value"), null=True, blank=True)
    data_source_ar = models.CharField(_("data source (Arabic)"), max_length=300, blank=True)
    data_source_fr = models.CharField(_("data source (French)"), max_length=300, blank=True)
    data_source_en = models.CharField(_("data source (English)"), max_length=300, blank=True)
    method_ar = models.TextField(_("method note (Arabic)"), blank=True)
    method_fr = models.TextField(_("method note (French)"), blank=True)
    method_en = models.TextField(_("method note (English)"), blank=True)
    trajectory = models.CharField(
        _("trajectory"), max_length=16, choices=TrajectoryShape.choices, default=TrajectoryShape.LINEAR
    )
    tolerance_on_track = models.DecimalField(
        _("on-track tolerance"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.05"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Share of the expected value a value may fall short by and still be on track."),
    )
    tolerance_at_risk = models.DecimalField(
        _("at-risk tolerance"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.15"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Beyond this share short of the expected value, a value is off track."),
    )
    jump_threshold = models.DecimalField(
        _("jump needing a comment"),
        max_digits=7,
        decimal_places=4,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0)],
        help_text=_("A change larger than this share of the previous period's value must be explained."),
    )
    axes = models.ManyToManyField("strategy.Axis", verbose_name=_("axes"), blank=True, related_name="indicators")
    programs = models.ManyToManyField(
        "strategy.Program", verbose_name=_("programs"), blank=True, related_name="indicators"
    )
    projects = models.ManyToManyField(
        "portfolio.Project", verbose_name=_("projects"), blank=True, related_name="indicators"
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    @property
    def unit(self):
        return localized(self, "unit")

    @property
    def data_source(self):
        return localized(self, "data_source")

    @property
    def method(self):
        return localized(self, "method")

    @property
    def is_derived(self):
        """Whether the values are computed from a numerator and a denominator indicator."""
        return self.kind == IndicatorKind.RATIO and bool(self.numerator_id and self.denominator_id)

    @property
    def higher_is_better(self):
        return self.direction == Direction.INCREASE

    @property
    def is_broken_down(self):
        """Whether the values are entered by region or by organization rather than as one national value."""
        return self.disaggregation != Disaggregation.NATIONAL

    @property
    def is_by_region(self):
        return self.disaggregation == Disaggregation.REGION

    def bounds(self):
        """Return the (lowest, highest) acceptable value, None where unbounded."""
        low, high = self.min_value, self.max_value
        if self.kind == IndicatorKind.PERCENTAGE:
            low = Decimal(0) if low is None else max(low, Decimal(0))
            high = Decimal(100) if high is None else min(high, Decimal(100))
        elif self.kind == IndicatorKind.COUNT:
            low = Decimal(0) if low is None else max(low, Decimal(0))
        return low, high

    def effective_aggregation(self):
        return effective_rule(self.aggregation, self.disaggregation)

    def clean(self):
        super().clean()
        errors = {}
        if (self.kind == IndicatorKind.RATIO) != (self.aggregation == Aggregation.RATIO):
            errors["aggregation"] = _(
                "Ratios, and only ratios, roll up as the ratio of the summed numerators and denominators."
            )
        if bool(self.numerator_id) != bool(self.denominator_id):
            errors["denominator"] = _("Give both the numerator and the denominator indicator, or neither.")
        if (self.numerator_id or self.denominator_id) and self.kind != IndicatorKind.RATIO:
            errors["kind"] = _("Only a ratio has a numerator and a denominator indicator.")
        if self.numerator_id and self.denominator_id:
            if self.pk and self.pk in (self.numerator_id, self.denominator_id):
                errors["numerator"] = _("An indicator cannot be computed from itself.")
            elif self.numerator_id == self.denominator_id:
                errors["denominator"] = _("The numerator and the denominator must be different indicators.")
            else:
                for name in ("numerator", "denominator"):
                    part = getattr(self, name)
                    if part.kind == IndicatorKind.RATIO:
                        errors[name] = _("A component of a ratio cannot itself be a ratio.")
                    elif (part.frequency, part.disaggregation, part.region_level) != (
                        self.frequency,
                        self.disaggregation,
                        self.region_level,
                    ):
                        errors[name] = _("The components must have the ratio's frequency and disaggregation.")
        if self.disaggregation == Disaggregation.NATIONAL and self.aggregation == Aggregation.WEIGHTED_MEAN:
            errors["aggregation"] = _("A weighted mean needs values by region or by organization.")
        if (
            self.tolerance_on_track is not None
            and self.tolerance_at_risk is not None
            and self.tolerance_at_risk < self.tolerance_on_track
        ):
            errors["tolerance_at_risk"] = _("The at-risk tolerance cannot be narrower than the on-track tolerance.")
        if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
            errors["max_value"] = _("The highest acceptable value cannot be below the lowest.")
        if self.factor is not None and self.factor <= 0:
            errors["factor"] = _("The factor must be positive.")
        if errors:
            raise ValidationError(errors)


class IndicatorPartQuerySet(ClassifiedQuerySet):
    """Baselines, targets, measurements and weights are read by whoever may read their indicator."""

    classification_lookup = "indicator__classification"
    owner_lookup = "indicator__owner"
    reveals = ("indicator",)


def _one_per_cell(model_name, *fields):
    """Return the constraints that allow one row per indicator, cell and fields (a NULL region is the nation)."""
    return [
        models.UniqueConstraint(
            fields=["indicator", *fields, "region"],
            condition=Q(region__isnull=False),
            name=f"{model_name}_one_per_region",
        ),
        models.UniqueConstraint(
            fields=["indicator", *fields],
            condition=Q(region__isnull=True),
            name=f"{model_name}_one_national",
        ),
    ]


class Baseline(Versioned, Provenance):
    """The value an indicator starts from (قيمة مرجعية), for the nation or one region."""

    record_type = RecordType.INDICATORS

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="baselines")
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the national baseline."),
    )
    date = models.DateField(_("date"))
    value = value_field(_("value"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = IndicatorPartQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "region"]
        constraints = _one_per_cell("baseline")
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")

    def __str__(self):
        return f"{self.indicator.code} {self.date.isoformat()} {self.value}"


class TargetKind(models.TextChoices):
    TARGET = "target", _("Target")
    WAYPOINT = "waypoint", _("Intermediate point of the trajectory")


class Target(Versioned, Provenance):
    """The value an indicator should reach for a period (قيمة مستهدفة), for the nation or one region.

    Intermediate points shape a custom trajectory between the baseline and the targets.
    """

    record_type = RecordType.INDICATORS

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for a national target."),
    )
    period = models.DateField(_("period"), help_text=_("The first day of the period the target is for."))
    value = value_field(_("value"))
    kind = models.CharField(_("kind"), max_length=16, choices=TargetKind.choices, default=TargetKind.TARGET)

    objects = IndicatorPartQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "region", "period"]
        constraints = _one_per_cell("target", "period")
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self):
        return f"{self.indicator.code} {self.period.isoformat()} {self.value}"


class MeasurementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MeasurementAction(models.TextChoices):
    """What is done to a value; `edit` changes a draft or a rejected value, which becomes a draft again."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"


MEASUREMENT_WORKFLOW = Workflow(
    {
        (MeasurementStatus.DRAFT, MeasurementAction.EDIT): MeasurementStatus.DRAFT,
        (MeasurementStatus.REJECTED, MeasurementAction.EDIT): MeasurementStatus.DRAFT,
        (MeasurementStatus.DRAFT, MeasurementAction.SUBMIT): MeasurementStatus.SUBMITTED,
        (MeasurementStatus.SUBMITTED, MeasurementAction.APPROVE): MeasurementStatus.APPROVED,
        (MeasurementStatus.SUBMITTED, MeasurementAction.REJECT): MeasurementStatus.REJECTED,
    }
)


class MeasurementQuerySet(IndicatorPartQuerySet):
    published = ("status", MeasurementStatus.APPROVED)  # others than those who enter values read approved ones

    def approved(self):
        return self.filter(status=MeasurementStatus.APPROVED)


class Measurement(Versioned, Provenance):
    """One value (قياس) of an indicator for one period and one region, organization or the nation.

    Approved values are locked: services refuse to change them, and every transition is a
    conditional update on the status so two approvers at once cannot both win.
    """

    record_type = RecordType.MEASUREMENTS

    # No single-column index on the indicator: every read by indicator uses the composite indexes below.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measurements", db_index=False)
    period = models.DateField(_("period"))
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = value_field(_("value"))
    numerator = value_field(_("numerator"), null=True, blank=True)
    denominator = value_field(_("denominator"), null=True, blank=True)
    weight = value_field(_("weight"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MeasurementStatus.choices, default=MeasurementStatus.DRAFT
    )
    z_score = models.FloatField(_("z-score against the series"), null=True, blank=True)
    needs_review = models.BooleanField(_("flagged for review"), default=False)
    # Who acted is shown with each value, never searched across millions of rows: no index on these three.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    # Provenance indexes is_sample; over millions of values that index would cost more than it serves.
    is_sample = models.BooleanField(_("sample record"), default=False)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "region"],
                condition=Q(region__isnull=False),
                name="measurement_one_per_region",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "organization"],
                condition=Q(organization__isnull=False),
                name="measurement_one_per_organization",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(region__isnull=True, organization__isnull=True),
                name="measurement_one_national",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(organization__isnull=True), name="measurement_one_dimension"
            ),
        ]
        indexes = [
            # The latest approved period of an indicator and its values for one period: dashboards' two reads.
            models.Index(fields=["indicator", "status", "period"], name="measurement_ind_status_period"),
        ]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")

    def __str__(self):
        where = self.region or self.organization
        return f"{self.indicator.code} {self.period.isoformat()} {where or '—'} = {self.value}"

    @property
    def is_locked(self):
        """An approved value locks its period and place: nothing more may be done to it."""
        return not MEASUREMENT_WORKFLOW.actions(self.status)

    @property
    def is_editable(self):
        return MEASUREMENT_WORKFLOW.allows(self.status, MeasurementAction.EDIT)

    @property
    def is_submittable(self):
        """A draft value may be sent for approval."""
        return MEASUREMENT_WORKFLOW.allows(self.status, MeasurementAction.SUBMIT)

    @property
    def is_draft(self):
        return self.status == MeasurementStatus.DRAFT

    @property
    def is_rejected(self):
        return self.status == MeasurementStatus.REJECTED


class ScorecardWeightQuerySet(IndicatorPartQuerySet):
    coordinator_writes = False  # weights are set by the national delivery unit only


class ScorecardWeight(Versioned):
    """The weight of an indicator in its ministry's scorecard, set by the national delivery unit (1 when unset)."""

    record_type = RecordType.INDICATORS

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="scorecard_weight")
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )

    objects = ScorecardWeightQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard weight")
        verbose_name_plural = _("scorecard weights")

    def __str__(self):
        return f"{self.indicator.code} × {self.weight}"
