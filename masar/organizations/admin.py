from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.organizations.models import Mission, Organization, Region


class MissionInline(admin.TabularInline):
    model = Mission
    extra = 0
    fields = ["order", "text_ar", "text_fr", "text_en"]


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "kind", "parent", "is_sample"]
    list_filter = ["kind", "is_sample"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["parent"]
    inlines = [MissionInline]


@admin.register(Mission)
class MissionAdmin(AuditedModelAdmin):
    list_display = ["organization", "order", "text_ar"]
    autocomplete_fields = ["organization"]


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["parent"]
