from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.decisions.models import Decision, Meeting


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    list_display = ["name_ar", "kind", "date", "classification"]
    list_filter = ["kind", "classification"]
    search_fields = ["name_ar", "name_fr", "name_en"]


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ["meeting", "order", "text_ar", "responsible", "due_date"]
    list_filter = ["meeting"]
    autocomplete_fields = ["responsible"]
