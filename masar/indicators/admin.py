from django.contrib import admin

from masar.core.admin import AuditedModelAdmin
from masar.indicators.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    list_display = ["code", "name_ar", "owner", "classification"]
    list_filter = ["classification"]
    search_fields = ["code", "name_ar", "name_fr", "name_en"]
    autocomplete_fields = ["owner"]
