"""The indicator definitions, baselines and targets are kept by the national delivery unit in the admin (audited)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from masar.core.admin import AuditedModelAdmin
from masar.indicators.models import Baseline, Indicator, Measurement, ScorecardWeight, Target


class BaselineInline(admin.TabularInline):
    model = Baseline
    extra = 0
    fields = ["region", "date", "value", "note", "is_sample", "source"]
    autocomplete_fields = ["region"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["region", "period", "value", "kind", "is_sample", "source"]
    autocomplete_fields = ["region"]


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "owner", "kind", "frequency", "disaggregation", "classification"]
    list_filter = ["classification", "kind", "frequency", "disaggregation", "is_sample"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["owner", "numerator", "denominator", "axes", "programs", "projects"]
    inlines = [BaselineInline, TargetInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name_ar",
                    "name_fr",
                    "name_en",
                    "description_ar",
                    "description_fr",
                    "description_en",
                    "owner",
                    "classification",
                    "is_sample",
                    "source",
                ]
            },
        ),
        (
            _("Unit and kind"),
            {"fields": ["unit_ar", "unit_fr", "unit_en", "kind", "direction", "frequency", "min_value", "max_value"]},
        ),
        (
            _("Disaggregation and aggregation"),
            {
                "fields": [
                    "disaggregation",
                    "region_level",
                    "aggregation",
                    "numerator",
                    "denominator",
                    "factor",
                    "numerator_within_denominator",
                ]
            },
        ),
        (
            _("Data source and method"),
            {"fields": ["data_source_ar", "data_source_fr", "data_source_en", "method_ar", "method_fr", "method_en"]},
        ),
        (
            _("Trajectory and checks"),
            {"fields": ["trajectory", "tolerance_on_track", "tolerance_at_risk", "jump_threshold"]},
        ),
        (_("What it measures"), {"fields": ["axes", "programs", "projects"]}),
    ]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Values are read here; they are entered, approved and rejected on the indicator pages, through the workflow."""

    list_display = ["indicator", "period", "region", "organization", "value", "status", "needs_review"]
    list_filter = ["status", "needs_review", "is_sample"]
    search_fields = ["indicator__code"]
    list_select_related = ["indicator", "region", "organization"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScorecardWeight)
class ScorecardWeightAdmin(AuditedModelAdmin):
    list_display = ["indicator", "weight"]
    autocomplete_fields = ["indicator"]
    search_fields = ["indicator__code"]
