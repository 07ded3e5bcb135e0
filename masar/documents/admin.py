"""The document library in the admin: read-only, since documents and versions are written by their services."""

from django.contrib import admin

from masar.documents.models import Document, DocumentVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    extra = 0
    fields = ["number", "original_name", "content_type", "size", "text_status", "page_count", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "date", "organization", "classification", "text_status"]
    list_filter = ["kind", "classification", "language", "text_status"]
    search_fields = ["title"]
    inlines = [DocumentVersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["document", "number", "original_name", "content_type", "size", "uploaded_at"]
    exclude = ["text"]
