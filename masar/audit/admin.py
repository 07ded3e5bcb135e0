from django.contrib import admin

from masar.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail is read-only, even for administrators."""

    list_display = ["seq", "created_at", "actor_name", "action", "content_type", "object_id", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_name", "object_id", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
