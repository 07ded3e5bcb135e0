from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from masar.accounts.models import User
from masar.accounts.services import user_account_record, user_account_snapshot


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (
            _("Masar"),
            {
                "fields": ["role", "organization", "phone", "language", "email_frequency"],
                "description": _(
                    "Every change here is recorded in the audit trail. People are deactivated, never deleted: "
                    "untick “active” to stop someone signing in."
                ),
            },
        ),
    ]
    list_display = ["username", "get_full_name", "role", "organization", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["organization"]

    def has_delete_permission(self, request, obj=None):
        # Users are deactivated, never deleted (masar.audit.guards refuses it on every other path too).
        return False

    def save_model(self, request, obj, form, change):
        # Kept on the form, not on this admin object, which every request shares.
        form.audit_before = user_account_snapshot(user=User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # groups and permissions are saved here
        user_account_record(user=form.instance, actor=request.user, before=form.audit_before)
