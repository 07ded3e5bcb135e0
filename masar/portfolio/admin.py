from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.portfolio.models import Milestone, Project
from masar.portfolio.services import search_text_of


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "owner", "axis", "status", "classification", "is_sample"]
    list_filter = ["status", "classification", "strategy", "is_sample"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["owner", "partners", "manager", "axis", "program", "phase", "strategy", "regions"]
    list_select_related = ["owner", "axis"]

    def save_model(self, request, obj, form, change):
        obj.search_text = search_text_of(obj)
        super().save_model(request, obj, form, change)


@admin.register(Milestone)
class MilestoneAdmin(AuditedModelAdmin):
    list_display = ["project", "order", "name_ar", "planned_date", "actual_date"]
    autocomplete_fields = ["project"]
    search_fields = ["name_ar", "project__code"]
