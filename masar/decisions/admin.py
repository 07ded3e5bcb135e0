from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.decisions.models import ActionUpdate, AgendaItem, Attendance, Decision, DecisionClosure, Meeting


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title_ar", "title_fr", "title_en", "project", "obstacle", "decision"]
    autocomplete_fields = ["project", "obstacle", "decision"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["organization", "person_name", "status"]
    autocomplete_fields = ["organization"]


@admin.register(Meeting)
class MeetingAdmin(AuditedModelAdmin):
    inlines = [AgendaItemInline, AttendanceInline]
    readonly_fields = ["decisions_published", "decisions_published_at"]
    list_display = ["name_ar", "kind", "date", "classification"]
    list_filter = ["kind", "classification"]
    search_fields = ["name_ar", "name_fr", "name_en"]


@admin.register(Decision)
class DecisionAdmin(AuditedModelAdmin):
    list_display = ["meeting", "order", "text_ar", "responsible", "due_date"]
    list_filter = ["meeting"]
    autocomplete_fields = ["responsible", "projects", "indicators"]
    search_fields = ["text_ar", "text_fr", "text_en"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(AuditedModelAdmin):
    list_display = ["decision", "reported_on", "author"]


@admin.register(DecisionClosure)
class DecisionClosureAdmin(admin.ModelAdmin):
    """Closure requests are read here; they are accepted or returned on the meeting page, through the workflow."""

    list_display = ["decision", "status", "requested_by", "requested_at", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
