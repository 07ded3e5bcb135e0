from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.delivery.models import Baseline, Obstacle, ProgressUpdate


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AuditedModelAdmin):
    list_display = ["project", "period", "percent_complete", "declared_confidence", "status"]
    list_filter = ["status", "declared_confidence"]
    search_fields = ["project__code"]
    autocomplete_fields = ["project"]
    readonly_fields = ["status", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]


@admin.register(Baseline)
class BaselineAdmin(AuditedModelAdmin):
    list_display = ["project", "number", "planned_start", "planned_end", "planned_budget", "status"]
    list_filter = ["status"]
    search_fields = ["project__code"]
    readonly_fields = ["status", "decided_by", "decided_at"]


@admin.register(Obstacle)
class ObstacleAdmin(AuditedModelAdmin):
    list_display = ["project", "category", "severity", "status", "must_act", "due_date"]
    list_filter = ["category", "severity", "status"]
    search_fields = ["project__code", "description"]
    autocomplete_fields = ["project", "must_act"]
