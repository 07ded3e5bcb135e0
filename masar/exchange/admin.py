"""The exchange records in the admin, read-only: clients, tokens and agreements change through their
pages and services (audited, notified), and the exchange log is append-only."""

from django.contrib import admin

from masar.exchange.models import ApiClient, ApiToken, ExchangeLogEntry, SharingAgreement


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiClient)
class ApiClientAdmin(ReadOnlyAdmin):
    list_display = ["name_ar", "organization", "clearance", "is_active", "created_at"]
    list_filter = ["is_active", "clearance"]
    search_fields = ["name_ar", "name_fr", "name_en"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "client", "created_at", "last_used_at", "expires_at", "revoked_at"]
    exclude = ["digest"]


@admin.register(SharingAgreement)
class SharingAgreementAdmin(ReadOnlyAdmin):
    list_display = ["client", "owner", "record_type", "max_classification", "status", "expires_on"]
    list_filter = ["status", "record_type"]


@admin.register(ExchangeLogEntry)
class ExchangeLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "created_at", "caller", "method", "path", "status", "records"]
    list_filter = ["status", "method"]
