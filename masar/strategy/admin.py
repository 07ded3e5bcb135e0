from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.strategy.models import Axis, Phase, Program, Strategy


@admin.register(Strategy)
class StrategyAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "kind", "period_start", "period_end", "classification"]
    list_filter = ["kind", "classification"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["owner", "parent"]


@admin.register(Axis)
class AxisAdmin(AuditedModelAdmin):
    list_display = ["strategy", "order", "name_ar", "planned_project_count"]
    list_filter = ["strategy"]
    search_fields = ["name_ar", "name_fr", "name_en"]


@admin.register(Program)
class ProgramAdmin(AuditedModelAdmin):
    list_display = ["strategy", "order", "name_ar", "axis"]
    list_filter = ["strategy"]
    search_fields = ["name_ar", "name_fr", "name_en"]


@admin.register(Phase)
class PhaseAdmin(AuditedModelAdmin):
    list_display = ["strategy", "order", "name_ar", "start", "end"]
    list_filter = ["strategy"]
    search_fields = ["name_ar", "name_fr", "name_en"]
